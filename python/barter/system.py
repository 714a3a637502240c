"""Bindings for ``barter::system``: the configuration of a trading system."""

from barter._ffi.barter_ffi import BacktestConfig, SystemConfig

__all__ = ["BacktestConfig", "SystemConfig"]
