"""Backtest barter's example data from Python: an SMA crossover written in Python and barter's
summary of it, then barter's DefaultStrategy, a reproducible run of a strategy that trades, and a
batch of variations.

The same backtest as barter's own `examples/backtests_concurrent.rs`: barter's example config and
50,000 real Binance events (BTC, ETH, SOL against USDT), shipped inside the barter crate.

    python examples/backtest.py [CONFIG_JSON MARKET_DATA_JSONL]

Without arguments it reads them from the barter crate that `cargo metadata` resolves
(`cargo xtask demo` passes its folder in BARTER_CRATE_DIR). The SMA crossover's equity curve,
drawdown and fills are drawn to `BARTER_PLOT` (default: barter_sma_crossover.png in the temp
folder) where matplotlib is installed (`pip install barter[plot]`).
"""

from __future__ import annotations

import os
import tempfile
import time
from decimal import Decimal

from _data import barter_examples
from barter.backtest import BacktestArgsConstant, BacktestArgsDynamic, BacktestConfig, Frame, Frames, MarketDataInMemory, backtest, run_backtests
from barter.statistic import SummaryInterval
from barter.strategy import Strategy
from sma_crossover import FAST, SLOW, SmaCrossover


def main() -> None:
    config_path, data_path = barter_examples()

    config = BacktestConfig.from_file(str(config_path))
    started = time.perf_counter()
    market_data = MarketDataInMemory.from_json_lines_file(str(data_path))
    print(f"Loaded {market_data.len():,} market events in {time.perf_counter() - started:.3f}s, from {market_data.time_first_event()}")

    args = BacktestArgsConstant.from_config(config, market_data, SummaryInterval.ANNUAL365)

    # A strategy written in Python (examples/sma_crossover.py), on barter's engine: only the
    # public trades cross into Python.
    started = time.perf_counter()
    sma = backtest(args, BacktestArgsDynamic(id="sma-crossover", risk_free_return=config.risk_free_return(), strategy=SmaCrossover()))
    elapsed = time.perf_counter() - started
    print(f"SMA {FAST}/{SLOW} crossover in Python: {len(sma.fills() or [])} fills; {market_data.len():,} events in {elapsed:.3f}s ({market_data.len() / elapsed:,.0f} events/s)")
    sma.summary().trading_summary.print_summary()

    # The run's records as frames (recorded in Rust as it ran): fills, orders, positions, equity.
    frames = Frames.of(sma)
    positions = frames.positions.to_pandas()
    print(f"{len(positions)} positions exited, pnl {positions['pnl_realised'].sum():.2f} USDT; equity ends at {frames.equity.to_arrow()['value'][-1]} USDT")
    try:
        prices = Frame.from_ipc(market_data.to_arrow_ipc(config.system().indexed_instruments()))
        path = os.environ.get("BARTER_PLOT", os.path.join(tempfile.gettempdir(), "barter_sma_crossover.png"))
        frames.plot(path, prices=prices)
        print(f"Equity, drawdown and fills drawn to {path}")
    except ImportError as missing:
        print(f"No plot: {missing.name} is not installed (pip install barter[plot])")

    started = time.perf_counter()
    summary = backtest(args, BacktestArgsDynamic(id="default", risk_free_return=config.risk_free_return())).summary()
    print(f"\nBacktest '{summary.id}' (barter's DefaultStrategy: no orders) ran in {time.perf_counter() - started:.3f}s")

    # A strategy that trades (a market buy of every public trade), in event time: the latency of
    # barter's mock exchange elapses in the data's time, so a second run gives the same answer.
    trading = BacktestArgsDynamic(id="buy-every-trade", risk_free_return=config.risk_free_return(), strategy=Strategy.BUY_EVERY_TRADE)
    first, second = backtest(args, trading), backtest(args, trading)
    fills = first.fills() or []
    print(f"\nBuyEveryTrade: {len(fills)} fills, the first {fills[0].quantity} {fills[0].side.name} at {fills[0].price} on {fills[0].time_exchange}" if fills else "\nBuyEveryTrade: no fills")
    print(f"A second run gives the same summary and fills: {first.summary() == second.summary() and fills == second.fills()}")

    # Many variations at once, in Rust, one per core: here, different risk-free returns.
    variations = [BacktestArgsDynamic(id=f"rfr-{rate}", risk_free_return=Decimal(rate)) for rate in ("0", "0.02", "0.05", "0.1")]
    multi = run_backtests(args, variations).summary()
    print(f"\n{multi.num_backtests} backtests in {multi.duration.total_seconds():.3f}s:")
    # DefaultStrategy places no orders, so barter reports an unbounded Sharpe (Decimal::MAX, its "∞").
    for result in multi.summaries:
        sharpe = result.trading_summary.instruments["binancespot-btc_usdt"].sharpe_ratio
        print(f"  {result.id:>8}: btc_usdt Sharpe {sharpe.value} ({sharpe.interval.name})")


if __name__ == "__main__":
    main()
