//! Bindings for `barter::strategy`: the strategies a backtest can run, chosen by name.
//!
//! Every backtest runs one Rust strategy type, [`BindingsStrategy`], over one engine state,
//! [`EngineState`]: barter's `DefaultStrategy` (which it delegates to), optionally placing the
//! orders of barter's own benchmark strategy. The instrument data adds the last public trade to
//! barter's `DefaultInstrumentMarketData`, to which it delegates everything else.

use ::barter::{
    engine::{
        Engine, Processor,
        state::{
            EngineState as BarterEngineState,
            global::DefaultGlobalData,
            instrument::{
                data::{DefaultInstrumentMarketData, InstrumentDataState},
                filter::InstrumentFilter,
            },
            order::in_flight_recorder::InFlightRequestRecorder,
        },
    },
    strategy::{
        DefaultStrategy,
        algo::AlgoStrategy,
        close_positions::{ClosePositionsStrategy, close_open_positions_with_market_orders},
        on_disconnect::OnDisconnectStrategy,
        on_trading_disabled::OnTradingDisabled,
    },
};
use barter_data::{
    event::{DataKind, MarketEvent},
    subscription::trade::PublicTrade,
};
use barter_execution::{
    AccountEvent,
    order::{
        OrderKey, OrderKind, TimeInForce,
        id::ClientOrderId,
        request::{OrderRequestCancel, OrderRequestOpen, RequestOpen},
    },
};
use barter_instrument::{
    Side,
    asset::AssetIndex,
    exchange::{ExchangeId, ExchangeIndex},
    instrument::InstrumentIndex,
};
use rust_decimal::{Decimal, prelude::FromPrimitive};
use smol_str::format_smolstr;
use std::sync::{
    Mutex,
    atomic::{AtomicU64, Ordering},
};

pub type EngineState = BarterEngineState<DefaultGlobalData, InstrumentMarketData>;

/// The strategy a backtest runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, uniffi::Enum)]
pub enum Strategy {
    /// barter's `DefaultStrategy`: no algorithmic orders; positions are closed with market orders.
    #[default]
    Default,
    /// barter's `DefaultStrategy`, plus a market buy of every public trade, at the trade's price
    /// and amount (the strategy of barter's own backtest benchmark).
    BuyEveryTrade,
}

/// A [`Strategy`] as barter's engine runs it.
#[derive(Debug)]
pub struct BindingsStrategy {
    kind: Strategy,
    default: DefaultStrategy<EngineState>,
    order_ids: OrderIds,
    /// Per instrument index, the count of its public trades when `BuyEveryTrade` last bought.
    bought: Mutex<Vec<u64>>,
}

impl Clone for BindingsStrategy {
    fn clone(&self) -> Self {
        let bought = self.bought.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone();
        Self { kind: self.kind, default: self.default.clone(), order_ids: self.order_ids.clone(), bought: Mutex::new(bought) }
    }
}

/// How a strategy makes the `ClientOrderId`s of its orders.
#[derive(Debug)]
enum OrderIds {
    /// barter's `ClientOrderId::random()`: unique across runs, as live trading needs.
    Random,
    /// "1", "2", ... per run: a backtest's ids, and so its results, are the same on every run
    /// (barter keys active orders by them in a hash map, whose order follows the keys).
    Sequence(AtomicU64),
}

impl Clone for OrderIds {
    fn clone(&self) -> Self {
        match self {
            Self::Random => Self::Random,
            Self::Sequence(last) => Self::Sequence(AtomicU64::new(last.load(Ordering::Relaxed))),
        }
    }
}

impl BindingsStrategy {
    /// For live and paper trading, and barter's own backtests: random order ids, as barter's.
    pub fn live(kind: Strategy) -> Self {
        Self { kind, default: DefaultStrategy::default(), order_ids: OrderIds::Random, bought: Mutex::default() }
    }

    /// For an event-time backtest: order ids numbered from 1.
    pub fn backtest(kind: Strategy) -> Self {
        Self { order_ids: OrderIds::Sequence(AtomicU64::new(0)), ..Self::live(kind) }
    }

