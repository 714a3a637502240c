"""Fuzzing the installed package from outside, as users feed it: every public function,
constructor and method, called with generated values, most of them wrong.

Hypothesis generates each call: one target (a function, a class's constructor or classmethod,
an object's method, or copy/pickle of an object) and, for each parameter, either a valid value
built from the parameter's annotation (records and enums recursively) or a bad one (wrong types,
NaN, out-of-range numbers, Decimals barter cannot hold, naive datetimes, broken JSON...).

Every call ends in one of:

- ``ok``: it returned. For the ``*_to_json`` / ``*_from_json`` pairs a value must also come back
  equal from its JSON: a value changed without a word is a failure (``changed``);
- ``typed``: a ``BarterError``, ``TypeError``, ``ValueError`` or ``OverflowError``;
- ``untyped``: any other exception (``AttributeError``, ``struct.error``, ...), a failure;
- ``internal``: ``InternalError`` (a Rust panic), a failure;
- ``crash`` and ``hang``: the worker process died or stopped answering, a failure.

Workers run in subprocesses (``python fuzz.py worker``) so a crash is caught: each writes the
call it is about to make to a log first, and the parent reports the last one when the worker
dies or hangs, then starts a new worker on the next seed.

    python tests/fuzz/fuzz.py run --examples 2000 --report target/fuzz/report.json
"""

from __future__ import annotations

import argparse
import collections
import copy
import dataclasses
import datetime as dt
import decimal
import enum
import inspect
import json
import math
import os
import pathlib
import pickle
import signal
import struct
import subprocess
import sys
import time
import traceback
import typing
from collections.abc import Callable, Iterator
from typing import Any

FAILURES = ("untyped", "internal", "changed", "crash", "hang", "harness")

# Failures reported but not failing a run, by kind ("object:untyped"): none. (The objects' methods
# check their arguments too since the build step gave them `_bases.checked`.)
TOLERATED: tuple[str, ...] = ()

# Calls that wait on purpose (a stream's `next(None)` waits for an item that may never come)
# or end the shared system; fuzzing them would measure patience, not robustness.
SKIPPED = {
    ("AuditStream", "next"), ("AccountStream", "next"), ("MarketStream", "next"),
    ("AuditStream", "poll"), ("AccountStream", "poll"),
    ("System", "shutdown"), ("System", "abort"), ("System", "shutdown_after_backtest"),
}


# --- The worker: generate, call, classify -------------------------------------------------------


def _worker(seed: int, examples: int, log: pathlib.Path, data_dir: pathlib.Path) -> dict[str, Any]:
    import hypothesis
    from hypothesis import strategies as st

    import barter
    from barter import BarterError, InternalError

    fixtures = _Fixtures(data_dir)
    fixtures.build_all()
    targets = list(_targets(barter, fixtures))
    values = _Values(st, fixtures)
    counts: collections.Counter[str] = collections.Counter()
    failures: list[dict[str, str]] = []
    journal = log.open("w", buffering=1)
    abort_at = int(os.environ.get("BARTER_FUZZ_SELF_TEST_CRASH_AT", "-1"))

    def classify(call: Callable[[], Any]) -> tuple[str, BaseException | None]:
        try:
            call()
        except (BarterError, TypeError, ValueError, OverflowError) as error:
            if isinstance(error, InternalError):
                return "internal", error
            return "typed", error
        except InternalError as error:
            return "internal", error
        except Exception as error:  # noqa: BLE001 - the point is to see every kind
            return "untyped", error
        return "ok", None

    @hypothesis.settings(
        max_examples=examples, database=None, deadline=None, derandomize=False,
        suppress_health_check=list(hypothesis.HealthCheck), phases=[hypothesis.Phase.generate],
    )
    @hypothesis.seed(seed)
    @hypothesis.given(st.data())
    def one(data: Any) -> None:
        target = data.draw(st.sampled_from(targets), label="target")
        arguments = {
            name: data.draw(values.valid(annotation) if name == "self" else values.argument(annotation), label=name)
            for name, annotation in target.parameters
        }
        journal.write(f"{target.name}({_show(arguments)})\n")
        if sum(counts.values()) // 2 == abort_at:  # the harness's own test: a crash mid-call
            os.kill(os.getpid(), signal.SIGSEGV)
        outcome, error = classify(lambda: target.call(arguments))
        if outcome == "ok" and target.round_trip is not None:
            outcome, error = classify(lambda: target.round_trip(dict(arguments)))  # type: ignore[misc]
            if isinstance(error, _Changed):
                outcome = "changed"
        counts[outcome] += 1
        counts[f"{target.kind}:{outcome}"] += 1
        # Every failure of the rarer kinds is kept; of the common ones, the first few.
        if outcome in FAILURES and (counts[outcome] <= 50 or outcome != "untyped"):
            failures.append({
                "outcome": outcome, "call": f"{target.name}({_show(arguments)})",
                "error": "".join(traceback.format_exception_only(error)).strip()[:600],  # type: ignore[arg-type]
            })

    one()
    return {"counts": dict(counts), "failures": failures}


