"""Backtest barter's example data from Python: barter's DefaultStrategy and its summary, then a strategy that trades.

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
from barter.strategy import Strategy


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
    summary = backtest(args, BacktestArgsDynamic(id="default", risk_free_return=config.risk_free_return())).summary()
    print(f"Backtest '{summary.id}' ran in {time.perf_counter() - started:.3f}s")
    summary.trading_summary.print_summary()

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
