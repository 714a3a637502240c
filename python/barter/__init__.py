"""Python bindings for the barter-rs trading ecosystem: barter's real Rust engine, from Python.

Submodules mirror barter's crates: :mod:`barter.instrument`, :mod:`barter.data`,
:mod:`barter.execution`, :mod:`barter.integration`, and for the ``barter`` crate itself
:mod:`barter.system`, :mod:`barter.engine`, :mod:`barter.risk`, :mod:`barter.backtest`,
:mod:`barter.strategy` and :mod:`barter.statistic`. Every fallible call raises :class:`BarterError` carrying barter's message.
:func:`sweep` runs a grid of backtests here, on a process pool or on a Dask cluster.

Example: a backtest of barter's example data with barter's ``DefaultStrategy``::

    from barter.backtest import BacktestArgsConstant, BacktestArgsDynamic, BacktestConfig, MarketDataInMemory, backtest
    from barter.statistic import SummaryInterval

    config = BacktestConfig.from_file("backtest_config.json")
    market_data = MarketDataInMemory.from_json_lines_file("market_data.json")
    args = BacktestArgsConstant.from_config(config, market_data, SummaryInterval.ANNUAL365)
    summary = backtest(args, BacktestArgsDynamic(id="default", risk_free_return=config.risk_free_return()))
    summary.trading_summary.print_summary()
"""

from barter import _protocols  # noqa: F401  (copy and pickle of objects: by value, or refused)
from barter import backtest, data, engine, execution, instrument, integration, risk, statistic, strategy, system
from barter._convert import Timestamp
from barter._ffi.barter_ffi import BarterError, InternalError
from barter._sweep import Processes, SweepResults, SweepRun, sweep

__all__ = [
    # Errors: one hierarchy, a subclass per kind (BarterError.Json, BarterError.Index, ...);
    # InternalError is a Rust panic, surfaced instead of a crash
    "BarterError",
    "InternalError",
    # Exact scalars
    "Timestamp",
    # Sweeps of many backtests: in this process, on a process pool or a Dask cluster
    "Processes",
    "SweepResults",
    "SweepRun",
    "sweep",
    # Submodules, one per barter crate (and per module of the barter crate)
    "backtest",
    "data",
    "engine",
    "execution",
    "instrument",
    "integration",
    "risk",
    "statistic",
    "strategy",
    "system",
]