class _Changed(Exception):
    """A value that came back from barter's JSON different from what went in."""


def _hashable(value: Any) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def _show(arguments: dict[str, Any]) -> str:
    return ", ".join(f"{name}={value!r}"[:300] for name, value in arguments.items())


# --- What is called -----------------------------------------------------------------------------


@dataclasses.dataclass
class _Target:
    name: str
    call_with: Callable[..., Any]
    parameters: list[tuple[str, Any]]
    round_trip: Callable[[dict[str, Any]], None] | None = None
    # "function" (the submodules' functions), "record" (methods of records and enums) or
    # "object" (constructors and methods of native objects, and their copy and pickle).
    kind: str = "function"

    def call(self, arguments: dict[str, Any]) -> Any:
        return self.call_with(**arguments)


def _targets(barter: Any, fixtures: _Fixtures) -> Iterator[_Target]:
    """Everything public, as users reach it: the functions of the submodules, and every
    class's constructor, classmethods and methods (records' ``to_json`` with their
    ``from_json`` round trip included)."""
    seen: set[int] = set()
    modules = [getattr(barter, name) for name in barter.__all__ if inspect.ismodule(getattr(barter, name))]
    for module in modules:
        for name in sorted(vars(module)):
            value = getattr(module, name)
            if name.startswith("_") or id(value) in seen:
                continue
            seen.add(id(value))
            if inspect.isfunction(value) and value.__module__.startswith("barter"):
                parameters = _parameters(value)
                if parameters is not None:
                    yield _Target(f"{module.__name__}.{name}", value, parameters)
            elif inspect.isclass(value) and value.__module__.startswith("barter"):
                yield from _class_targets(value, fixtures)


def _parameters(function: Callable[..., Any]) -> list[tuple[str, Any]] | None:
    try:
        hints = typing.get_type_hints(function)
        signature = inspect.signature(function)
    except Exception:  # noqa: BLE001 - not ours to fuzz (a Python helper without annotations)
        return None
    parameters = []
    for name, parameter in signature.parameters.items():
        if name in ("self", "cls") or parameter.kind in (parameter.VAR_POSITIONAL, parameter.VAR_KEYWORD):
            continue
        parameters.append((name, hints.get(name, Any)))
    return parameters


def _json_round_trip(cls: type) -> Callable[[dict[str, Any]], None]:
    def check(arguments: dict[str, Any]) -> None:
        value = arguments["self"]
        back = cls.from_json(value.to_json())  # type: ignore[attr-defined]
        if back != value:
            raise _Changed(f"{value!r} came back from JSON as {back!r}")

    return check


