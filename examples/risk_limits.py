"""A risk manager written in Python, on barter's engine: a maximum position and a maximum order
notional per instrument, checking barter's own ``BUY_EVERY_TRADE`` strategy over barter's
example data and config. Prints what it refused and barter's summary.

Run: ``.venv/bin/python examples/risk_limits.py [CONFIG_JSON MARKET_DATA_JSONL]``.
"""

from __future__ import annotations

from collections import Counter
from decimal import Decimal

from _data import example_args
from barter.backtest import BacktestArgsDynamic, backtest
from barter.execution import OrderRequestOpen
from barter.instrument import Side
from barter.risk import RiskManager
from barter.strategy import Strategy, StrategyContext


class PositionAndNotionalLimits(RiskManager):
    """Refuses an open request whose notional is above ``max_notional``, or that would take the
    instrument's position above ``max_position`` (quote notional at the request's price)."""

    def __init__(self, max_notional: Decimal, max_position: Decimal) -> None:
        self.max_notional = max_notional
        self.max_position = max_position

    def check_open(self, ctx: StrategyContext, request: OrderRequestOpen) -> str | None:
        state = request.state
        notional = state.price * state.quantity
        if notional > self.max_notional:
            return "max notional"
        position = ctx.position(request.key.instrument)
        held = Decimal(0) if position is None else position.quantity_abs * (1 if position.side == Side.BUY else -1)
        after = held + (state.quantity if state.side == Side.BUY else -state.quantity)
        if abs(after) * state.price > self.max_position:
            return "max position"
        return None


def main() -> None:
    config, args = example_args()
    risk = PositionAndNotionalLimits(max_notional=Decimal(200), max_position=Decimal(2000))
    result = backtest(args, BacktestArgsDynamic(id="risk-limits", risk_free_return=config.risk_free_return(),
                                                strategy=Strategy.BUY_EVERY_TRADE, risk=risk))
    reasons = Counter(refused.reason for refused in result.opens_refused())
    print(f"BuyEveryTrade under Python risk limits: {len(result.fills() or [])} fills; refused: {dict(reasons)}")
    result.summary().trading_summary.print_summary()


if __name__ == "__main__":
    main()
