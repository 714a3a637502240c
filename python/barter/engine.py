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

from barter._ffi.barter_ffi import (
    AccountStreamEvent,
    ActiveOrder,
    AssetState,
    AssetFilter,
    AuditMode,
    Command,
    ConnectivityState,
    ConnectivityStates,
    DefaultInstrumentMarketData,
    EngineError,
    EngineEvent,
    EngineFeedMode,
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
    asset_filter_exchanges,
    calculate_pnl_realised,
    calculate_pnl_return,
    calculate_pnl_unrealised,
    instrument_filter_exchanges,
    instrument_filter_instruments,
    instrument_filter_underlyings,
    live_clock_time,
)
from barter._records import hashable

# barter's constructors of filters from any number of keys.
InstrumentFilter.exchanges = staticmethod(instrument_filter_exchanges)  # type: ignore[attr-defined]
InstrumentFilter.instruments = staticmethod(instrument_filter_instruments)  # type: ignore[attr-defined]
InstrumentFilter.underlyings = staticmethod(instrument_filter_underlyings)  # type: ignore[attr-defined]
AssetFilter.exchanges = staticmethod(asset_filter_exchanges)  # type: ignore[attr-defined]
LiveClock.time = live_clock_time  # type: ignore[attr-defined]

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
    # The engine's state: a copy, read-only (BacktestArgsConstant.engine_state())
    "ActiveOrder",
    "AssetState",
    "ConnectivityStates",
    "DefaultInstrumentMarketData",
    "EngineState",
    "ExchangeAssetState",
    "InstrumentMarketData",
    "InstrumentState",
    # Clocks
    "HistoricalClock",
    "LiveClock",
    # Events, commands, requests, errors
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
]