def _class_targets(cls: type, fixtures: _Fixtures) -> Iterator[_Target]:
    if issubclass(cls, BaseException):
        return
    # Native objects are called on live instances; records and enums on generated values.
    native = hasattr(cls, "_uniffi_make_instance")
    if native:
        parameters = _parameters(cls.__init__)
        if parameters is not None:
            yield _Target(f"{cls.__qualname__}", cls, parameters, kind="object")
        yield _Target(f"copy/pickle {cls.__qualname__}", _protocols_of(cls, fixtures), [], kind="object")
    for name in sorted(dir(cls)):
        member = inspect.getattr_static(cls, name)
        if name.startswith("_") or (cls.__name__, name) in SKIPPED:
            continue
        if isinstance(member, (classmethod, staticmethod)):
            function = getattr(cls, name)
            parameters = _parameters(function)
            if parameters is not None:
                yield _Target(f"{cls.__qualname__}.{name}", function, parameters, kind="object" if native else "record")
        elif inspect.isfunction(member) and (native or dataclasses.is_dataclass(cls) or _has_variants(cls) or isinstance(cls, enum.EnumMeta)):
            parameters = _parameters(member)
            if parameters is None:
                continue
            if native:
                yield _Target(f"{cls.__qualname__}().{name}", _method(cls, name, fixtures), parameters, kind="object")
            else:
                # A record's method: `self` a generated value of the record (its fields
                # sometimes wrong), the other arguments drawn as any function's.
                round_trip = _json_round_trip(cls) if name == "to_json" and hasattr(cls, "from_json") else None
                first = next(iter(inspect.signature(member).parameters), "self")
                rest = parameters if first == "self" else parameters[1:]  # a native function as a method
                yield _Target(f"{cls.__qualname__}.{name}", _record_method(name), [("self", cls), *rest], round_trip, kind="record")


def _has_variants(cls: type) -> bool:
    return any(inspect.isclass(v) and issubclass(v, cls) and v is not cls for v in vars(cls).values())


def _record_method(name: str) -> Callable[..., Any]:
    def call(**arguments: Any) -> Any:
        record = arguments.pop("self")
        return getattr(record, name)(**arguments)

    return call


def _method(cls: type, name: str, fixtures: _Fixtures) -> Callable[..., Any]:
    def call(**arguments: Any) -> Any:
        instance = fixtures.instance(cls)
        if instance is None:
            return None
        return getattr(instance, name)(**arguments)

    return call


def _protocols_of(cls: type, fixtures: _Fixtures) -> Callable[[], Any]:
    def call() -> None:
        instance = fixtures.instance(cls)
        if instance is None:
            return
        for duplicate in (copy.copy, copy.deepcopy, lambda value: pickle.loads(pickle.dumps(value))):
            try:
                duplicate(instance)
            except TypeError:
                continue  # live objects refuse with TypeError: typed, and the original untouched
        fixtures.instance(cls)  # the original still works after its copies are collected

    return call


# --- Objects to call methods on -----------------------------------------------------------------


