//! barter's `AlgoStrategy`, implemented in the foreign language.
//!
//! barter asks a strategy for orders after every event the engine processes, with its state
//! only. The bindings' engine state records the market or account event it processed last
//! ([`super::GlobalData`]): the adapter hands that event to the foreign strategy, and only when
//! the strategy's [`Wakes`] select it, so the engine crosses into the foreign language for the
//! events the strategy asked for and no others.

use super::{
    BindingsStrategy, EngineState, Kind, LastEvent, Strategy,
    context::{Requests, Scope, StrategyContext},
};
use crate::{
    data::MarketEvent,
    error::Result,
    execution::account::AccountEvent,
};
use barter_data::{event::DataKind, subscription::book::OrderBookL1};
use barter_execution::order::{
    OrderKey, OrderKind, TimeInForce,
    request::{OrderRequestCancel, OrderRequestOpen, RequestOpen},
};
use barter_instrument::{Side, exchange::ExchangeIndex, instrument::InstrumentIndex};
use rust_decimal::{Decimal, prelude::FromPrimitive};
use std::sync::{Arc, atomic::Ordering};

/// barter's `AlgoStrategy`: the strategy's orders, in reaction to the event that woke it. Each
/// method is called only for the events its `Wakes` select, with a `StrategyContext` reading
/// the engine state after that event; orders made with the context are sent when it returns
/// (after barter's risk manager has checked them). Raising stops the run.
#[uniffi::export(with_foreign)]
pub trait AlgoStrategy: Send + Sync {
    /// A public trade of `instrument`: barter's `PublicTrade` price and amount, and whether its
    /// side is `Side::Buy` (a flag, not the enum: this is the hot path, and an enum crosses the
    /// FFI in an allocated buffer).
    fn on_trade(&self, context: Arc<StrategyContext>, instrument: InstrumentIndex, price: f64, amount: f64, buy: bool) -> Result<()>;

    /// An update of the best bid and ask of `instrument`.
    fn on_order_book_l1(&self, context: Arc<StrategyContext>, instrument: InstrumentIndex, l1: OrderBookL1) -> Result<()>;

    /// Any other market event (order book, candle, liquidation).
    fn on_market_event(&self, context: Arc<StrategyContext>, event: MarketEvent) -> Result<()>;

    /// An account event: a fill, an order or balance snapshot, a cancellation.
    fn on_account_event(&self, context: Arc<StrategyContext>, event: AccountEvent) -> Result<()>;
}

/// Which events wake a strategy of the foreign language: each kind it reacts to, and the
/// instruments whose market events it wants (`None`: all).
#[derive(Debug, Clone, Default, PartialEq, Eq, uniffi::Record)]
pub struct Wakes {
    #[uniffi(default = false)]
    pub trades: bool,
    #[uniffi(default = false)]
    pub order_book_l1: bool,
    /// Order books, candles, liquidations.
    #[uniffi(default = false)]
    pub other_market_events: bool,
    #[uniffi(default = false)]
    pub account_events: bool,
    #[uniffi(default = None)]
    pub instruments: Option<Vec<InstrumentIndex>>,
}

/// The adapter: barter's `generate_algo_orders` for a strategy of the foreign language.
pub struct ForeignAlgo {
    strategy: Arc<dyn AlgoStrategy>,
    wakes: Wakes,
    /// `wakes.instruments`, sorted, for a check per event.
    instruments: Option<Vec<InstrumentIndex>>,
}

impl std::fmt::Debug for ForeignAlgo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ForeignAlgo").field("wakes", &self.wakes).finish_non_exhaustive()
    }
}

impl ForeignAlgo {
    pub fn new(strategy: Arc<dyn AlgoStrategy>, wakes: Wakes) -> Self {
        let instruments = wakes.instruments.clone().map(|mut selected| {
            selected.sort();
            selected
        });
        Self { strategy, wakes, instruments }
    }

    fn wants(&self, instrument: InstrumentIndex) -> bool {
        self.instruments.as_ref().is_none_or(|selected| selected.binary_search(&instrument).is_ok())
    }

