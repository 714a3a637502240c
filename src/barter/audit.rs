//! Bindings for what barter's engine emits: the outputs of processing an event (`EngineOutput`,
//! the actions' outputs), and its audit records (`AuditTick` of an `EngineAudit`, with its
//! `EngineContext`), plus the engine's metadata and the execution link's `ExecutionError`.
//!
//! They are at the instantiation of barter's default engine: `EngineEvent`, the engine's indexes,
//! and the outputs of barter's `DefaultStrategy` (whose `OnTradingDisabled` and `OnDisconnect`
//! outputs are `()`). `()` is no UniFFI type, so the four types that hold it cross as local
//! mirrors of the same name whose variants for it carry no data (lossless both ways); every other
//! type is barter's own.

use crate::{
    barter::{
        engine::{EngineEvent, state::EngineState},
        position::PositionExited,
        risk::{RiskRefusedOrderRequestCancel, RiskRefusedOrderRequestOpen},
        strategy,
    },
    custom::Timestamp,
    execution::{
        error::ClientError,
        order::{OrderRequestCancel, OrderRequestOpen},
    },
    integration::none_one_or_many,
    json::json_functions,
};
use ::barter::{
    Sequence,
    engine::{
        EngineMeta,
        action::{
            generate_algo_orders::GenerateAlgoOrdersOutput, send_requests::SendCancelsAndOpensOutput,
        },
        audit::context::EngineContext,
        error::{EngineError, UnrecoverableEngineError},
    },
};
use barter_execution::order::request::{RequestCancel, RequestOpen};
use barter_instrument::index::error::IndexError;
use std::sync::Arc;

/// The engine's metadata of a run: its clock's `time_start` and the `sequence` of the next event
/// it processes.
#[uniffi::remote(Record)]
pub struct EngineMeta {
    pub time_start: Timestamp,
    pub sequence: Sequence,
}

/// Where an audit was produced: the engine's `sequence` number of it and the engine's clock
/// `time`.
#[uniffi::remote(Record)]
pub struct EngineContext {
    pub sequence: Sequence,
    pub time: Timestamp,
}

// barter's `SendRequestsOutput.errors` holds `(request, error)` pairs; tuples are no UniFFI type,
// so each pair crosses as a record of its two parts (barter's JSON keeps the pair).
macro_rules! request_error {
    ($pair:ident, $record:ident, $request:ty) => {
        type $pair = ($request, EngineError);

        /// An order request the engine failed to send (`request`) and why (`error`): barter's
        /// `(request, error)` pair.
        #[derive(uniffi::Record)]
        pub struct $record {
            pub request: $request,
            pub error: EngineError,
        }

        uniffi::custom_type!($pair, $record, {
            remote,
            lower: |pair| $record { request: pair.0, error: pair.1 },
            try_lift: |record| Ok((record.request, record.error)),
        });
    };
}

request_error!(BarterOrderRequestOpenError, OrderRequestOpenError, OrderRequestOpen);
request_error!(BarterOrderRequestCancelError, OrderRequestCancelError, OrderRequestCancel);

none_one_or_many!(NoneOneOrManyOrderRequestOpen, OrderRequestOpen);
none_one_or_many!(NoneOneOrManyOrderRequestCancel, OrderRequestCancel);
none_one_or_many!(NoneOneOrManyOrderRequestOpenError, BarterOrderRequestOpenError);
none_one_or_many!(NoneOneOrManyOrderRequestCancelError, BarterOrderRequestCancelError);
none_one_or_many!(NoneOneOrManyRiskRefusedOrderRequestOpen, RiskRefusedOrderRequestOpen);
none_one_or_many!(NoneOneOrManyRiskRefusedOrderRequestCancel, RiskRefusedOrderRequestCancel);
none_one_or_many!(NoneOneOrManyUnrecoverableEngineError, UnrecoverableEngineError);
none_one_or_many!(NoneOneOrManyEngineOutput, BarterEngineOutput);