class _Fixtures:
    """One live instance per object class, built from barter's example config and data, rebuilt
    when a call has used it up (a shut-down system)."""

    def __init__(self, data_dir: pathlib.Path) -> None:
        self.config_path = data_dir / "examples/config/backtest_config.json"
        data_path = data_dir / "examples/data/binance_spot_trades_l1_btcusdt_ethusdt_solusdt.json"
        with data_path.open() as lines:
            self.market_lines = [next(lines) for _ in range(200)]
        self._cache: dict[type, Any] = {}

    def build_all(self) -> None:
        from barter._ffi import barter_ffi

        for value in vars(barter_ffi).values():
            if inspect.isclass(value) and hasattr(value, "_uniffi_make_instance"):
                self.instance(value)

    def instance(self, cls: type) -> Any:
        return self._build(cls)

    def _build(self, cls: type) -> Any:
        from barter import backtest, engine, execution, instrument, statistic, system
        from barter._ffi import barter_ffi

        built = self._cache
        if not built:
            config = backtest.BacktestConfig.from_file(str(self.config_path))
            market = backtest.MarketDataInMemory.from_json_lines("".join(self.market_lines).encode())
            args = backtest.BacktestArgsConstant.from_config(config, market, statistic.SummaryInterval.DAILY)
            dynamic = backtest.BacktestArgsDynamic(id="fuzz", risk_free_return=decimal.Decimal("0.05"))
            instruments = config.system().indexed_instruments()
            start = market.time_first_event()
            balance = statistic.TimedBalance(value=barter_ffi.Balance(total=decimal.Decimal(1000), free=decimal.Decimal(1000)), time=start)
            drawdown = statistic.DrawdownGenerator.init(statistic.TimedDecimal(value=decimal.Decimal(1000), time=start))
            drawdown.update(statistic.TimedDecimal(value=decimal.Decimal(900), time=start))
            executions = config.system().executions()
            mock_config = executions[0][0] if isinstance(executions[0], barter_ffi.ExecutionConfig.MOCK) else None
            map_ = execution.ExecutionInstrumentMap(instruments, instrument.ExchangeId.BINANCE_SPOT)
            system_args = system.SystemArgs(instruments=instruments, executions=executions, clock=engine.EngineClock.LIVE(engine.LiveClock()))
            builder = system.SystemBuilder(system_args).audit_mode(system.AuditMode.ENABLED)
            paper = builder.build().init()
            mock = execution.MockExecution(mock_config, instruments)
            ended = system.SystemBuilder(system_args).build().init()
            built.update({
                barter_ffi.BacktestConfig: config, barter_ffi.SystemConfig: config.system(),
                barter_ffi.IndexedInstruments: instruments, barter_ffi.MarketDataInMemory: market,
                barter_ffi.BacktestArgsConstant: args, barter_ffi.BacktestResult: backtest.backtest(args, dynamic),
                barter_ffi.BacktestResults: backtest.run_backtests(args, [dynamic]),
                barter_ffi.EngineState: args.engine_state(), barter_ffi.HistoricalClock: engine.HistoricalClock(start),
                barter_ffi.MarketStream: market.stream(),
                barter_ffi.TearSheetAssetGenerator: statistic.TearSheetAssetGenerator.init(balance),
                barter_ffi.TearSheetGenerator: statistic.TearSheetGenerator.init(start),
                barter_ffi.DrawdownGenerator: drawdown,
                barter_ffi.MaxDrawdownGenerator: statistic.MaxDrawdownGenerator.init(drawdown.generate()),
                barter_ffi.MeanDrawdownGenerator: statistic.MeanDrawdownGenerator.init(drawdown.generate()),
                barter_ffi.ExecutionInstrumentMap: map_, barter_ffi.AccountEventIndexer: execution.AccountEventIndexer(map_),
                barter_ffi.MockExecution: mock, barter_ffi.AccountStream: mock.account_stream([], []),
                barter_ffi.SystemBuilder: builder, barter_ffi.SystemBuild: builder.build(),
                barter_ffi.System: paper, barter_ffi.AuditStream: paper.take_audit().updates,  # type: ignore[union-attr]
            })
            engine_, _ = ended.shutdown()
            built[barter_ffi.Engine] = engine_
            built[barter_ffi.TradingSummaryGenerator] = engine_.trading_summary_generator(decimal.Decimal(0))
        for known, value in built.items():
            if isinstance(known, type) and issubclass(cls, known) or issubclass(known, cls):
                return value
        return None  # only Rust hands these out (a strategy's context, foreign-trait handles)


# --- Values -------------------------------------------------------------------------------------


