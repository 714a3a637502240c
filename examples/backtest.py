"""Backtest barter's example data with barter's DefaultStrategy, from Python, and print the summary.

The same backtest as barter's own `examples/backtests_concurrent.rs`: barter's example config and
50,000 real Binance events (BTC, ETH, SOL against USDT), shipped inside the barter crate.

    python examples/backtest.py [CONFIG_JSON MARKET_DATA_JSONL]

Without arguments it reads them from the barter crate that `cargo metadata` resolves
(`cargo xtask demo` passes its folder in BARTER_CRATE_DIR).
"""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys
import time
from decimal import Decimal

from barter.backtest import BacktestArgsConstant, BacktestArgsDynamic, BacktestConfig, MarketDataInMemory, backtest, run_backtests
from barter.statistic import SummaryInterval


def barter_examples() -> tuple[pathlib.Path, pathlib.Path]:
    crate = os.environ.get("BARTER_CRATE_DIR")
    if crate is None:
        metadata = json.loads(subprocess.check_output(["cargo", "metadata", "--format-version", "1"]))
        crate = str(pathlib.Path(next(p for p in metadata["packages"] if p["name"] == "barter")["manifest_path"]).parent)
    examples = pathlib.Path(crate) / "examples"
    return examples / "config/backtest_config.json", examples / "data/binance_spot_trades_l1_btcusdt_ethusdt_solusdt.json"


def main() -> None:
    config_path, data_path = map(pathlib.Path, sys.argv[1:3]) if len(sys.argv) == 3 else barter_examples()

    config = BacktestConfig.from_file(str(config_path))
    started = time.perf_counter()
    market_data = MarketDataInMemory.from_json_lines_file(str(data_path))
    print(f"Loaded {market_data.len():,} market events in {time.perf_counter() - started:.3f}s, from {market_data.time_first_event()}")

    args = BacktestArgsConstant.from_config(config, market_data, SummaryInterval.ANNUAL365)

    started = time.perf_counter()
    summary = backtest(args, BacktestArgsDynamic(id="default", risk_free_return=config.risk_free_return()))
    print(f"Backtest '{summary.id}' ran in {time.perf_counter() - started:.3f}s")
    summary.trading_summary.print_summary()

    # Many variations at once, concurrently in Rust: here, different risk-free returns.
    variations = [BacktestArgsDynamic(id=f"rfr-{rate}", risk_free_return=Decimal(rate)) for rate in ("0", "0.02", "0.05", "0.1")]
    multi = run_backtests(args, variations)
    print(f"\n{multi.num_backtests} concurrent backtests in {multi.duration.total_seconds():.3f}s:")
    # DefaultStrategy places no orders, so barter reports an unbounded Sharpe (Decimal::MAX, its "∞").
    for result in multi.summaries:
        sharpe = result.trading_summary.instruments["binancespot-btc_usdt"].sharpe_ratio
        print(f"  {result.id:>8}: btc_usdt Sharpe {sharpe.value} ({sharpe.interval.name})")


if __name__ == "__main__":
    main()
