"""The examples run as a user runs them (on barter's example data) and trade."""

from __future__ import annotations

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
