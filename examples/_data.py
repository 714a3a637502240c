"""Where the examples find barter's example config and data: the command line, else the barter
crate that `cargo metadata` resolves (`cargo xtask demo` passes its folder in BARTER_CRATE_DIR)."""

from __future__ import annotations

import json
import os
import pathlib
import subprocess
import sys

from barter.backtest import BacktestArgsConstant, BacktestConfig, MarketDataInMemory
from barter.statistic import SummaryInterval


def barter_examples() -> tuple[pathlib.Path, pathlib.Path]:
    """(config, market data): `sys.argv[1:3]` if given, else barter's own examples."""
    if len(sys.argv) == 3:
        return pathlib.Path(sys.argv[1]), pathlib.Path(sys.argv[2])
    crate = os.environ.get("BARTER_CRATE_DIR")
    if crate is None:
        metadata = json.loads(subprocess.check_output(["cargo", "metadata", "--format-version", "1"]))
        crate = str(pathlib.Path(next(p for p in metadata["packages"] if p["name"] == "barter")["manifest_path"]).parent)
    examples = pathlib.Path(crate) / "examples"
    return examples / "config/backtest_config.json", examples / "data/binance_spot_trades_l1_btcusdt_ethusdt_solusdt.json"


def example_args(interval: SummaryInterval = SummaryInterval.DAILY) -> tuple[BacktestConfig, BacktestArgsConstant]:
    """barter's example config and its backtest inputs over the example data."""
    config_path, data_path = barter_examples()
    config = BacktestConfig.from_file(str(config_path))
    market_data = MarketDataInMemory.from_json_lines_file(str(data_path))
    return config, BacktestArgsConstant.from_config(config, market_data, interval)