class _Values:
    """Hypothesis strategies for one parameter: a valid value of its annotation, or a bad one."""

    def __init__(self, st: Any, fixtures: _Fixtures) -> None:
        self.st = st
        self.fixtures = fixtures
        self._valid: dict[Any, Any] = {}
        self.bad = st.one_of(
            st.sampled_from([
                None, True, False, 2, -1, 2**64, 2**200, 1.5, math.nan, math.inf, -math.inf, "", "x",
                "\x00", b"bytes", bytearray(b"x"), [], [1], {}, {"a": 1}, (), object(), str,
                decimal.Decimal("NaN"), decimal.Decimal("sNaN"), decimal.Decimal("Infinity"),
                decimal.Decimal("1e30"), decimal.Decimal("1e-40"), decimal.Decimal("-0"),
                decimal.Decimal("79228162514264337593543950336"), decimal.Decimal("1." + "1" * 40),
                dt.datetime(2025, 3, 25), dt.date(2025, 3, 25), dt.timedelta(seconds=1),
                "{", "[]", "null", '{"a": 1e400}', '"\\ud800"', "1" * 5000,
            ]),
            st.text(max_size=40).filter(lambda text: text.lower() == text),  # a str where one is allowed: see `valid`
            st.integers(),
            st.floats(),
            st.binary(max_size=20),
        )

    def argument(self, annotation: Any) -> Any:
        return self.st.one_of(self.valid(annotation), self.bad)

    def field(self, annotation: Any, depth: int) -> Any:
        """A record's field: valid most of the time, so that calls get past the first field."""
        return self.st.one_of(*[self.valid(annotation, depth)] * 9, self.bad)

    def valid(self, annotation: Any, depth: int = 0) -> Any:
        key = (annotation, depth)
        if key not in self._valid:
            self._valid[key] = self.st.deferred(lambda: self._valid_now(annotation, depth))
        return self._valid[key]

    def _valid_now(self, annotation: Any, depth: int) -> Any:
        st = self.st
        origin, args = typing.get_origin(annotation), typing.get_args(annotation)
        if depth > 6:
            return self.bad
        if annotation is Any or annotation is object:
            return self.bad
        if origin is typing.Union:
            return st.one_of(*(self.valid(arg, depth + 1) for arg in args if arg is not type(None)), st.none())
        if origin in (list, collections.abc.Sequence):
            return st.lists(self.valid(args[0], depth + 1), max_size=3)
        if origin is dict:
            keys = self.valid(args[0], depth + 1).filter(_hashable)  # not a key with an sNaN inside
            return st.dictionaries(keys, self.valid(args[1], depth + 1), max_size=3)
        if annotation is bool:
            return st.booleans()
        if annotation is float:
            return st.floats(allow_nan=False, allow_infinity=False)
        if annotation is str:
            # In lower case: barter's internal names are lower case by construction (their
            # `new` lowercases, as the FFI does on the way in), so an upper-case name in a
            # Python record comes back lowered: barter's rule, not a change made on the way.
            return st.text(max_size=20).filter(lambda text: text.lower() == text)
        if annotation is bytes:
            return st.binary(max_size=20)
        if annotation is decimal.Decimal:
            # Every value barter's 96-bit Decimal holds, small ones more often.
            mantissas = st.one_of(st.integers(-(10**6), 10**6), st.integers(-(2**96) + 1, 2**96 - 1))
            return st.builds(lambda m, s: decimal.Decimal(f"{m}E-{s}"), mantissas, st.integers(0, 28))
        if annotation is dt.datetime or (inspect.isclass(annotation) and issubclass(annotation, dt.datetime)):
            from barter import Timestamp
            return st.integers(0, 2**62).map(Timestamp.from_timestamp_ns)
        if annotation is dt.timedelta:
            return st.integers(0, 10**9).map(lambda us: dt.timedelta(microseconds=us))
        if inspect.isclass(annotation) and issubclass(annotation, bool):
            return st.booleans()
        if inspect.isclass(annotation) and issubclass(annotation, int):
            return st.integers(0, 4).map(annotation)
        if inspect.isclass(annotation) and issubclass(annotation, enum.Enum):
            return st.sampled_from(list(annotation))
        if inspect.isclass(annotation) and dataclasses.is_dataclass(annotation):
            return self._record(annotation, depth)
        if inspect.isclass(annotation):
            variants = [v for v in vars(annotation).values() if inspect.isclass(v) and issubclass(v, annotation) and v is not annotation]
            if variants:
                return st.one_of(*(self._record(variant, depth) for variant in variants))
            if hasattr(annotation, "_uniffi_make_instance"):
                return st.just(annotation).map(self.fixtures.instance)
        return self.bad

    def _record(self, cls: type, depth: int) -> Any:
        # The package's own reading of a record's or variant's typed fields (tuple variants,
        # untyped in the generated code, included).
        from barter._check import _fields

        fields = _fields(cls)
        if fields and isinstance(fields[0][0], int):
            return self.st.tuples(*(self.field(hint, depth + 1) for _, hint in fields)).map(lambda values: cls(*values))
        return self.st.fixed_dictionaries({name: self.field(hint, depth + 1) for name, hint in fields}).map(lambda kw: cls(**kw))


# --- The parent: workers in subprocesses, crashes and hangs caught ------------------------------