    /// The orders of the strategy for the event `state` last processed, if it wakes the strategy.
    pub fn generate(&self, scope: &Arc<Scope>, state: &EngineState) -> Requests {
        let strategy = &self.strategy;
        let called = match &state.global.last {
            Some(LastEvent::Market(event)) if self.wants(event.instrument) => match &event.kind {
                DataKind::Trade(trade) if self.wakes.trades => scope.call(state, true, |context| {
                    strategy.on_trade(context, event.instrument, trade.price, trade.amount, trade.side == Side::Buy)
                }),
                DataKind::OrderBookL1(l1) if self.wakes.order_book_l1 => {
                    scope.call(state, true, |context| strategy.on_order_book_l1(context, event.instrument, l1.clone()))
                }
                DataKind::Trade(_) | DataKind::OrderBookL1(_) => None,
                _ if self.wakes.other_market_events => scope.call(state, true, |context| strategy.on_market_event(context, event.clone())),
                _ => None,
            },
            Some(LastEvent::Account(event)) if self.wakes.account_events => {
                scope.call(state, true, |context| strategy.on_account_event(context, event.clone()))
            }
            _ => None,
        };
        called.map(|((), requests)| requests).unwrap_or_default()
    }
}

impl ::barter::strategy::algo::AlgoStrategy for BindingsStrategy {
    type State = EngineState;

    fn generate_algo_orders(
        &self,
        state: &Self::State,
    ) -> (
        impl IntoIterator<Item = OrderRequestCancel<ExchangeIndex, InstrumentIndex>>,
        impl IntoIterator<Item = OrderRequestOpen<ExchangeIndex, InstrumentIndex>>,
    ) {
        let (cancels, opens) = ::barter::strategy::algo::AlgoStrategy::<ExchangeIndex, InstrumentIndex>::generate_algo_orders(&self.default, state);
        let (mut cancels, mut opens): Requests = (cancels.into_iter().collect(), opens.into_iter().collect());
        // barter asks after every event, commands and trading state updates included: the
        // strategies here react to market and account events, once each.
        let events = state.global.events;
        let resync = self.resync.swap(false, Ordering::Relaxed);
        if self.asked.swap(events, Ordering::Relaxed) == events || resync {
            return (cancels, opens);
        }
        match &self.kind {
            Kind::BuiltIn(Strategy::Default) => {}
            Kind::BuiltIn(Strategy::BuyEveryTrade) => opens.extend(self.buy_last_trade(state)),
            Kind::Foreign { algo, .. } => {
                let (more_cancels, more_opens) = algo.generate(&self.scope, state);
                cancels.extend(more_cancels);
                opens.extend(more_opens);
            }
        }
        (cancels, opens)
    }
}

impl BindingsStrategy {
    /// `Strategy::BuyEveryTrade`: a market buy of the public trade the state processed last, at
    /// its price and amount.
    fn buy_last_trade(&self, state: &EngineState) -> Option<OrderRequestOpen<ExchangeIndex, InstrumentIndex>> {
        let Some(LastEvent::Market(event)) = &state.global.last else { return None };
        let DataKind::Trade(trade) = &event.kind else { return None };
        let instrument = state.instruments.instrument_index(&event.instrument);
        Some(OrderRequestOpen {
            key: OrderKey {
                exchange: instrument.instrument.exchange,
                instrument: event.instrument,
                strategy: self.default.id.clone(),
                cid: self.scope.next_order_id(),
            },
            state: RequestOpen {
                side: Side::Buy,
                price: Decimal::from_f64(trade.price)?,
                quantity: Decimal::from_f64(trade.amount)?,
                kind: OrderKind::Market,
                time_in_force: TimeInForce::ImmediateOrCancel,
            },
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::barter::strategy::{GlobalData, InstrumentMarketData};
    use ::barter::{engine::state::builder::EngineStateBuilder, strategy::algo::AlgoStrategy as _};
    use barter_data::{event::MarketEvent, subscription::trade::PublicTrade};
    use barter_execution::order::id::ClientOrderId;
    use barter_instrument::{Underlying, asset::Asset, exchange::ExchangeId, index::IndexedInstruments, instrument::Instrument};

    /// An engine state with one instrument, which has processed a market event of `kind`.
    fn state_after(kind: DataKind) -> EngineState {
        let underlying = Underlying::new(Asset::new("btc", "BTC"), Asset::new("usdt", "USDT"));
        let instruments = IndexedInstruments::new([Instrument::spot(ExchangeId::BinanceSpot, "binance_spot_btc_usdt", "BTCUSDT", underlying, None)]);
        let mut state = EngineStateBuilder::new(&instruments, GlobalData::default(), |_| InstrumentMarketData::default()).build();
        let event = MarketEvent { time_exchange: Default::default(), time_received: Default::default(), exchange: ExchangeId::BinanceSpot, instrument: InstrumentIndex(0), kind };
        state.update_from_market(&event);
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

        // Asked again before the next event (barter asks after commands too): nothing more.
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
