"""Bindings for ``barter-data``: barter's normalised market events, with barter's JSON, and
barter's live market streams (``init_indexed_multi_exchange_market_stream``) to feed a system.

Every type reads and writes barter's own serde JSON (``MarketEvent.from_json(text)``,
``event.to_json()``), so files written by barter's Rust programs and by Python are interchangeable.
"""

from barter._ffi import barter_ffi as _ffi
from barter._check import strict
from barter._ffi.barter_ffi import (
    Candle,
    DataError,
    DataKind,
    Level,
    Liquidation,
    MarketEvent,
    MarketInstrumentData,
    MarketStream,
    MarketStreamEvent,
    OrderBook,
    OrderBookEvent,
    OrderBookL1,
    PublicTrade,
    SubKind,
    Subscription,
)

# barter's functions, each argument checked first (barter._check).
exchange_supports_instrument_kind = strict(_ffi.exchange_supports_instrument_kind)
exchange_supports_instrument_kind_sub_kind = strict(_ffi.exchange_supports_instrument_kind_sub_kind)
init_indexed_multi_exchange_market_stream = strict(_ffi.init_indexed_multi_exchange_market_stream)

__all__ = [
    "Candle",
    "DataError",
    "DataKind",
    "Level",
    "Liquidation",
    "MarketEvent",
    "MarketInstrumentData",
    "MarketStream",
    "MarketStreamEvent",
    "OrderBook",
    "OrderBookEvent",
    "OrderBookL1",
    "PublicTrade",
    "SubKind",
    "Subscription",
    "exchange_supports_instrument_kind",
    "exchange_supports_instrument_kind_sub_kind",
    "init_indexed_multi_exchange_market_stream",
]
