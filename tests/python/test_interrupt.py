"""Long backtest work stays under the user's control (issue 15): a batch reports its progress while
it runs, and Ctrl-C (SIGINT) stops it, its Rust threads included, and is raised as
``KeyboardInterrupt``. The blocking calls return to Python every 100 ms for this.
"""

from __future__ import annotations

import pathlib
import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal

import pytest

from barter.backtest import BacktestArgsDynamic, BarterError, run_backtests
from barter._ffi import barter_ffi as _ffi
from barter.strategy import Strategy

from conftest import CONFIG_PATH, DATA_PATH


def _trading(count: int) -> list[BacktestArgsDynamic]:
    return [BacktestArgsDynamic(id=str(index), risk_free_return=Decimal(0), strategy=Strategy.BUY_EVERY_TRADE) for index in range(count)]


def test_progress_is_reported_while_the_batch_runs(args_daily) -> None:
    calls: list[tuple[int, int]] = []
    results = run_backtests(args_daily, _trading(8), progress=lambda done, total: calls.append((done, total)))
    assert len(results.results()) == 8
    assert calls[-1] == (8, 8) and len(calls) >= 2
    assert [done for done, _ in calls] == sorted(done for done, _ in calls)
    assert {total for _, total in calls} == {8}


CHILD = """
import sys, time
from decimal import Decimal
from barter.backtest import BacktestArgsConstant, BacktestArgsDynamic, BacktestConfig, MarketDataInMemory, run_backtests
from barter.statistic import SummaryInterval
from barter.strategy import Strategy

config = BacktestConfig.from_file(sys.argv[1])
args = BacktestArgsConstant.from_config(config, MarketDataInMemory.from_json_lines_file(sys.argv[2]), SummaryInterval.DAILY)
batch = [BacktestArgsDynamic(id=str(i), risk_free_return=Decimal(0), strategy=Strategy.BUY_EVERY_TRADE) for i in range(200)]
print("started", flush=True)
try:
    run_backtests(args, batch)
except KeyboardInterrupt:
    threads = sum(1 for thread in __import__("threading").enumerate() if thread.name == "barter-backtests")
    print(f"interrupted {time.monotonic()} {threads}", flush=True)
"""


def test_ctrl_c_stops_a_200_backtest_batch_and_its_threads(tmp_path: pathlib.Path) -> None:
    """SIGINT to a process running 200 backtests (about 10 s of work on 2 cores)."""
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(CONFIG_PATH), str(DATA_PATH)], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "started"
    time.sleep(1.0)  # into the batch
    sent = time.monotonic()
    child.send_signal(signal.SIGINT)
    out, _ = child.communicate(timeout=60)
    assert child.returncode == 0, out
    _, at, threads = out.split()
    assert float(at) - sent < 0.5  # CLOCK_MONOTONIC is the machine's: comparable across processes
    assert threads == "0"  # the batch's thread had stopped before KeyboardInterrupt was raised


def test_a_cancelled_batch_ends_with_every_backtest_accounted_for(args_daily) -> None:
    batch = _ffi.prepare_backtests(args_daily, _trading(100))
    runner = threading.Thread(target=batch.run)
    runner.start()
    with pytest.raises(BarterError.InvalidInput, match="still running"):
        batch.results()
    batch.cancel()
    assert batch.wait(None)
    runner.join()
    with pytest.raises(BarterError.InvalidInput, match="run already"):
        batch.run()
    results = batch.results()
    assert batch.done() == batch.total() == 100
    failed = results.failed()
    assert failed and all("cancelled" in failure.error for failure in failed)
    assert len(results.succeeded()) + len(failed) == 100
