"""Bindings for ``barter::engine``: the state of barter's trading engine."""

from barter._ffi.barter_ffi import (
    Position,
    PositionExited,
    PositionManager,
    TradingState,
    calculate_pnl_realised,
    calculate_pnl_return,
    calculate_pnl_unrealised,
)

__all__ = [
    "TradingState",
    # Positions (barter's engine::state::position; their methods: barter.statistic)
    "Position",
    "PositionExited",
    "PositionManager",
    "calculate_pnl_realised",
    "calculate_pnl_return",
    "calculate_pnl_unrealised",
]
