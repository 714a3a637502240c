"""The examples run as a user runs them (on barter's example data) and trade."""

from __future__ import annotations

import subprocess
import sys

import pytest

from conftest import CONFIG_PATH, DATA_PATH, REPO


@pytest.mark.parametrize("example, expected", [
    ("sma_crossover.py", "SMA 20/50 crossover in Python: 54 fills"),
    ("mean_reversion.py", "L1 mean reversion in Python: "),
    ("risk_limits.py", "refused: {'max notional': "),
])
def test_example_runs_and_trades(example, expected):
    done = subprocess.run([sys.executable, str(REPO / "examples" / example), str(CONFIG_PATH), str(DATA_PATH)],
                          capture_output=True, text=True, timeout=300, check=True)
    assert expected in done.stdout
    assert "Instrument TearSheets" in done.stdout or "TearSheets" in done.stdout
