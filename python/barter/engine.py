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

from typing import Any

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
from barter._records import fields, hashable

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
from barter._records import _variants  # noqa: E402

# barter's functions, each argument checked first (barter._check).
asset_filter_exchanges = strict(_ffi.asset_filter_exchanges)
calculate_pnl_realised = strict(_ffi.calculate_pnl_realised)
calculate_pnl_return = strict(_ffi.calculate_pnl_return)
calculate_pnl_unrealised = strict(_ffi.calculate_pnl_unrealised)
instrument_filter_exchanges = strict(_ffi.instrument_filter_exchanges)
instrument_filter_instruments = strict(_ffi.instrument_filter_instruments)
instrument_filter_underlyings = strict(_ffi.instrument_filter_underlyings)
live_clock_time = strict(_ffi.live_clock_time)
position_from_trade = strict(_ffi.position_from_trade)
position_manager_update_from_trade = strict(_ffi.position_manager_update_from_trade)
position_update_from_trade = strict(_ffi.position_update_from_trade)
position_update_pnl_realised = strict(_ffi.position_update_pnl_realised)
position_update_pnl_unrealised = strict(_ffi.position_update_pnl_unrealised)
execution_error_message = strict(_ffi.execution_error_message)

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
LiveClock.time = live_clock_time  # type: ignore[attr-defined]

# barter's position methods. As in barter: `Position.update_from_trade` consumes the position
# and returns `(position, exited)`; the `&mut self` methods update the record in place.
def _assign(record: Any, new: Any) -> None:
    for name, value in fields(new).items():
        setattr(record, name, value)


def _position_update_from_trade(self: Position, trade: Any) -> tuple[Position | None, Any]:
    """barter's ``Position::update_from_trade``: ``(position, exited)``, the position still open
    (``None`` if the trade closed it exactly) and the ``PositionExited`` if it closed or flipped."""
    update = position_update_from_trade(self, trade)
    return update.position, update.exited


def _position_update_pnl_unrealised(self: Position, price: Any) -> None:
    """barter's ``Position::update_pnl_unrealised``: estimate ``pnl_unrealised`` at ``price``."""
    _assign(self, position_update_pnl_unrealised(self, price))


def _position_update_pnl_realised(self: Position, closed_quantity: Any, closed_price: Any, closed_fee: Any) -> None:
    """barter's ``Position::update_pnl_realised``: add the PnL of closing ``closed_quantity``."""
    _assign(self, position_update_pnl_realised(self, closed_quantity, closed_price, closed_fee))


def _manager_update_from_trade(self: PositionManager, trade: Any) -> Any:
    """barter's ``PositionManager::update_from_trade``: update ``current`` from ``trade``; the
    ``PositionExited``, if it closed one."""
    update = position_manager_update_from_trade(self, trade)
    _assign(self, update.manager)
    return update.exited


Position.from_trade = staticmethod(position_from_trade)  # type: ignore[attr-defined]
Position.update_from_trade = _position_update_from_trade  # type: ignore[attr-defined]
Position.update_pnl_unrealised = _position_update_pnl_unrealised  # type: ignore[attr-defined]
Position.update_pnl_realised = _position_update_pnl_realised  # type: ignore[attr-defined]
PositionManager.update_from_trade = _manager_update_from_trade  # type: ignore[attr-defined]


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
