"""barter's objects under Python's object protocols (issue 16): copy, deepcopy and pickle give a
real copy by value or a TypeError, never a second owner of one Rust value; pickles cross to
spawned processes; forked children run backtests on runtimes of their own."""

from __future__ import annotations

import copy
import copyreg
import datetime as dt
import gc
import json
import multiprocessing
import os
import pickle
import subprocess
import sys
import textwrap
import weakref
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from barter import BarterError, Timestamp
from barter._ffi import barter_ffi as _ffi
from barter.backtest import BacktestArgsConstant, BacktestArgsDynamic, BacktestResult, MarketDataInMemory, backtest, run_backtests
from barter.engine import EngineClock, HistoricalClock, LiveClock
from barter.execution import AccountEventIndexer, ExecutionInstrumentMap, MockExecution
from barter.instrument import ExchangeId
from barter.statistic import (
    DrawdownGenerator,
    MaxDrawdownGenerator,
    MeanDrawdownGenerator,
    SummaryInterval,
    TearSheetAssetGenerator,
    TearSheetGenerator,
    TimedDecimal,
)
from barter.strategy import Strategy
from barter.system import SystemArgs, SystemBuilder

from conftest import DATA_PATH
from test_statistic import START, summary_generator

STRATEGY = Strategy.BUY_EVERY_TRADE


def _few_events(lines: int = 200) -> MarketDataInMemory:
    with open(DATA_PATH, "rb") as data:
        return MarketDataInMemory.from_json_lines(b"".join(next(data) for _ in range(lines)))


def _run(args: BacktestArgsConstant, id: str = "a") -> BacktestResult:  # noqa: A002
    return backtest(args, BacktestArgsDynamic(id=id, risk_free_return=Decimal("0.05"), strategy=STRATEGY))


def _backtest_value(result: BacktestResult) -> tuple[str, list[str]]:
    """What a backtest gave, as barter's JSON (summary) and records (fills), to compare by value."""
    summary = result.summary()
    return repr(summary), [trade.to_json() for trade in result.fills() or []]


@pytest.fixture(scope="module")
def small_args(config) -> BacktestArgsConstant:
    return BacktestArgsConstant.from_config(config, _few_events(), SummaryInterval.DAILY)


def _values(config, small_args) -> dict[type, tuple[Any, Callable[[Any], Any]]]:
    """One value of each by-value object type, and what to compare of it."""
    instruments = config.system().indexed_instruments()
    drawdown = DrawdownGenerator.init(TimedDecimal(value=Decimal("1000"), time=START))
    drawdown.update(TimedDecimal(value=Decimal("900"), time=START))
    map_ = ExecutionInstrumentMap(instruments, ExchangeId.BINANCE_SPOT)
    result = _run(small_args)
    results = run_backtests(small_args, [BacktestArgsDynamic(id=i, risk_free_return=Decimal(0), strategy=STRATEGY) for i in "ab"])
    to_json: Callable[[Any], Any] = lambda value: value.to_json()  # noqa: E731
    return {
        MarketDataInMemory: (small_args.market_data(), lambda data: data.to_json_lines()),
        _ffi.IndexedInstruments: (instruments, to_json),
        _ffi.SystemConfig: (config.system(), to_json),
        _ffi.BacktestConfig: (config, to_json),
        _ffi.EngineState: (small_args.engine_state(), to_json),
        DrawdownGenerator: (drawdown, to_json),
        MaxDrawdownGenerator: (MaxDrawdownGenerator.init(drawdown.generate()), to_json),
        MeanDrawdownGenerator: (MeanDrawdownGenerator.init(drawdown.generate()), to_json),
        TearSheetGenerator: (TearSheetGenerator.init(START), to_json),
        TearSheetAssetGenerator: (TearSheetAssetGenerator(), to_json),
        _ffi.TradingSummaryGenerator: (summary_generator(), to_json),
        BacktestArgsConstant: (small_args, lambda args: (args.system().to_json(), args.market_data().to_json_lines(), args.summary_interval(),
                                                         args.trading_state(), args.engine_state().to_json())),
        BacktestResult: (result, _backtest_value),
        _ffi.BacktestResults: (results, lambda batch: [(o.id, _backtest_value(o.result)) for o in batch.outcomes()]),
        ExecutionInstrumentMap: (map_, lambda m: (m.exchange(), m.instruments(), m.indexed_instruments().to_json())),
        AccountEventIndexer: (AccountEventIndexer(map_), lambda indexer: indexer.map().instruments()),
    }


def _copies(value: Any) -> list[Any]:
    return [copy.copy(value), copy.deepcopy(value), pickle.loads(pickle.dumps(value)), pickle.loads(pickle.dumps(value, protocol=0))]