def _run(examples: int, per_worker: int, timeout: float, data_dir: pathlib.Path, report: pathlib.Path, first_seed: int,
         tolerated: tuple[str, ...]) -> int:
    report.parent.mkdir(parents=True, exist_ok=True)
    totals: collections.Counter[str] = collections.Counter()
    failures: list[dict[str, str]] = []
    seed, remaining, started = first_seed, examples, time.monotonic()
    while remaining > 0:
        batch = min(per_worker, remaining)
        log = report.parent / f"worker-{seed}.log"
        out = report.parent / f"worker-{seed}.json"
        command = [sys.executable, __file__, "worker", "--seed", str(seed), "--examples", str(batch),
                   "--log", str(log), "--out", str(out), "--data", str(data_dir)]
        try:
            result = subprocess.run(command, timeout=timeout, capture_output=True, text=True)
            if result.returncode == 0:
                worker = json.loads(out.read_text())
                totals.update(worker["counts"])
                failures.extend(worker["failures"])
            else:
                # Killed by a signal (SIGSEGV, SIGABRT from Rust) is a crash; a Python traceback
                # is this harness failing, counted too so that a broken fuzzer cannot pass.
                outcome = "crash" if result.returncode < 0 else "harness"
                totals.update([outcome, f"process:{outcome}"])
                failures.append({"outcome": outcome, "call": _last_line(log),
                                 "error": f"worker exited with {result.returncode}: {result.stderr[-3000:]}"})
        except subprocess.TimeoutExpired:
            totals.update(["hang", "process:hang"])
            failures.append({"outcome": "hang", "call": _last_line(log), "error": f"no answer in {timeout} s"})
        remaining -= batch
        seed += 1
    summary = {"examples": sum(count for kind, count in totals.items() if ":" not in kind), "counts": dict(sorted(totals.items())), "seconds": round(time.monotonic() - started, 1),
               "failures": failures}
    report.write_text(json.dumps(summary, indent=2))
    print(json.dumps({key: summary[key] for key in ("examples", "counts", "seconds")}))
    for failure in failures[:40]:
        print(f"{failure['outcome']}: {failure['call'][:400]}\n    {failure['error'][:400]}")
    return 1 if failed(totals, tolerated) else 0


def failed(counts: dict[str, int], known: tuple[str, ...] = ()) -> dict[str, int]:
    """The failures in a report's counts, but for those of the ``known`` kinds
    (``"object:untyped"``)."""
    return {kind: count for kind, count in counts.items() if kind.split(":")[-1] in FAILURES and ":" in kind and kind not in known}


def _last_line(log: pathlib.Path) -> str:
    lines = log.read_text(errors="replace").splitlines() if log.exists() else []
    return lines[-1] if lines else "(before the first call)"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    run = commands.add_parser("run", help="fuzz in worker subprocesses and report")
    run.add_argument("--examples", type=int, default=2000)
    run.add_argument("--per-worker", type=int, default=500)
    run.add_argument("--timeout", type=float, default=600.0, help="seconds a worker may take")
    run.add_argument("--seed", type=int, default=0)
    run.add_argument("--data", type=pathlib.Path, default=os.environ.get("BARTER_CRATE_DIR"),
                     help="the barter crate's directory (default: $BARTER_CRATE_DIR)")
    run.add_argument("--tolerate", nargs="*", default=list(TOLERATED), help="failures reported but not failing the run")
    run.add_argument("--report", type=pathlib.Path, required=True)
    worker = commands.add_parser("worker")
    worker.add_argument("--seed", type=int, required=True)
    worker.add_argument("--examples", type=int, required=True)
    worker.add_argument("--log", type=pathlib.Path, required=True)
    worker.add_argument("--out", type=pathlib.Path, required=True)
    worker.add_argument("--data", type=pathlib.Path, required=True)
    arguments = parser.parse_args()
    if arguments.command == "run":
        return _run(arguments.examples, arguments.per_worker, arguments.timeout, arguments.data, arguments.report, arguments.seed,
                    tuple(arguments.tolerate))
    result = _worker(arguments.seed, arguments.examples, arguments.log, arguments.data)
    arguments.out.write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
