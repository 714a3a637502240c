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
        close_positions::ClosePositionsStrategy,
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
#[derive(Debug, Clone)]
pub struct BindingsStrategy {
    kind: Strategy,
    default: DefaultStrategy<EngineState>,
}

impl From<Strategy> for BindingsStrategy {
    fn from(kind: Strategy) -> Self {
        Self { kind, default: DefaultStrategy::default() }
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
        let buys = (self.kind == Strategy::BuyEveryTrade)
            .then(|| state.instruments.instruments(&InstrumentFilter::None))
            .into_iter()
            .flatten()
            .filter_map(|state| {
                // A market buy of the instrument's last public trade, as barter's benchmark places.
                let trade = state.data.last_trade.as_ref()?;
                Some(OrderRequestOpen {
                    key: OrderKey {
                        exchange: state.instrument.exchange,
                        instrument: state.key,
                        strategy: self.default.id.clone(),
                        cid: ClientOrderId::random(),
                    },
                    state: RequestOpen {
                        side: Side::Buy,
                        price: Decimal::from_f64(trade.price)?,
                        quantity: Decimal::from_f64(trade.amount)?,
                        kind: OrderKind::Market,
                        time_in_force: TimeInForce::ImmediateOrCancel,
                    },
                })
            });
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
        self.default.close_positions_requests(state, filter)
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

/// barter's `DefaultInstrumentMarketData` (`market`) and the instrument's last event, if it was a
/// public trade (what `Strategy::BuyEveryTrade` buys): the market data the bindings' strategies
/// keep per instrument.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize, uniffi::Record)]
pub struct InstrumentMarketData {
    pub market: DefaultInstrumentMarketData,
    pub last_trade: Option<PublicTrade>,
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
            DataKind::Trade(trade) => Some(trade.clone()),
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
        let strategy = BindingsStrategy::from(Strategy::BuyEveryTrade);
        let state = state_after(trade());
        let (cancels, opens) = strategy.generate_algo_orders(&state);
        assert_eq!(cancels.into_iter().count(), 0);
        let opens: Vec<_> = opens.into_iter().collect();
        assert_eq!(opens.len(), 1);
        let RequestOpen { side, price, quantity, kind, time_in_force } = &opens[0].state;
        assert_eq!((*side, *kind, *time_in_force), (Side::Buy, OrderKind::Market, TimeInForce::ImmediateOrCancel));
        assert_eq!((price.to_string(), quantity.to_string()), ("87232.01".into(), "0.02026".into()));
        assert_eq!(opens[0].key.instrument, InstrumentIndex(0));
    }

    #[test]
    fn default_and_non_trade_events_place_no_orders() {
        let no_orders = |strategy: Strategy, kind| {
            let (strategy, state) = (BindingsStrategy::from(strategy), state_after(kind));
            let (cancels, opens) = strategy.generate_algo_orders(&state);
            cancels.into_iter().count() + opens.into_iter().count() == 0
        };
        assert!(no_orders(Strategy::Default, trade()));
        assert!(no_orders(Strategy::BuyEveryTrade, DataKind::OrderBookL1(Default::default())));
    }
}
