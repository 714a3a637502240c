"""Bindings for ``barter::backtest``: one or many backtests, each run whole in Rust.

``backtest`` and ``run_backtests`` release the GIL while barter works, so Python threads run
backtests in parallel.
"""

from barter._ffi.barter_ffi import (
    BacktestArgsConstant,
    BacktestArgsDynamic,
    BacktestSummary,
    MultiBacktestSummary,
    backtest,
    run_backtests,
)
from barter.system import BacktestConfig

__all__ = [
    "BacktestArgsConstant",
    "BacktestArgsDynamic",
    "BacktestConfig",
    "BacktestSummary",
    "MultiBacktestSummary",
    "backtest",
    "run_backtests",
]