def test_every_object_type_is_copied_by_value_or_refused():
    """Each object class is listed, by value or refused with its reason (a new class must be
    decided on), and copyreg's table, looked up by exact type, has an entry for each and for the
    package's subclasses of them."""
    import barter.system
    from barter import _protocols

    classes = [cls for cls in vars(_ffi).values() if isinstance(cls, type) and hasattr(cls, "_uniffi_clone_handle")]
    assert len(classes) == 32
    assert set(classes) == set(_protocols._BY_VALUE) | set(_protocols._REFUSED)
    assert not set(_protocols._BY_VALUE) & set(_protocols._REFUSED)
    assert [cls.__name__ for cls in classes if cls not in copyreg.dispatch_table] == []
    assert barter.system.SystemBuilder in copyreg.dispatch_table


def test_values_copy_and_pickle_by_value(config, small_args):
    for cls, (value, seen) in _values(config, small_args).items():
        for copied in _copies(value):
            assert type(copied) is cls
            assert copied is not value and copied._handle != value._handle
            assert seen(copied) == seen(value), cls.__name__


def test_copies_are_independent_values():
    generator = DrawdownGenerator.init(TimedDecimal(value=Decimal("1000"), time=START))
    copied = copy.copy(generator)
    copied.update(TimedDecimal(value=Decimal("500"), time=START))
    assert copied.generate() is not None
    assert generator.generate() is None and generator.peak() == Decimal("1000")


def test_copied_arguments_give_the_same_backtest(small_args):
    unpickled = pickle.loads(pickle.dumps(small_args))
    assert _backtest_value(_run(unpickled)) == _backtest_value(_run(small_args))


def test_a_failed_batch_keeps_its_typed_errors_through_pickle():
    outcome = _ffi.BacktestOutcome(id="x", result=None, error=BarterError.Callback(reason="it raised"))
    results = _ffi.BacktestResults.from_parts([outcome], _duration())
    for copied in _copies(results):
        with pytest.raises(BarterError.Callback, match="it raised"):
            copied.result(0)
    with pytest.raises(BarterError.InvalidInput, match=r"outcomes\[0\]"):
        _ffi.BacktestResults.from_parts([_ffi.BacktestOutcome(id="x", result=None, error=None)], _duration())


def _duration() -> dt.timedelta:
    return dt.timedelta(milliseconds=1)


def test_errors_pickle_with_their_fields():
    for error in (BarterError.Io(path="/no/such/file", reason="not found"), BarterError.Json(line=3, reason="expected value"),
                  BarterError.Callback(reason="it raised")):
        for copied in (pickle.loads(pickle.dumps(error)), copy.copy(error), copy.deepcopy(error)):
            assert type(copied) is type(error) and vars(copied) == vars(error) and str(copied) == str(error)


def test_live_objects_refuse_to_be_copied(config, small_args):
    instruments = config.system().indexed_instruments()
    execution = config.system().executions()[0][0]
    execution.latency_ms = 0
    mock = MockExecution(execution, instruments)
    builder = SystemBuilder(SystemArgs(instruments=instruments, executions=[], clock=EngineClock.LIVE(LiveClock())))
    system = builder.build().init()
    audit_stream = system.take_audit()
    live = [mock, mock.account_stream([], []), small_args.market_data().stream(), builder, builder.trading_state(_ffi.TradingState.ENABLED),
            system, HistoricalClock(START)]
    for value in live:
        for protocol in (copy.copy, copy.deepcopy, pickle.dumps):
            with pytest.raises(TypeError, match=f"{type(value).__name__} cannot be copied or pickled"):
                protocol(value)
    assert audit_stream is None  # audit disabled: nothing else to refuse here
    engine, _ = system.shutdown()
    with pytest.raises(TypeError, match="engine.state()"):
        copy.copy(engine)
    assert copy.copy(engine.state()).to_json() == engine.state().to_json()


def test_weak_references_and_collection():
    data = _few_events(20)
    reference = weakref.ref(data)
    assert reference() is data
    del data
    gc.collect()
    assert reference() is None


COPY_CYCLES = textwrap.dedent(
    """
    import copy, gc, pickle, sys
    from decimal import Decimal
    from barter.backtest import BacktestArgsConstant, BacktestArgsDynamic, BacktestConfig, MarketDataInMemory, backtest
    from barter.statistic import DrawdownGenerator, SummaryInterval, TimedDecimal
    from barter import Timestamp

    config_path, data_path = sys.argv[1:]
    with open(data_path, "rb") as data:
        lines = b"".join(next(data) for _ in range(50))
    config = BacktestConfig.from_file(config_path)
    start = Timestamp.from_rfc3339("2025-03-25T00:00:00Z")
    args = BacktestArgsConstant.from_config(config, MarketDataInMemory.from_json_lines(lines), SummaryInterval.DAILY)
    values = [config, config.system(), config.system().indexed_instruments(), args, args.market_data(),
              DrawdownGenerator.init(TimedDecimal(value=Decimal(1), time=start)),
              backtest(args, BacktestArgsDynamic(id="x", risk_free_return=Decimal(0)))]
    for cycle in range(1000):
        value = values[cycle % len(values)]
        copies = [copy.copy(value), copy.deepcopy(value), pickle.loads(pickle.dumps(value))]
        del copies
        if cycle % 50 == 0:
            gc.collect()
    # The originals still read right after their copies were freed.
    assert args.market_data().to_json_lines() == lines, "market data changed"
    assert len(values[4].to_json_lines()) == len(lines)
    print("cycles done")
    """
)


