"""Bindings for ``barter::engine``: the state of barter's trading engine."""

from barter._ffi.barter_ffi import TradingState

__all__ = ["TradingState"]
