"""Bindings for ``barter::engine``: the events barter's engine processes, its commands and
instrument filters, its requests to executions, its trading state, positions and errors (as data).

Like the engine, they are keyed by indexes (``ExchangeIndex``, ``InstrumentIndex``, ...), and read
and write barter's JSON (``EngineEvent.from_json(text)``, ``command.to_json()``). Barter's
``OneOrMany`` of each item is its own class (``OneOrManyInstrumentIndex.MANY([...])``), as barter's
JSON tells ``One`` from ``Many``; the filters' constructors build it as barter does::

    InstrumentFilter.instruments([InstrumentIndex(0), InstrumentIndex(2)])
"""

from barter._ffi.barter_ffi import (
    AccountStreamEvent,
    AssetFilter,
    AuditMode,
    Command,
    ConnectivityState,
    EngineError,
    EngineEvent,
    EngineFeedMode,
    ExecutionRequest,
    Health,
    InstrumentFilter,
    OneOrManyExchangeId,
    OneOrManyExchangeIndex,
    OneOrManyInstrumentIndex,
    OneOrManyOrderRequestCancel,
    OneOrManyOrderRequestOpen,
    OneOrManyUnderlying,
    Position,
    PositionExited,
    PositionManager,
    RecoverableEngineError,
    Shutdown,
    TradingState,
    TradingStateUpdateAudit,
    UnrecoverableEngineError,
    asset_filter_exchanges,
    calculate_pnl_realised,
    calculate_pnl_return,
    calculate_pnl_unrealised,
    instrument_filter_exchanges,
    instrument_filter_instruments,
    instrument_filter_underlyings,
)
from barter._records import hashable

# --- What the engine emits: its outputs and audit records (barter::engine::audit, ::action) ---
from barter._ffi.barter_ffi import (  # noqa: E402
    ActionOutput,
    AuditTickEngineAudit,
    EngineAudit,
    EngineContext,
    EngineMeta,
    EngineOutput,
    ExecutionError,
    GenerateAlgoOrdersOutput,
    NoneOneOrManyEngineOutput,
    NoneOneOrManyOrderRequestCancel,
    NoneOneOrManyOrderRequestCancelError,
    NoneOneOrManyOrderRequestOpen,
    NoneOneOrManyOrderRequestOpenError,
    NoneOneOrManyRiskRefusedOrderRequestCancel,
    NoneOneOrManyRiskRefusedOrderRequestOpen,
    NoneOneOrManyUnrecoverableEngineError,
    OrderRequestCancelError,
    OrderRequestOpenError,
    ProcessAudit,
    SendCancelsAndOpensOutput,
    SendRequestsOutputRequestCancel,
    SendRequestsOutputRequestOpen,
    UpdateFromAccountOutput,
    UpdateFromMarketOutput,
    UpdateTradingStateOutput,
    execution_error_message,
)
from barter._records import _variants  # noqa: E402

# barter's message of an ExecutionError (its Display): str(error).
for _variant in _variants(ExecutionError):
    _variant.__str__ = execution_error_message  # type: ignore[method-assign]

# Barter derives Hash for these; in Python they are dict keys too.
hashable(EngineContext, EngineMeta)

# barter's constructors of filters from any number of keys.
InstrumentFilter.exchanges = staticmethod(instrument_filter_exchanges)  # type: ignore[attr-defined]
InstrumentFilter.instruments = staticmethod(instrument_filter_instruments)  # type: ignore[attr-defined]
InstrumentFilter.underlyings = staticmethod(instrument_filter_underlyings)  # type: ignore[attr-defined]
AssetFilter.exchanges = staticmethod(asset_filter_exchanges)  # type: ignore[attr-defined]

# Barter derives Hash for these; in Python they are dict keys too.
hashable(
    ConnectivityState,
    EngineError,
    OneOrManyExchangeId,
    OneOrManyExchangeIndex,
    OneOrManyInstrumentIndex,
    OneOrManyUnderlying,
    RecoverableEngineError,
    Shutdown,
    UnrecoverableEngineError,
)

__all__ = [
    "AccountStreamEvent",
    "AssetFilter",
    "AuditMode",
    "Command",
    "ConnectivityState",
    "EngineError",
    "EngineEvent",
    "EngineFeedMode",
    "ExecutionRequest",
    "Health",
    "InstrumentFilter",
    "OneOrManyExchangeId",
    "OneOrManyExchangeIndex",
    "OneOrManyInstrumentIndex",
    "OneOrManyOrderRequestCancel",
    "OneOrManyOrderRequestOpen",
    "OneOrManyUnderlying",
    "RecoverableEngineError",
    "Shutdown",
    "TradingState",
    "TradingStateUpdateAudit",
    "UnrecoverableEngineError",
    # Positions (barter's engine::state::position; their methods are attached in barter.statistic)
    "Position",
    "PositionExited",
    "PositionManager",
    "calculate_pnl_realised",
    "calculate_pnl_return",
    "calculate_pnl_unrealised",
    # What the engine emits: its outputs and audit records (barter::engine::audit, ::action)
    "ActionOutput",
    "AuditTickEngineAudit",
    "EngineAudit",
    "EngineContext",
    "EngineMeta",
    "EngineOutput",
    "ExecutionError",
    "GenerateAlgoOrdersOutput",
    "NoneOneOrManyEngineOutput",
    "NoneOneOrManyOrderRequestCancel",
    "NoneOneOrManyOrderRequestCancelError",
    "NoneOneOrManyOrderRequestOpen",
    "NoneOneOrManyOrderRequestOpenError",
    "NoneOneOrManyRiskRefusedOrderRequestCancel",
    "NoneOneOrManyRiskRefusedOrderRequestOpen",
    "NoneOneOrManyUnrecoverableEngineError",
    "OrderRequestCancelError",
    "OrderRequestOpenError",
    "ProcessAudit",
    "SendCancelsAndOpensOutput",
    "SendRequestsOutputRequestCancel",
    "SendRequestsOutputRequestOpen",
    "UpdateFromAccountOutput",
    "UpdateFromMarketOutput",
    "UpdateTradingStateOutput",
]
