//! Bindings for `barter::engine`: the events the engine processes (market and account events,
//! commands, trading state updates), its commands and instrument filters, its requests to
//! executions, and its errors (as data).
//!
//! barter's defaults key them by the engine's indexes (`ExchangeIndex`, `AssetIndex`,
//! `InstrumentIndex`); so do the bindings.

pub mod clock;
pub(crate) mod keys;
pub mod state;
pub(crate) mod supervised;

use crate::{
    barter::{
        statistic::generator::TradingSummaryGenerator,
        risk::manager::BindingsRisk,
        strategy::{self, BindingsStrategy},
    },
    custom::Timestamp,
    data::MarketStreamEvent,
    error::{BarterError, Result},
    execution::{
        account::AccountEvent,
        order::{OrderRequestCancel, OrderRequestOpen},
    },
    instrument::Underlying,
    integration::one_or_many,
    json::json_functions,
};
use ::barter::{
    Sequence,
    engine::{
        error::{EngineError, RecoverableEngineError, UnrecoverableEngineError},
        EngineMeta,
        execution_tx::MultiExchangeTxMap,
        state::{
            asset::filter::AssetFilter,
            connectivity::{ConnectivityState, Health},
            trading::{TradingState, TradingStateUpdateAudit},
        },
    },
    shutdown::Shutdown,
};
use barter_instrument::{
    exchange::{ExchangeId, ExchangeIndex},
    index::error::IndexError,
    instrument::InstrumentIndex,
};
use rust_decimal::Decimal;
use std::sync::Arc;

// The engine's sequence number of an event it processed: an `int`.
uniffi::custom_type!(Sequence, u64, {
    remote,
    lower: |sequence| sequence.value(),
    try_lift: |sequence| Ok(Sequence(sequence)),
});

/// Request to shut down (the engine, an execution manager, a system).
#[uniffi::remote(Record)]
pub struct Shutdown {}

one_or_many!(OneOrManyExchangeId, ExchangeId);
one_or_many!(OneOrManyExchangeIndex, ExchangeIndex);
one_or_many!(OneOrManyInstrumentIndex, InstrumentIndex);
one_or_many!(OneOrManyUnderlying, Underlying);
one_or_many!(OneOrManyOrderRequestCancel, OrderRequestCancel);
one_or_many!(OneOrManyOrderRequestOpen, OrderRequestOpen);

pub type EngineEvent = ::barter::EngineEvent;

/// Default event the engine processes: market events, account (execution) events, commands,
/// trading state updates, and shutdown.
#[uniffi::remote(Enum)]
pub enum EngineEvent {
    Shutdown(Shutdown),
    Command(Command),
    TradingStateUpdate(TradingState),
    Account(AccountStreamEvent),
    Market(MarketStreamEvent),
}

pub type AccountStreamEvent = ::barter::execution::AccountStreamEvent;

/// What an account stream yields: an `AccountEvent` (`Item`), or a notice that the account stream
/// of an exchange is reconnecting (`Reconnecting`).
#[uniffi::remote(Enum)]
pub enum AccountStreamEvent {
    Reconnecting(ExchangeId),
    Item(AccountEvent),
}

pub type Command = ::barter::engine::command::Command;

/// A command for the engine: send order requests, close positions or cancel orders of the
/// instruments an `InstrumentFilter` selects.
#[uniffi::remote(Enum)]
pub enum Command {
    SendCancelRequests(OneOrManyOrderRequestCancel),
    SendOpenRequests(OneOrManyOrderRequestOpen),
    ClosePositions(InstrumentFilter),
    CancelOrders(InstrumentFilter),
}

pub type InstrumentFilter = ::barter::engine::state::instrument::filter::InstrumentFilter;

/// Selects instruments: all (`None`), or those of some exchanges, some instruments, or some
/// underlyings.
#[uniffi::remote(Enum)]
pub enum InstrumentFilter {
    None,
    Exchanges(OneOrManyExchangeIndex),
    Instruments(OneOrManyInstrumentIndex),
    Underlyings(OneOrManyUnderlying),
}

/// Selects assets: all (`None`), or those of some exchanges.
#[uniffi::remote(Enum)]
pub enum AssetFilter {
    None,
    Exchanges(OneOrManyExchangeId),
}

// barter's constructors of filters from any number of keys (one becomes `One`, more `Many`).
// barter would build an empty `Many`, which selects nothing: refused, as `None` means all.
fn non_empty<T>(keys: Vec<T>, what: &str) -> Result<Vec<T>> {
    if keys.is_empty() {
        Err(BarterError::InvalidInput { reason: format!("a filter of {what} needs at least one (InstrumentFilter.NONE selects all)") })
    } else {
        Ok(keys)
    }
}

/// barter's `InstrumentFilter::exchanges`: the instruments of these exchanges.
#[uniffi::export]
pub fn instrument_filter_exchanges(exchanges: Vec<ExchangeIndex>) -> Result<InstrumentFilter> {
    Ok(InstrumentFilter::exchanges(non_empty(exchanges, "exchanges")?))
}

