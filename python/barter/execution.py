"""Bindings for ``barter-execution``: balances, orders, trades and the mock exchange."""

from barter._ffi.barter_ffi import Balance
from barter._records import hashable

hashable(Balance)

__all__ = ["Balance"]