pub type SendRequestsOutputRequestOpen = ::barter::engine::action::send_requests::SendRequestsOutput<RequestOpen>;

/// The open requests the engine sent to executions (`sent`), and those it failed to send with
/// why (`errors`).
#[uniffi::remote(Record)]
pub struct SendRequestsOutputRequestOpen {
    pub sent: NoneOneOrManyOrderRequestOpen,
    pub errors: NoneOneOrManyOrderRequestOpenError,
}

pub type SendRequestsOutputRequestCancel = ::barter::engine::action::send_requests::SendRequestsOutput<RequestCancel>;

/// The cancel requests the engine sent to executions (`sent`), and those it failed to send with
/// why (`errors`).
#[uniffi::remote(Record)]
pub struct SendRequestsOutputRequestCancel {
    pub sent: NoneOneOrManyOrderRequestCancel,
    pub errors: NoneOneOrManyOrderRequestCancelError,
}

/// The cancel and open requests the engine sent (or failed to send): `cancels` and `opens`.
#[uniffi::remote(Record)]
pub struct SendCancelsAndOpensOutput {
    pub cancels: SendRequestsOutputRequestCancel,
    pub opens: SendRequestsOutputRequestOpen,
}

/// What generating algorithmic orders did: the requests the risk manager approved and the engine
/// sent (`cancels_and_opens`), and those it refused (`cancels_refused`, `opens_refused`).
#[uniffi::remote(Record)]
pub struct GenerateAlgoOrdersOutput {
    pub cancels_and_opens: SendCancelsAndOpensOutput,
    pub cancels_refused: NoneOneOrManyRiskRefusedOrderRequestCancel,
    pub opens_refused: NoneOneOrManyRiskRefusedOrderRequestOpen,
}

pub type ActionOutput = ::barter::engine::action::ActionOutput;

/// What the engine did on a `Command`: `OpenOrders` and `CancelOrders` (the requests sent, for
/// `SendOpenRequests`/`SendCancelRequests` and `CancelOrders`), `ClosePositions` (the cancels
/// and opens sent) or `GenerateAlgoOrders`.
#[uniffi::remote(Enum)]
pub enum ActionOutput {
    GenerateAlgoOrders(GenerateAlgoOrdersOutput),
    CancelOrders(SendRequestsOutputRequestCancel),
    OpenOrders(SendRequestsOutputRequestOpen),
    ClosePositions(SendCancelsAndOpensOutput),
}

type BarterEngineOutput = ::barter::engine::EngineOutput<(), ()>;

/// An output of the engine processing an event: `Commanded` (what a command did),
/// `OnTradingDisabled` (trading was disabled: the strategy's reaction), `AccountDisconnect` and
/// `MarketDisconnect` (a stream is reconnecting: the strategy's reaction), `PositionExit` (a
/// position closed) or `AlgoOrders` (the strategy's orders).
///
/// barter's `EngineOutput<(), ()>`: the default strategy's reactions are `()`, so their variants
/// carry no data.
#[derive(uniffi::Enum)]
pub enum EngineOutput {
    Commanded(ActionOutput),
    OnTradingDisabled,
    AccountDisconnect,
    PositionExit(PositionExited),
    MarketDisconnect,
    AlgoOrders(GenerateAlgoOrdersOutput),
}

uniffi::custom_type!(BarterEngineOutput, EngineOutput, {
    remote,
    lower: |output| match output {
        BarterEngineOutput::Commanded(action) => EngineOutput::Commanded(action),
        BarterEngineOutput::OnTradingDisabled(()) => EngineOutput::OnTradingDisabled,
        BarterEngineOutput::AccountDisconnect(()) => EngineOutput::AccountDisconnect,
        BarterEngineOutput::PositionExit(exited) => EngineOutput::PositionExit(exited),
        BarterEngineOutput::MarketDisconnect(()) => EngineOutput::MarketDisconnect,
        BarterEngineOutput::AlgoOrders(orders) => EngineOutput::AlgoOrders(orders),
    },
    try_lift: |output| Ok(match output {
        EngineOutput::Commanded(action) => BarterEngineOutput::Commanded(action),
        EngineOutput::OnTradingDisabled => BarterEngineOutput::OnTradingDisabled(()),
        EngineOutput::AccountDisconnect => BarterEngineOutput::AccountDisconnect(()),
        EngineOutput::PositionExit(exited) => BarterEngineOutput::PositionExit(exited),
        EngineOutput::MarketDisconnect => BarterEngineOutput::MarketDisconnect(()),
        EngineOutput::AlgoOrders(orders) => BarterEngineOutput::AlgoOrders(orders),
    }),
});

