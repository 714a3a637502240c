"""The examples run as a user runs them (on barter's example data) and trade."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest

from conftest import CONFIG_PATH, DATA_PATH, REPO


@pytest.mark.parametrize("example, expected", [
    ("sma_crossover.py", r"SMA 20/50 crossover in Python: (\d+) fills"),
    ("mean_reversion.py", r"L1 mean reversion in Python: (\d+) fills"),
    ("risk_limits.py", r"BuyEveryTrade under Python risk limits: (\d+) fills; refused: \{'max notional': \d+, 'max position': \d+\}"),
])
def test_example_runs_and_trades(example, expected):
    done = subprocess.run([sys.executable, str(REPO / "examples" / example), str(CONFIG_PATH), str(DATA_PATH)],
                          capture_output=True, text=True, timeout=300, check=True)
    fills = re.search(expected, done.stdout)
    assert fills and int(fills.group(1)) > 0, done.stdout[:500]
    assert "Instrument TearSheets" in done.stdout  # barter's summary


def test_the_backtest_example_draws_its_equity_curve(tmp_path):
    import matplotlib.image

    path = tmp_path / "equity.png"
    done = subprocess.run([sys.executable, str(REPO / "examples" / "backtest.py"), str(CONFIG_PATH), str(DATA_PATH)],
                          capture_output=True, text=True, timeout=300, check=True, env={**os.environ, "BARTER_PLOT": str(path)})
    assert f"Equity, drawdown and fills drawn to {path}" in done.stdout, done.stdout[-500:]
    assert re.search(r"\d+ positions exited, pnl -?\d+\.\d\d USDT", done.stdout)
    assert matplotlib.image.imread(path).shape[:2] == (1000, 1200)


def test_the_sweep_example_gives_the_same_rows_on_processes_and_a_cluster():
    done = subprocess.run([sys.executable, str(REPO / "examples" / "sweep.py"), str(CONFIG_PATH), str(DATA_PATH)],
                          capture_output=True, text=True, timeout=600, check=True)
    assert re.search(r"12 runs on 2 processes; best: \{'fast': \d+, 'slow': \d+, 'notional': Decimal\('\d+'\)\} pnl -?\d+\.\d\d USDT", done.stdout), done.stdout
    assert "12 runs on a Dask cluster of 2 workers: the same rows" in done.stdout, done.stdout