/// barter's `InstrumentFilter::instruments`: these instruments.
#[uniffi::export]
pub fn instrument_filter_instruments(instruments: Vec<InstrumentIndex>) -> Result<InstrumentFilter> {
    Ok(InstrumentFilter::instruments(non_empty(instruments, "instruments")?))
}

/// barter's `InstrumentFilter::underlyings`: the instruments of these underlyings.
#[uniffi::export]
pub fn instrument_filter_underlyings(underlyings: Vec<Underlying>) -> Result<InstrumentFilter> {
    Ok(InstrumentFilter::underlyings(non_empty(underlyings, "underlyings")?))
}

/// barter's `AssetFilter::exchanges`: the assets of these exchanges.
#[uniffi::export]
pub fn asset_filter_exchanges(exchanges: Vec<ExchangeId>) -> Result<AssetFilter> {
    Ok(AssetFilter::exchanges(non_empty(exchanges, "exchanges")?))
}

pub type ExecutionRequest = ::barter::execution::request::ExecutionRequest;

/// The engine's request to an execution manager.
#[uniffi::remote(Enum)]
pub enum ExecutionRequest {
    Shutdown,
    Cancel(OrderRequestCancel),
    Open(OrderRequestOpen),
}

/// A trading state change: the state before (`prev`) and after (`current`).
#[uniffi::remote(Record)]
pub struct TradingStateUpdateAudit {
    pub prev: TradingState,
    pub current: TradingState,
}

/// Whether a connection is `Healthy` or `Reconnecting`.
#[uniffi::remote(Enum)]
pub enum Health {
    Healthy,
    Reconnecting,
}

/// The health of an exchange's market data and account connections.
#[uniffi::remote(Record)]
pub struct ConnectivityState {
    pub market_data: Health,
    pub account: Health,
}

/// An error of the engine: `Recoverable` (it keeps trading) or `Unrecoverable` (it stops).
#[uniffi::remote(Enum)]
pub enum EngineError {
    Recoverable(RecoverableEngineError),
    Unrecoverable(UnrecoverableEngineError),
}

/// An engine error it recovers from.
#[uniffi::remote(Enum)]
pub enum RecoverableEngineError {
    ExecutionChannelUnhealthy(String),
}

/// An engine error that stops the engine.
#[uniffi::remote(Enum)]
pub enum UnrecoverableEngineError {
    IndexError(IndexError),
    ExecutionChannelTerminated(String),
    Custom(String),
}

/// barter's `Engine` as the bindings run it: a clock (their systems' `EngineClock` by default;
/// an event-time backtest's `EventClock`), barter's `EngineState` with the bindings' global and
/// instrument data, the channels to each execution, the chosen strategy and risk manager.
pub(crate) type BindingsEngine<Clock = clock::EngineClock> = ::barter::engine::Engine<
    Clock,
    strategy::EngineState,
    MultiExchangeTxMap,
    BindingsStrategy,
    BindingsRisk,
>;

/// barter's `Engine` of a system that has shut down (`System.shutdown()`): its final state,
/// its metadata and its trading summary.
#[derive(uniffi::Object)]
pub struct Engine(pub(crate) BindingsEngine);

/// The engine of an event-time backtest (`crate::sim::event_time`).
pub(crate) type EventTimeEngine = BindingsEngine<crate::sim::event_time::EventClock>;

#[uniffi::export]
impl Engine {
    /// A copy of the engine's final `EngineState`.
    pub fn state(&self) -> Arc<state::EngineState> {
        Arc::new(state::EngineState(self.0.state.clone()))
    }

    /// When the engine started and how many events it processed.
    pub fn meta(&self) -> EngineMeta {
        self.0.meta
    }

    /// The engine's clock time (barter's `Engine::time`).
    pub fn time(&self) -> Timestamp {
        self.0.time()
    }

    /// The error that stopped the engine's strategy or risk manager of the foreign language, if
    /// one raised (a `BarterError.Callback`'s reason; trading was disabled then).
    pub fn failure(&self) -> Option<String> {
        self.0.strategy.scope().failure().error().map(|error| error.to_string())
    }

    /// barter's `Engine::trading_summary_generator`: the statistics of the trading session, from
    /// the engine's start to its clock time now; `generate(interval)` gives the `TradingSummary`.
    pub fn trading_summary_generator(&self, risk_free_return: Decimal) -> Arc<TradingSummaryGenerator> {
        TradingSummaryGenerator::of(self.0.trading_summary_generator(risk_free_return))
    }
}

json_functions!(
    Shutdown, OneOrManyExchangeId, OneOrManyExchangeIndex, OneOrManyInstrumentIndex,
    OneOrManyUnderlying, OneOrManyOrderRequestCancel, OneOrManyOrderRequestOpen, EngineEvent,
    AccountStreamEvent, Command, InstrumentFilter, AssetFilter, ExecutionRequest,
    TradingStateUpdateAudit (lossless), Health, ConnectivityState, EngineError, RecoverableEngineError,
    UnrecoverableEngineError, Sequence, TradingState,
);
