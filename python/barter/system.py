"""Bindings for ``barter::system``: the configuration of a trading system and its instruments."""

from barter._ffi.barter_ffi import BacktestConfig, InstrumentConfig, SystemConfig
from barter._records import hashable

hashable(InstrumentConfig)

__all__ = ["BacktestConfig", "InstrumentConfig", "SystemConfig"]
