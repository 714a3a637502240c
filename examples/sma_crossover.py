"""An SMA crossover on public trades, written in Python, run on barter's engine over barter's
example data (50,000 Binance events) and config; prints barter's summary.

Per instrument: the means of the last 20 and 50 trade prices. When the fast mean crosses above
the slow one, a market buy of 1,000 USDT worth (truncated to 4 decimal places); when it crosses
below, a market sell of what was bought. Only trades wake the strategy: the 38,968 order-book
updates of the data never cross into Python.

Run: ``.venv/bin/python examples/sma_crossover.py [CONFIG_JSON MARKET_DATA_JSONL]`` (after
``cargo xtask gen-bindings``).
"""

from __future__ import annotations

from collections import deque
from decimal import ROUND_DOWN, Decimal

from _data import example_args
from barter.backtest import BacktestArgsDynamic, backtest
from barter.instrument import InstrumentIndex, Side
from barter.strategy import AlgoStrategy, StrategyContext

FAST, SLOW = 20, 50
NOTIONAL = Decimal(1000)
STEP = Decimal("0.0001")


class _Means:
    __slots__ = ("prices", "fast_sum", "slow_sum", "above", "held")

    def __init__(self) -> None:
        self.prices: deque[float] = deque()
        self.fast_sum = 0.0
        self.slow_sum = 0.0
        self.above: bool | None = None
        self.held: Decimal | None = None


class SmaCrossover(AlgoStrategy):
    """Long while the ``fast``-trade mean price is above the ``slow``-trade mean, per instrument
    (20 and 50 by default), buying ``notional`` USDT's worth at each upward cross."""

    def __init__(self, fast: int = FAST, slow: int = SLOW, notional: Decimal = NOTIONAL) -> None:
        if not 0 < fast < slow:
            raise ValueError(f"expected 0 < fast < slow, got fast={fast}, slow={slow}")
        self.fast, self.slow, self.notional = fast, slow, notional
        self.means: dict[InstrumentIndex, _Means] = {}

    def on_trade(self, ctx: StrategyContext, instrument: InstrumentIndex, price: float, amount: float, side: Side) -> None:
        means = self.means.get(instrument)
        if means is None:
            means = self.means[instrument] = _Means()
        prices = means.prices
        prices.append(price)
        means.fast_sum += price
        means.slow_sum += price
        fast, slow = self.fast, self.slow
        if len(prices) > fast:
            means.fast_sum -= prices[-1 - fast]
        if len(prices) > slow:
            means.slow_sum -= prices.popleft()
        if len(prices) < slow:
            return
        above = means.fast_sum / fast > means.slow_sum / slow
        crossed = means.above is not None and means.above != above
        means.above = above
        if not crossed:
            return
        if above and means.held is None:
            quantity = (self.notional / Decimal(repr(price))).quantize(STEP, rounding=ROUND_DOWN)
            ctx.market_buy(instrument, quantity)
            means.held = quantity
        elif not above and means.held is not None:
            ctx.market_sell(instrument, means.held)
            means.held = None


def main() -> None:
    config, args = example_args()
    result = backtest(args, BacktestArgsDynamic(id="sma-crossover", risk_free_return=config.risk_free_return(), strategy=SmaCrossover()))
    print(f"SMA {FAST}/{SLOW} crossover in Python: {len(result.fills() or [])} fills")
    result.summary().trading_summary.print_summary()


if __name__ == "__main__":
    main()
