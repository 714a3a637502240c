//! Bindings for `barter::strategy`: the strategy a backtest or system runs, built in or written
//! in the foreign language.
//!
//! Every engine of the bindings runs one Rust strategy type, [`BindingsStrategy`], over one
//! engine state, [`EngineState`]. It is barter's `DefaultStrategy` (which it delegates to),
//! optionally placing the orders of barter's own benchmark strategy, or a [`ForeignStrategy`]:
//! barter's four strategy traits, each an extension point with its foreign trait and adapter in
//! a file of its own (`algo`, `close_positions`, `on_disconnect`, `on_trading_disabled`), all
//! given a [`context::StrategyContext`]. The engine state's instrument data adds the last public
//! trade to barter's `DefaultInstrumentMarketData`, and its global data records the event that
//! woke the strategy.

pub mod algo;
pub mod close_positions;
pub mod context;
pub mod on_disconnect;
pub mod on_trading_disabled;

use crate::error::{BarterError, Result};
use ::barter::{
    engine::{
        Engine, Processor,
        command::Command,
        state::{
            EngineState as BarterEngineState,
            instrument::data::{DefaultInstrumentMarketData, InstrumentDataState},
            order::in_flight_recorder::InFlightRequestRecorder,
            trading::TradingState,
        },
    },
    strategy::DefaultStrategy,
};
use barter_data::{
    event::{DataKind, MarketEvent},
    subscription::trade::PublicTrade,
};
use barter_execution::{
    AccountEvent,
    order::request::{OrderRequestCancel, OrderRequestOpen},
};
use barter_instrument::{exchange::ExchangeIndex, instrument::InstrumentIndex};
use context::{OrderIds, Scope};
use rust_decimal::Decimal;
use std::sync::{
    Arc,
    atomic::{AtomicBool, AtomicU64, Ordering},
};

pub type EngineState = BarterEngineState<GlobalData, InstrumentMarketData>;

/// The built-in strategies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, uniffi::Enum)]
pub enum Strategy {
    /// barter's `DefaultStrategy`: no algorithmic orders; positions are closed with market orders.
    #[default]
    Default,
    /// barter's `DefaultStrategy`, plus a market buy of every public trade, at the trade's price
    /// and amount (the strategy of barter's own backtest benchmark).
    BuyEveryTrade,
}

/// A strategy written in the foreign language: its implementation of barter's `AlgoStrategy`
/// and the events that wake it, and optionally of barter's other strategy traits. Each one left
/// out does what barter's `DefaultStrategy` does: positions close with market orders
/// (`close_open_positions_with_market_orders`); disconnections and trading being disabled
/// change nothing.
#[derive(Clone, uniffi::Record)]
pub struct ForeignStrategy {
    pub algo: Arc<dyn algo::AlgoStrategy>,
    pub wakes: algo::Wakes,
    #[uniffi(default = None)]
    pub close_positions: Option<Arc<dyn close_positions::ClosePositionsStrategy>>,
    #[uniffi(default = None)]
    pub on_disconnect: Option<Arc<dyn on_disconnect::OnDisconnectStrategy>>,
    #[uniffi(default = None)]
    pub on_trading_disabled: Option<Arc<dyn on_trading_disabled::OnTradingDisabled>>,
}

impl std::fmt::Debug for ForeignStrategy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ForeignStrategy").field("wakes", &self.wakes).finish_non_exhaustive()
    }
}

/// What a strategy runs: a built-in one, or a foreign one with its adapters.
#[derive(Debug)]
enum Kind {
    BuiltIn(Strategy),
    Foreign { algo: algo::ForeignAlgo, hooks: ForeignStrategy },
}

/// A strategy as barter's engine runs it: the chosen one, barter's `DefaultStrategy` (its id,
/// and its behaviour where the chosen one has none), and the [`Scope`] of its run (order ids,
/// the state lent to foreign code, the run's failure), which the run's risk manager shares.
#[derive(Debug)]
pub struct BindingsStrategy {
    kind: Kind,
    default: DefaultStrategy<EngineState>,
    scope: Arc<Scope>,
    /// `GlobalData::events` when the strategy was last asked for orders.
    asked: AtomicU64,
    /// Set while trading is disabled: the next ask (right after trading is enabled) only
    /// catches up with the events processed meanwhile, which are not the strategy's to react to.
    resync: AtomicBool,
}

