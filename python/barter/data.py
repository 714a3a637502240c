"""Bindings for ``barter-data``: market events, loaded in bulk into barter's in-memory market data."""

from barter._ffi.barter_ffi import MarketDataInMemory

MarketDataInMemory.__len__ = MarketDataInMemory.len  # type: ignore[method-assign]

__all__ = ["MarketDataInMemory"]