    fn next_order_id(&self) -> ClientOrderId {
        match &self.order_ids {
            OrderIds::Random => ClientOrderId::random(),
            OrderIds::Sequence(last) => ClientOrderId::new(format_smolstr!("{}", last.fetch_add(1, Ordering::Relaxed) + 1)),
        }
    }
}

impl AlgoStrategy for BindingsStrategy {
    type State = EngineState;

    fn generate_algo_orders(
        &self,
        state: &Self::State,
    ) -> (
        impl IntoIterator<Item = OrderRequestCancel<ExchangeIndex, InstrumentIndex>>,
        impl IntoIterator<Item = OrderRequestOpen<ExchangeIndex, InstrumentIndex>>,
    ) {
        let (cancels, opens) = AlgoStrategy::<ExchangeIndex, InstrumentIndex>::generate_algo_orders(&self.default, state);
        let mut bought = self.bought.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let buys: Vec<_> = (self.kind == Strategy::BuyEveryTrade)
            .then(|| state.instruments.instruments(&InstrumentFilter::None))
            .into_iter()
            .flatten()
            .filter_map(|state| {
                // A market buy of the instrument's last public trade, once (the engine asks on
                // every event, of every instrument).
                let trade = state.data.last_trade.as_ref()?;
                let index = state.key.index();
                if bought.len() <= index {
                    bought.resize(index + 1, 0);
                }
                if bought[index] == state.data.trades {
                    return None;
                }
                bought[index] = state.data.trades;
                Some(OrderRequestOpen {
                    key: OrderKey {
                        exchange: state.instrument.exchange,
                        instrument: state.key,
                        strategy: self.default.id.clone(),
                        cid: self.next_order_id(),
                    },
                    state: RequestOpen {
                        side: Side::Buy,
                        price: Decimal::from_f64(trade.price)?,
                        quantity: Decimal::from_f64(trade.amount)?,
                        kind: OrderKind::Market,
                        time_in_force: TimeInForce::ImmediateOrCancel,
                    },
                })
            })
            .collect();
        (cancels, opens.into_iter().chain(buys))
    }
}

impl ClosePositionsStrategy for BindingsStrategy {
    type State = EngineState;

    fn close_positions_requests<'a>(
        &'a self,
        state: &'a Self::State,
        filter: &'a InstrumentFilter,
    ) -> (
        impl IntoIterator<Item = OrderRequestCancel<ExchangeIndex, InstrumentIndex>> + 'a,
        impl IntoIterator<Item = OrderRequestOpen<ExchangeIndex, InstrumentIndex>> + 'a,
    )
    where
        ExchangeIndex: 'a,
        AssetIndex: 'a,
        InstrumentIndex: 'a,
    {
        // barter's DefaultStrategy does exactly this, with random ids.
        close_open_positions_with_market_orders(&self.default.id, state, filter, |_| self.next_order_id())
    }
}

// barter's DefaultStrategy does nothing on a disconnection or when trading is disabled; its
// hooks take the engine by its exact type, so they cannot be delegated to.
impl<Clock, ExecutionTxs, Risk> OnDisconnectStrategy<Clock, EngineState, ExecutionTxs, Risk> for BindingsStrategy {
    type OnDisconnect = ();

    fn on_disconnect(_: &mut Engine<Clock, EngineState, ExecutionTxs, Self, Risk>, _: ExchangeId) {}
}

impl<Clock, ExecutionTxs, Risk> OnTradingDisabled<Clock, EngineState, ExecutionTxs, Risk> for BindingsStrategy {
    type OnTradingDisabled = ();

    fn on_trading_disabled(_: &mut Engine<Clock, EngineState, ExecutionTxs, Self, Risk>) {}
}

/// barter's `DefaultInstrumentMarketData` (`market`), the instrument's last event if it was a
/// public trade (what `Strategy::BuyEveryTrade` buys), and the count of public `trades` seen:
/// the market data the bindings' strategies keep per instrument.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, uniffi::Record)]
pub struct InstrumentMarketData {
    pub market: DefaultInstrumentMarketData,
    pub last_trade: Option<PublicTrade>,
    #[serde(default)]
    pub trades: u64,
}