impl BindingsStrategy {
    /// `strategy` (or barter's `DefaultStrategy`) or, if given, the `foreign` one, with order
    /// ids by `order_ids`. Both at once is refused: a run has one strategy.
    pub fn new(strategy: Option<Strategy>, foreign: Option<ForeignStrategy>, order_ids: OrderIds) -> Result<Self> {
        let kind = match (strategy, foreign) {
            (Some(_), Some(_)) => {
                return Err(BarterError::InvalidInput { reason: "strategy: give a built-in Strategy or a foreign strategy, not both".into() });
            }
            (_, Some(hooks)) => Kind::Foreign { algo: algo::ForeignAlgo::new(Arc::clone(&hooks.algo), hooks.wakes.clone()), hooks },
            (strategy, None) => Kind::BuiltIn(strategy.unwrap_or_default()),
        };
        Ok(Self::of(kind, order_ids))
    }

    /// A built-in strategy, for an event-time backtest: order ids numbered from 1.
    pub fn backtest(kind: Strategy) -> Self {
        Self::of(Kind::BuiltIn(kind), OrderIds::sequence())
    }

    fn of(kind: Kind, order_ids: OrderIds) -> Self {
        let default = DefaultStrategy::default();
        let scope = Scope::new(default.id.clone(), order_ids);
        Self { kind, default, scope, asked: AtomicU64::new(0), resync: AtomicBool::new(false) }
    }

    /// For an engine starting with `trading` (barter asks for orders only while it is enabled).
    pub fn starting(self, trading: TradingState) -> Self {
        self.resync.store(trading == TradingState::Disabled, Ordering::Relaxed);
        self
    }

    /// Whether it calls code of the foreign language.
    pub fn is_foreign(&self) -> bool {
        matches!(self.kind, Kind::Foreign { .. })
    }

    /// What the run's foreign callbacks share (with its risk manager, its composition).
    pub fn scope(&self) -> &Arc<Scope> {
        &self.scope
    }

    /// Check that the strategy's `Wakes` name instruments of the engine.
    pub fn check_instruments(&self, count: usize) -> Result<()> {
        if let Kind::Foreign { hooks, .. } = &self.kind {
            for index in hooks.wakes.instruments.iter().flatten() {
                if index.index() >= count {
                    return Err(BarterError::Index { reason: format!("wakes.instruments: {index} is not one of the engine's {count} instruments") });
                }
            }
        }
        Ok(())
    }
}

/// Send the orders a strategy's hook made as barter's commands do (`Engine::action`), which
/// records them in flight.
fn send<Clock, ExecutionTxs, Risk>(engine: &mut Engine<Clock, EngineState, ExecutionTxs, BindingsStrategy, Risk>, (cancels, opens): context::Requests)
where
    ExecutionTxs: ::barter::engine::execution_tx::ExecutionTxMap,
    Risk: ::barter::risk::RiskManager,
{
    if !cancels.is_empty() {
        engine.action(&Command::SendCancelRequests(cancels.into()));
    }
    if !opens.is_empty() {
        engine.action(&Command::SendOpenRequests(opens.into()));
    }
}

/// The event the engine state processed last, of those barter gives its global data.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub enum LastEvent {
    Market(MarketEvent<InstrumentIndex, DataKind>),
    Account(AccountEvent),
}

/// The engine state's global data in the bindings: how many market and account `events` it has
/// processed and the `last` of them, so a strategy is woken by the event that woke the engine
/// (barter asks for orders after every event, including commands).
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub struct GlobalData {
    pub events: u64,
    pub last: Option<LastEvent>,
}

impl Processor<&MarketEvent<InstrumentIndex, DataKind>> for GlobalData {
    type Audit = ();

    fn process(&mut self, event: &MarketEvent<InstrumentIndex, DataKind>) {
        self.events += 1;
        self.last = Some(LastEvent::Market(event.clone()));
    }
}

impl Processor<&AccountEvent> for GlobalData {
    type Audit = ();

    fn process(&mut self, event: &AccountEvent) {
        self.events += 1;
        self.last = Some(LastEvent::Account(event.clone()));
    }
}

/// barter's `DefaultInstrumentMarketData` (`market`) and the instrument's last event if it was a
/// public trade: the market data the bindings' strategies keep per instrument.
#[derive(Debug, Clone, Default, PartialEq, serde::Serialize, serde::Deserialize, uniffi::Record)]
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
