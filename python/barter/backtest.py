"""Bindings for ``barter::backtest``: market data, and one or many backtests, each run whole in Rust.

``backtest`` and ``run_backtests`` release the GIL while barter works, so Python threads run
backtests in parallel. By default they run in event time (``BacktestMode.EVENT_TIME``): the
market data's time is the only clock, so the same inputs give the same summary on every run;
``mode=BacktestMode.UPSTREAM`` runs barter's own ``backtest()``, which races its mock exchange's
real-time latency against the data.
"""

from __future__ import annotations

import array
import math
from collections.abc import Iterable
from typing import Any

from barter._ffi.barter_ffi import (
    BacktestArgsConstant,
    BacktestArgsDynamic,
    BacktestMode,
    BacktestResult,
    BacktestResults,
    BacktestSummary,
    ExchangeId,
    MarketDataInMemory,
    MultiBacktestSummary,
    backtest,
    run_backtests,
)
from barter.system import BacktestConfig

MarketDataInMemory.__len__ = MarketDataInMemory.len  # type: ignore[method-assign]

_from_columns = MarketDataInMemory.from_columns


def _column(values: Any, typecode: str, formats: str) -> bytes:
    """A column as the little-endian bytes barter reads: a buffer (numpy array, ``array.array``)
    whose items already have the layout is copied once; anything else is packed value by value."""
    try:
        view = memoryview(values)
    except TypeError:
        pass
    else:
        if view.itemsize == array.array(typecode).itemsize and view.format.lstrip("<=@") in formats:
            return view.tobytes()
    return array.array(typecode, values).tobytes()


def from_columns(
    exchange: ExchangeId,
    kind: Any,
    instrument: Any,
    time_exchange: Any,
    time_received: Any,
    price: Any,
    amount: Any,
    side: Any,
    ask_price: Any = None,
    ask_amount: Any = None,
    trade_id: Iterable[str] | None = None,
) -> MarketDataInMemory:
    """Market data from columns, one row per event of one ``exchange``, in one call to Rust.

    Columns are numpy arrays, ``array.array``s or any sequences of: ``kind`` (0 = public trade,
    1 = order book L1), ``instrument`` (index), ``time_exchange`` / ``time_received`` (int
    nanoseconds since the Unix epoch, UTC; for numpy ``datetime64[ns]`` pass ``.view("int64")``),
    ``price`` / ``amount`` (the trade's, or the best bid's), ``side`` (0 = buy, 1 = sell; read
    for trades), ``ask_price`` / ``ask_amount`` (the best ask's; read for L1 rows; default none),
    and ``trade_id`` (strings, one per row; default none). L1 prices become ``Decimal`` as barter
    converts floats; a NaN price is a missing level.
    """
    rows = len(kind)
    missing = array.array("d", [math.nan]) * rows
    return _from_columns(
        exchange=exchange,
        kind=_column(kind, "B", "B?"),
        instrument=_column(instrument, "q", "ql"),
        time_exchange=_column(time_exchange, "q", "ql"),
        time_received=_column(time_received, "q", "ql"),
        price=_column(price, "d", "d"),
        amount=_column(amount, "d", "d"),
        ask_price=missing.tobytes() if ask_price is None else _column(ask_price, "d", "d"),
        ask_amount=missing.tobytes() if ask_amount is None else _column(ask_amount, "d", "d"),
        side=_column(side, "B", "B?"),
        trade_id=b"" if trade_id is None else "\n".join(trade_id).encode(),
    )


MarketDataInMemory.from_columns = staticmethod(from_columns)  # type: ignore[method-assign]

__all__ = [
    "BacktestArgsConstant",
    "BacktestArgsDynamic",
    "BacktestConfig",
    "BacktestMode",
    "BacktestResult",
    "BacktestResults",
    "BacktestSummary",
    "MarketDataInMemory",
    "MultiBacktestSummary",
    "backtest",
    "run_backtests",
]