type BarterUpdateTradingStateOutput = ::barter::engine::UpdateTradingStateOutput<()>;

/// What a trading state update produced: `None`, or `OnTradingDisabled` (the strategy's
/// reaction to trading being disabled). barter's `UpdateTradingStateOutput<()>`: the default
/// strategy's reaction is `()`, so its variant carries no data.
#[derive(uniffi::Enum)]
pub enum UpdateTradingStateOutput {
    None,
    OnTradingDisabled,
}

uniffi::custom_type!(BarterUpdateTradingStateOutput, UpdateTradingStateOutput, {
    remote,
    lower: |output| match output {
        BarterUpdateTradingStateOutput::None => UpdateTradingStateOutput::None,
        BarterUpdateTradingStateOutput::OnTradingDisabled(()) => UpdateTradingStateOutput::OnTradingDisabled,
    },
    try_lift: |output| Ok(match output {
        UpdateTradingStateOutput::None => BarterUpdateTradingStateOutput::None,
        UpdateTradingStateOutput::OnTradingDisabled => BarterUpdateTradingStateOutput::OnTradingDisabled(()),
    }),
});

type BarterUpdateFromAccountOutput = ::barter::engine::UpdateFromAccountOutput<()>;

/// What an account stream event produced: `None`, `OnDisconnect` (the strategy's reaction to the
/// stream reconnecting) or `PositionExit` (a position closed). barter's
/// `UpdateFromAccountOutput<()>`: the default strategy's reaction is `()`, so its variant carries
/// no data.
#[derive(uniffi::Enum)]
pub enum UpdateFromAccountOutput {
    None,
    OnDisconnect,
    PositionExit(PositionExited),
}

uniffi::custom_type!(BarterUpdateFromAccountOutput, UpdateFromAccountOutput, {
    remote,
    lower: |output| match output {
        BarterUpdateFromAccountOutput::None => UpdateFromAccountOutput::None,
        BarterUpdateFromAccountOutput::OnDisconnect(()) => UpdateFromAccountOutput::OnDisconnect,
        BarterUpdateFromAccountOutput::PositionExit(exited) => UpdateFromAccountOutput::PositionExit(exited),
    },
    try_lift: |output| Ok(match output {
        UpdateFromAccountOutput::None => BarterUpdateFromAccountOutput::None,
        UpdateFromAccountOutput::OnDisconnect => BarterUpdateFromAccountOutput::OnDisconnect(()),
        UpdateFromAccountOutput::PositionExit(exited) => BarterUpdateFromAccountOutput::PositionExit(exited),
    }),
});

type BarterUpdateFromMarketOutput = ::barter::engine::UpdateFromMarketOutput<()>;

/// What a market stream event produced: `None`, or `OnDisconnect` (the strategy's reaction to
/// the stream reconnecting). barter's `UpdateFromMarketOutput<()>`: the default strategy's
/// reaction is `()`, so its variant carries no data.
#[derive(uniffi::Enum)]
pub enum UpdateFromMarketOutput {
    None,
    OnDisconnect,
}

