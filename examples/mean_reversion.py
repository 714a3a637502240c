"""A mean reversion on the L1 book, written in Python, run on barter's engine over barter's example
data and config; prints barter's summary.

Per instrument, over the last 200 order-book (L1) updates: the mean and standard deviation of the
mid price. While the spread is tight (at most 2 basis points of the mid), buy 500 USDT worth when
the mid falls 2 standard deviations below the mean, and sell it back once the mid is at the mean
again. Only L1 updates wake the strategy; trades never cross into Python.

Run: ``.venv/bin/python examples/mean_reversion.py [CONFIG_JSON MARKET_DATA_JSONL]``.
"""

from __future__ import annotations

import math
from collections import deque
from decimal import ROUND_DOWN, Decimal

from _data import example_args
from barter.backtest import BacktestArgsDynamic, backtest
from barter.data import OrderBookL1
from barter.instrument import InstrumentIndex
from barter.strategy import AlgoStrategy, StrategyContext

WINDOW = 200
ENTRY_Z = 2.0
MAX_SPREAD = Decimal("0.0002")
NOTIONAL = Decimal(500)
STEP = Decimal("0.0001")


class _Book:
    __slots__ = ("mids", "total", "squares", "held")

    def __init__(self) -> None:
        self.mids: deque[float] = deque()
        self.total = 0.0
        self.squares = 0.0
        self.held: Decimal | None = None


class MeanReversion(AlgoStrategy):
    """Buys dips of the L1 mid price below its rolling mean, while the spread is tight."""

    def __init__(self) -> None:
        self.books: dict[InstrumentIndex, _Book] = {}

    def on_order_book_l1(self, ctx: StrategyContext, instrument: InstrumentIndex, l1: OrderBookL1) -> None:
        if l1.best_bid is None or l1.best_ask is None:
            return
        bid, ask = l1.best_bid.price, l1.best_ask.price
        mid = l1.mid_price()  # barter's: None without both sides
        if mid is None:
            return
        book = self.books.setdefault(instrument, _Book())
        value = float(mid)
        book.mids.append(value)
        book.total += value
        book.squares += value * value
        if len(book.mids) > WINDOW:
            old = book.mids.popleft()
            book.total -= old
            book.squares -= old * old
        if len(book.mids) < WINDOW:
            return
        mean = book.total / WINDOW
        deviation = math.sqrt(max(book.squares / WINDOW - mean * mean, 0.0))
        if book.held is None and deviation > 0 and (ask - bid) / mid <= MAX_SPREAD and value < mean - ENTRY_Z * deviation:
            quantity = (NOTIONAL / ask).quantize(STEP, rounding=ROUND_DOWN)
            ctx.market_buy(instrument, quantity, price=ask)
            book.held = quantity
        elif book.held is not None and value >= mean:
            ctx.market_sell(instrument, book.held, price=bid)
            book.held = None


def main() -> None:
    config, args = example_args()
    result = backtest(args, BacktestArgsDynamic(id="mean-reversion", risk_free_return=config.risk_free_return(), strategy=MeanReversion()))
    print(f"L1 mean reversion in Python: {len(result.fills() or [])} fills")
    result.summary().trading_summary.print_summary()


if __name__ == "__main__":
    main()