def test_copy_and_collect_cycles_under_the_allocators_checks(tmp_path, config):
    """1,000 copy-and-collect cycles with glibc's malloc debugging (checks on every free, freed
    memory overwritten): a double free or a use after free aborts or reads garbage."""
    from conftest import CONFIG_PATH

    script = tmp_path / "cycles.py"
    script.write_text(COPY_CYCLES)
    env = dict(os.environ, GLIBC_TUNABLES="glibc.malloc.check=3:glibc.malloc.perturb=165")
    debug = "/lib/x86_64-linux-gnu/libc_malloc_debug.so.0"
    if os.path.exists(debug):
        env["LD_PRELOAD"] = debug
    done = subprocess.run([sys.executable, str(script), str(CONFIG_PATH), str(DATA_PATH)], env=env, capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "cycles done" in done.stdout


def _child_backtest(args: BacktestArgsConstant) -> tuple[str, list[str], list[tuple[str, list[str]]]]:
    """In a worker process: one backtest, and a batch on the worker's own thread pool."""
    batch = run_backtests(args, [BacktestArgsDynamic(id=i, risk_free_return=Decimal("0.05"), strategy=STRATEGY) for i in "ab"])
    return (*_backtest_value(_run(args)), [_backtest_value(result) for result in batch.results()])


def _parent_backtest(args: BacktestArgsConstant) -> tuple[str, list[str], list[tuple[str, list[str]]]]:
    batch = run_backtests(args, [BacktestArgsDynamic(id=i, risk_free_return=Decimal("0.05"), strategy=STRATEGY) for i in "ab"])
    return (*_backtest_value(_run(args)), [_backtest_value(result) for result in batch.results()])


@pytest.mark.parametrize("start_method", ["spawn", "fork", "forkserver"])
def test_workers_run_backtests_of_pickled_arguments(small_args, start_method):
    # The parent has used its runtime and thread pool before the fork: a forked child must
    # build its own (objects inherited through a fork: the test below).
    expected = _parent_backtest(small_args)
    context = multiprocessing.get_context(start_method)
    with context.Pool(2) as pool:
        assert pool.map(_child_backtest, [small_args, small_args]) == [expected, expected]


def _use_inherited(objects: dict[str, Any]) -> list[str]:
    """In a forked child: what a system and a mock execution of the parent do."""
    seen = []
    for call in (lambda: objects["system"].trading_state(_ffi.TradingState.ENABLED), lambda: objects["mock"].fetch_balances([])):
        try:
            call()
            seen.append("ran")
        except BarterError.InvalidInput as error:
            seen.append(error.reason)
    seen.append(str(objects["system"].is_running()))
    return seen


def test_a_forked_child_refuses_the_parents_live_objects(config):
    instruments = config.system().indexed_instruments()
    execution = config.system().executions()[0][0]
    execution.latency_ms = 0
    objects = {"mock": MockExecution(execution, instruments),
               "system": SystemBuilder(SystemArgs(instruments=instruments, executions=[], clock=EngineClock.LIVE(LiveClock()))).build().init()}
    context = multiprocessing.get_context("fork")
    with context.Pool(1, initializer=_keep, initargs=(objects,)) as pool:
        seen = pool.apply(_use_kept)
    assert all("did not survive the fork" in reason for reason in seen[:2]), seen
    assert seen[2] == "False"
    # The parent's objects are untouched.
    assert objects["system"].is_running()
    objects["system"].shutdown()
    assert objects["mock"].fetch_balances([]) is not None


_KEPT: dict[str, Any] = {}


def _keep(objects: dict[str, Any]) -> None:
    _KEPT.update(objects)


def _use_kept() -> list[str]:
    return _use_inherited(_KEPT)


def test_results_pickle_to_json_equal_records(small_args):
    """A result's records (barter's summary, its fills) compare equal after a round trip."""
    result = _run(small_args)
    copied = pickle.loads(pickle.dumps(result))
    assert copied.summary() == result.summary()
    assert copied.fills() == result.fills()
    assert json.loads(copied.fills()[0].to_json()) == json.loads(result.fills()[0].to_json())
    assert isinstance(copied.fills()[0].time_exchange, Timestamp)
