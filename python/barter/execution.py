"""Bindings for ``barter-execution``: asset balances."""

from barter._ffi.barter_ffi import Balance
from barter._records import hashable

hashable(Balance)

__all__ = ["Balance"]
