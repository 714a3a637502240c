"""Bindings for ``barter::engine``: the events barter's engine processes, its commands and
instrument filters, its requests to executions, its state (a read-only copy: trading state,
connectivity, assets, instruments with their positions, orders and market data), positions and
errors (as data).

Like the engine, they are keyed by indexes (``ExchangeIndex``, ``InstrumentIndex``, ...), and read
and write barter's JSON (``EngineEvent.from_json(text)``, ``command.to_json()``). Barter's
``OneOrMany`` of each item is its own class (``OneOrManyInstrumentIndex.MANY([...])``), as barter's
JSON tells ``One`` from ``Many``; the filters' constructors build it as barter does::

    InstrumentFilter.instruments([InstrumentIndex(0), InstrumentIndex(2)])
"""

from __future__ import annotations

from barter._ffi import barter_ffi as _ffi
from barter._check import strict
from barter._ffi.barter_ffi import (
    AccountStreamEvent,
    ActiveOrder,
    AssetState,
    AssetFilter,
    Command,
    ConnectivityState,
    ConnectivityStates,
    DefaultInstrumentMarketData,
    Engine,
    EngineClock,
    EngineError,
    EngineEvent,
    EngineState,
    ExchangeAssetState,
    ExecutionRequest,
    Health,
    HistoricalClock,
    InstrumentFilter,
    InstrumentMarketData,
    InstrumentState,
    LiveClock,
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
)

# --- What the engine emits: its outputs and audit records (barter::engine::audit, ::action) ---
from barter._ffi.barter_ffi import (  # noqa: E402
    ActionOutput,
    AuditTickEngineAudit,
    AuditTickEngineState,
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
)

# barter's functions, each argument checked first (barter._check).
calculate_pnl_realised = strict(_ffi.calculate_pnl_realised)
calculate_pnl_return = strict(_ffi.calculate_pnl_return)
calculate_pnl_unrealised = strict(_ffi.calculate_pnl_unrealised)

__all__ = [
    # The engine's state: a copy, read-only (BacktestArgsConstant.engine_state())
    "ActiveOrder",
    "AssetState",
    "ConnectivityStates",
    "DefaultInstrumentMarketData",
    "EngineState",
    "ExchangeAssetState",
    "InstrumentMarketData",
    "InstrumentState",
    # The engine of a system that has shut down (System.shutdown()), and its clocks
    "Engine",
    "EngineClock",
    "HistoricalClock",
    "LiveClock",
    # Events, commands, requests, errors
    "AccountStreamEvent",
    "AssetFilter",
    "Command",
    "ConnectivityState",
    "EngineError",
    "EngineEvent",
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
    # Positions (barter's engine::state::position)
    "Position",
    "PositionExited",
    "PositionManager",
    "calculate_pnl_realised",
    "calculate_pnl_return",
    "calculate_pnl_unrealised",
    # What the engine emits: its outputs and audit records (barter::engine::audit, ::action)
    "ActionOutput",
    "AuditTickEngineAudit",
    "AuditTickEngineState",
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
