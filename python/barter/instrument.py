"""Bindings for ``barter-instrument``: exchanges, exchange assets and sides."""

from barter._ffi.barter_ffi import ExchangeAsset, ExchangeId, Side
from barter._records import hashable

# Barter derives Hash for these; in Python they are dict keys too.
hashable(ExchangeAsset)

__all__ = ["ExchangeAsset", "ExchangeId", "Side"]
