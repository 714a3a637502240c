"""Bindings for ``barter::strategy``: the strategy a backtest runs, chosen in ``BacktestArgsDynamic``."""

from barter._ffi.barter_ffi import Strategy

__all__ = ["Strategy"]
