"""Long backtest work stays under the user's control (issue 15): a batch reports its progress while
it runs, and Ctrl-C (SIGINT) stops it, its Rust threads included, and is raised as
``KeyboardInterrupt``. The blocking calls return to Python every 100 ms for this.
"""

from __future__ import annotations

import signal
import subprocess
import sys
import threading
import time
from decimal import Decimal

import pytest

from barter.backtest import BacktestArgsDynamic, BarterError, run_backtests
from barter._ffi import barter_ffi as _ffi
from barter.engine import EngineClock, HistoricalClock, TradingState
from barter.instrument import InstrumentIndex, Side
from barter.strategy import AlgoStrategy, Strategy, StrategyContext
from barter.system import EngineFeedMode, SystemArgs, SystemBuilder

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
from barter.engine import EngineClock, HistoricalClock, TradingState
from barter.instrument import InstrumentIndex, Side
from barter.strategy import AlgoStrategy, Strategy, StrategyContext
from barter.system import EngineFeedMode, SystemArgs, SystemBuilder

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


def _interrupted(code: str, *args: str, after: float) -> list[str]:
    """Run ``code`` in a child process, send it SIGINT ``after`` seconds past its first line
    ("started"), and return the words of the line it prints on ``KeyboardInterrupt``: the
    monotonic time it caught it at, then anything else it reports. Asserts it caught it within 0.5 s."""
    child = subprocess.Popen([sys.executable, "-c", code, *args], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None and child.stdout.readline().strip() == "started"
    time.sleep(after)
    sent = time.monotonic()
    child.send_signal(signal.SIGINT)
    out, _ = child.communicate(timeout=60)
    assert child.returncode == 0, out
    interrupted, at, *rest = out.split()
    assert interrupted == "interrupted"
    assert float(at) - sent < 0.5  # CLOCK_MONOTONIC is the machine's: comparable across processes
    return rest


def test_ctrl_c_stops_a_200_backtest_batch_and_its_threads() -> None:
    """SIGINT to a process running 200 backtests (about 10 s of work on 2 cores)."""
    (threads,) = _interrupted(CHILD, str(CONFIG_PATH), str(DATA_PATH), after=1.0)
    assert threads == "0"  # the batch's thread had stopped before KeyboardInterrupt was raised


STREAM_CHILD = """
import json, sys, time
from barter.execution import MockExecution, MockExecutionConfig
from barter.system import SystemConfig

system = SystemConfig.from_json(json.dumps(json.load(open(sys.argv[1]))["system"]))
(execution,) = system.executions()
mock = MockExecution(execution[0], system.indexed_instruments())
events = mock.account_stream([], [])
print("started", flush=True)
try:
    events.next(None)
except KeyboardInterrupt:
    print(f"interrupted {time.monotonic()}", flush=True)
"""


def test_ctrl_c_interrupts_a_stream_waiting_without_limit() -> None:
    """``next(None)`` on a stream nothing will come to waits in 0.1 s slices, so SIGINT gets through."""
    assert _interrupted(STREAM_CHILD, str(CONFIG_PATH), after=0.5) == []


SHUTDOWN_CHILD = """
import sys, time
from barter.backtest import BacktestConfig, MarketDataInMemory
from barter.engine import EngineClock, HistoricalClock, TradingState
from barter.strategy import AlgoStrategy
from barter.system import EngineFeedMode, SystemArgs, SystemBuilder

class Slow(AlgoStrategy):
    def on_trade(self, ctx, instrument, price, amount, side):
        time.sleep(0.001)  # 11,032 trades: the replay takes over 11 s

config = BacktestConfig.from_file(sys.argv[1]).system()
data = MarketDataInMemory.from_json_lines_file(sys.argv[2])
args = SystemArgs(instruments=config.indexed_instruments(), executions=config.executions(), strategy=Slow(),
                  clock=EngineClock.HISTORICAL(HistoricalClock(data.time_first_event())), market_stream=data.stream())
system = SystemBuilder(args).engine_feed_mode(EngineFeedMode.STREAM).trading_state(TradingState.ENABLED).build().init()
print("started", flush=True)
try:
    system.shutdown_after_backtest()
except KeyboardInterrupt:
    print(f"interrupted {time.monotonic()}", flush=True)
# The interpreter exits with the replay still calling Slow: Rust stops calling it first.
"""


def test_ctrl_c_interrupts_the_wait_for_a_shutdown() -> None:
    """SIGINT while ``shutdown_after_backtest`` waits for a slow replay: the wait ends within
    0.5 s, and the process exits cleanly with the replay still calling its Python strategy."""
    assert _interrupted(SHUTDOWN_CHILD, str(CONFIG_PATH), str(DATA_PATH), after=1.0) == []


class _Slow(AlgoStrategy):
    def __init__(self) -> None:
        self.called = threading.Event()

    def on_trade(self, ctx: StrategyContext, instrument: InstrumentIndex, price: float, amount: float, side: Side) -> None:
        self.called.set()
        time.sleep(0.0002)  # 11,032 trades: the replay takes over two seconds


def test_a_stop_interrupted_then_called_again_returns_the_systems_shutdown(config, market_data) -> None:
    """The stop an interrupted call started goes on; the next call waits for it and returns its
    result, once."""
    system_config = config.system()
    args = SystemArgs(instruments=system_config.indexed_instruments(), executions=system_config.executions(), strategy=_Slow(),
                      clock=EngineClock.HISTORICAL(HistoricalClock(market_data.time_first_event())), market_stream=market_data.stream())
    system = SystemBuilder(args).engine_feed_mode(EngineFeedMode.STREAM).trading_state(TradingState.ENABLED).build().init()
    strategy = args.strategy
    assert isinstance(strategy, _Slow)
    # Ctrl-C (delivered to this, the main, thread) once the replay is under way.
    threading.Thread(target=lambda: strategy.called.wait(10) and signal.raise_signal(signal.SIGINT)).start()
    with pytest.raises(KeyboardInterrupt):
        system.shutdown_after_backtest()
    engine, _ = system.shutdown_after_backtest()
    assert not system.is_running() and engine.state().instruments()
    with pytest.raises(BarterError.InvalidInput, match="already shut down"):
        system.shutdown()


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