impl InstrumentDataState for InstrumentMarketData {
    type MarketEventKind = DataKind;

    fn price(&self) -> Option<Decimal> {
        self.market.price()
    }
}

impl Processor<&MarketEvent<InstrumentIndex, DataKind>> for InstrumentMarketData {
    type Audit = ();

    fn process(&mut self, event: &MarketEvent<InstrumentIndex, DataKind>) {
        self.market.process(event);
        self.last_trade = match &event.kind {
            DataKind::Trade(trade) => {
                self.trades += 1;
                Some(trade.clone())
            }
            _ => None,
        };
    }
}

impl Processor<&AccountEvent> for InstrumentMarketData {
    type Audit = ();

    fn process(&mut self, event: &AccountEvent) {
        self.market.process(event);
    }
}

impl InFlightRequestRecorder for InstrumentMarketData {
    fn record_in_flight_cancel(&mut self, request: &OrderRequestCancel<ExchangeIndex, InstrumentIndex>) {
        self.market.record_in_flight_cancel(request);
    }

    fn record_in_flight_open(&mut self, request: &OrderRequestOpen<ExchangeIndex, InstrumentIndex>) {
        self.market.record_in_flight_open(request);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ::barter::engine::state::builder::EngineStateBuilder;
    use barter_instrument::{Underlying, asset::Asset, index::IndexedInstruments, instrument::Instrument};

    /// An engine state with one instrument, whose last market event is `kind`.
    fn state_after(kind: DataKind) -> EngineState {
        let underlying = Underlying::new(Asset::new("btc", "BTC"), Asset::new("usdt", "USDT"));
        let instruments = IndexedInstruments::new([Instrument::spot(ExchangeId::BinanceSpot, "binance_spot_btc_usdt", "BTCUSDT", underlying, None)]);
        let mut state = EngineStateBuilder::new(&instruments, DefaultGlobalData::default(), |_| InstrumentMarketData::default()).build();
        let event = MarketEvent { time_exchange: Default::default(), time_received: Default::default(), exchange: ExchangeId::BinanceSpot, instrument: InstrumentIndex(0), kind };
        state.instruments.instrument_index_mut(&InstrumentIndex(0)).data.process(&event);
        state
    }

    fn trade() -> DataKind {
        DataKind::Trade(PublicTrade { id: "1".into(), price: 87232.01, amount: 0.02026, side: Side::Sell })
    }

    #[test]
    fn buy_every_trade_buys_the_last_trade_at_market() {
        let strategy = BindingsStrategy::backtest(Strategy::BuyEveryTrade);
        let state = state_after(trade());
        let (cancels, opens) = strategy.generate_algo_orders(&state);
        assert_eq!(cancels.into_iter().count(), 0);
        let opens: Vec<_> = opens.into_iter().collect();
        assert_eq!(opens.len(), 1);
        let RequestOpen { side, price, quantity, kind, time_in_force } = &opens[0].state;
        assert_eq!((*side, *kind, *time_in_force), (Side::Buy, OrderKind::Market, TimeInForce::ImmediateOrCancel));
        assert_eq!((price.to_string(), quantity.to_string()), ("87232.01".into(), "0.02026".into()));
        assert_eq!(opens[0].key.instrument, InstrumentIndex(0));
        assert_eq!(opens[0].key.cid, ClientOrderId::new("1"));

        // Asked again before the next trade (the engine asks after every event): nothing more.
        let (_, again) = strategy.generate_algo_orders(&state);
        assert_eq!(again.into_iter().count(), 0);
    }

    #[test]
    fn default_and_non_trade_events_place_no_orders() {
        let no_orders = |strategy: Strategy, kind| {
            let (strategy, state) = (BindingsStrategy::backtest(strategy), state_after(kind));
            let (cancels, opens) = strategy.generate_algo_orders(&state);
            cancels.into_iter().count() + opens.into_iter().count() == 0
        };
        assert!(no_orders(Strategy::Default, trade()));
        assert!(no_orders(Strategy::BuyEveryTrade, DataKind::OrderBookL1(Default::default())));
    }
}
