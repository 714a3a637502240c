"""Bindings for ``barter::system``: the configuration of a trading system, its instruments and
its executions."""

from barter._ffi.barter_ffi import BacktestConfig, ExecutionConfig, InstrumentConfig, SystemConfig
from barter._records import hashable

hashable(InstrumentConfig)

__all__ = ["BacktestConfig", "ExecutionConfig", "InstrumentConfig", "SystemConfig"]