uniffi::custom_type!(BarterUpdateFromMarketOutput, UpdateFromMarketOutput, {
    remote,
    lower: |output| match output {
        BarterUpdateFromMarketOutput::None => UpdateFromMarketOutput::None,
        BarterUpdateFromMarketOutput::OnDisconnect(()) => UpdateFromMarketOutput::OnDisconnect,
    },
    try_lift: |output| Ok(match output {
        UpdateFromMarketOutput::None => BarterUpdateFromMarketOutput::None,
        UpdateFromMarketOutput::OnDisconnect => BarterUpdateFromMarketOutput::OnDisconnect(()),
    }),
});

pub type ProcessAudit = ::barter::engine::audit::ProcessAudit<EngineEvent, BarterEngineOutput>;

/// What the engine did processing one `event`: its `outputs`, and the unrecoverable `errors`
/// that stop it.
#[uniffi::remote(Record)]
pub struct ProcessAudit {
    pub event: EngineEvent,
    pub outputs: NoneOneOrManyEngineOutput,
    pub errors: NoneOneOrManyUnrecoverableEngineError,
}

pub type EngineAudit = ::barter::engine::audit::EngineAudit<EngineEvent, BarterEngineOutput>;

/// An audit of the engine: its event feed ended (`FeedEnded`), or it processed an event
/// (`Process`).
#[uniffi::remote(Enum)]
pub enum EngineAudit {
    FeedEnded,
    Process(ProcessAudit),
}

pub type AuditTickEngineAudit = ::barter::engine::audit::AuditTick<EngineAudit, EngineContext>;

/// One audit of the engine (`event`) and where it was produced (`context`): what barter's engine
/// sends on its audit stream after each event. (The audit stream's first tick, a snapshot of the
/// engine's state, is another instantiation.)
#[uniffi::remote(Record)]
pub struct AuditTickEngineAudit {
    pub event: EngineAudit,
    pub context: EngineContext,
}

/// The first tick of a system's audit stream: a copy of the engine's state (`event`) when the
/// system started, and its `context`. barter's `AuditTick<EngineState>`.
#[derive(uniffi::Record)]
pub struct AuditTickEngineState {
    pub event: Arc<EngineState>,
    pub context: EngineContext,
}

impl From<::barter::engine::audit::AuditTick<strategy::EngineState, EngineContext>> for AuditTickEngineState {
    fn from(tick: ::barter::engine::audit::AuditTick<strategy::EngineState, EngineContext>) -> Self {
        Self { event: Arc::new(EngineState(tick.event)), context: tick.context }
    }
}

pub type ExecutionError = ::barter::execution::error::ExecutionError;

/// An error of the link between the engine and an execution: `Config` (an invalid execution
/// manager configuration: reason), `Index` (a key it could not index) or `Client` (an execution
/// client's error). Its message is `execution_error_message` (Python: `str(error)`).
#[uniffi::remote(Enum)]
pub enum ExecutionError {
    Config(String),
    Index(IndexError),
    Client(ClientError),
}

/// barter's message of an `ExecutionError`.
#[uniffi::export]
pub fn execution_error_message(error: ExecutionError) -> String {
    error.to_string()
}

json_functions!(
    EngineMeta, EngineContext, NoneOneOrManyOrderRequestOpen, NoneOneOrManyOrderRequestCancel,
    NoneOneOrManyOrderRequestOpenError, NoneOneOrManyOrderRequestCancelError,
    NoneOneOrManyRiskRefusedOrderRequestOpen, NoneOneOrManyRiskRefusedOrderRequestCancel,
    NoneOneOrManyUnrecoverableEngineError, NoneOneOrManyEngineOutput, SendRequestsOutputRequestOpen,
    SendRequestsOutputRequestCancel, SendCancelsAndOpensOutput, GenerateAlgoOrdersOutput, ActionOutput,
    BarterEngineOutput as EngineOutput, BarterUpdateTradingStateOutput as UpdateTradingStateOutput,
    BarterUpdateFromAccountOutput as UpdateFromAccountOutput,
    BarterUpdateFromMarketOutput as UpdateFromMarketOutput, ProcessAudit, EngineAudit,
    AuditTickEngineAudit, ExecutionError,
);
