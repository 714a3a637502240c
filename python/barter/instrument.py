"""Bindings for ``barter-instrument``: exchanges, exchange assets, sides, and the indexes of
``IndexedInstruments`` (``int`` subclasses, so usable as dict keys and in arrays)."""

from barter._convert import AssetIndex, ExchangeIndex, InstrumentIndex
from barter._ffi.barter_ffi import ExchangeAsset, ExchangeId, IndexedInstruments, Side
from barter._records import hashable

# Barter derives Hash for these; in Python they are dict keys too.
hashable(ExchangeAsset)

__all__ = ["AssetIndex", "ExchangeAsset", "ExchangeId", "ExchangeIndex", "IndexedInstruments", "InstrumentIndex", "Side"]
