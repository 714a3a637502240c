"""Parameter sweeps: one call that runs a grid of backtests in this process, on a process pool,
or on a Dask cluster, and gives the same rows on each.

The work is cut into chunks of variants; a worker runs a chunk with :func:`run_backtests` (each
backtest whole in Rust) and returns each run's :class:`BacktestResult`, which pickles by value.
What every run shares (the market data, the system, the summary interval) travels once per
worker: scattered to every Dask worker, or handed to each pool process as it starts. The
strategy, risk and system factories travel with each chunk, by cloudpickle where it is
installed (lambdas and classes defined in ``__main__`` or a notebook), else by pickle.

Backtests in event time (the default) give the same summary on every run, so a sweep's rows are
equal wherever it runs, in the grid's order.
"""

from __future__ import annotations

import concurrent.futures
import dataclasses
import hashlib
import inspect
import itertools
import multiprocessing
import os
import pathlib
import pickle
import threading
import uuid
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Union

from barter._ffi import barter_ffi as _ffi
from barter._ffi.barter_ffi import BacktestArgsConstant, BacktestMode, BacktestResult, Recording, SystemConfig
from barter._frames import Frame, _cell, summary_metrics
from barter.backtest import BacktestArgsDynamic, BacktestsFailed, Progress, _reporter, run_backtests
from barter.risk import RiskManager
from barter.strategy import AlgoStrategy, Strategy

if TYPE_CHECKING:
    import distributed

#: The grid key that sets a run's risk-free return instead of going to a factory.
RISK_FREE_RETURN = "risk_free_return"


def _default_start_method() -> str:
    return "forkserver" if "forkserver" in multiprocessing.get_all_start_methods() else "spawn"


@dataclasses.dataclass(frozen=True)
class Processes:
    """Run a sweep on a pool of ``workers`` processes of this machine (default: one per core),
    started with ``start_method``. Each process receives the shared inputs once, as it starts.

    The default, ``"forkserver"`` (Python 3.14's default on Linux; ``"spawn"`` where there is
    none), forks each worker from a server process that has imported barter once and started no
    thread, so a pool starts in tens of milliseconds instead of an import of barter per worker.
    ``"spawn"`` starts a fresh interpreter per worker; ``"fork"`` copies this process, and barter
    rebuilds its runtime in the child."""

    workers: int | None = None
    start_method: str = dataclasses.field(default_factory=_default_start_method)


#: Where a sweep runs: ``None`` (this process), :class:`Processes`, or a ``distributed.Client``.
Executor = Union[Processes, "distributed.Client", None]


@dataclasses.dataclass(frozen=True)
class SweepRun:
    """One run of a sweep: its place in the grid, its backtest id, its parameters, and either its
    ``result`` or the ``error`` that stopped it (``"ZeroDivisionError: ..."``: what its strategy,
    risk manager or factory raised)."""

    index: int
    id: str
    parameters: Mapping[str, Any]
    result: BacktestResult | None
    error: str | None


class SweepResults(Sequence[SweepRun]):
    """A sweep's runs, in the grid's order; :meth:`frame` puts them in one table."""

    def __init__(self, runs: list[SweepRun]) -> None:
        self._runs = runs

    def __len__(self) -> int:
        return len(self._runs)

    def __getitem__(self, index: int) -> SweepRun:  # type: ignore[override]
        return self._runs[index]

    def __repr__(self) -> str:
        return f"SweepResults({len(self)} runs, {len(self.failed())} failed)"

    def failed(self) -> list[SweepRun]:
        """The runs that stopped with an error."""
        return [run for run in self._runs if run.error is not None]

    def frame(self) -> Frame:
        """One row per run, in the grid's order: ``run`` (its index), ``id``, each parameter,
        ``error`` (null for runs that finished), then the columns of
        :func:`~barter.backtest.summary_frame` (the engine's times and every tear sheet's
        metrics; null for failed runs). ``sweep[row.run].result`` is the full result."""
        import pyarrow as pa

        rows = []
        for run in self._runs:
            row: dict[str, Any] = {"run": run.index, "id": run.id}
            row.update((name, _cell(value)) for name, value in run.parameters.items())
            row["error"] = run.error
            if run.result is not None:
                summary = run.result.summary()
                row[RISK_FREE_RETURN] = summary.risk_free_return
                row.update(summary_metrics(summary))
            rows.append(row)
        names = dict.fromkeys(name for row in rows for name in row)  # every column, first seen first
        return Frame(pa.table({name: [row.get(name) for row in rows] for name in names}))


def sweep(
    base: BacktestArgsConstant,
    grid: Mapping[str, Iterable[Any]] | Iterable[Mapping[str, Any]],
    *,
    strategy: Callable[..., Strategy | AlgoStrategy | None] | Strategy | None = None,
    risk: Callable[..., RiskManager | None] | None = None,
    system: Callable[..., SystemConfig] | None = None,
    risk_free_return: Decimal = Decimal(0),
    executor: Executor = None,
    chunk_size: int = 1,
    mode: BacktestMode | None = None,
    recording: Recording | None = None,
    progress: Progress | bool | None = None,
    checkpoint: str | os.PathLike[str] | None = None,
) -> SweepResults:
    """Run one backtest per variant of ``grid`` and return them all, in the grid's order.

    ``grid`` is either a mapping of parameter names to their values (every combination is run,
    the last name varying fastest) or an explicit list of variants (mappings of names to
    values). Each variant's parameters go, by name, to the factories that declare them:

    - ``strategy(**params)`` gives the run's strategy: a Python
      :class:`~barter.strategy.AlgoStrategy` (a new instance per run) or a built-in
      :class:`~barter.strategy.Strategy`; a ``Strategy`` value is used for every run; ``None``:
      barter's ``DefaultStrategy``;
    - ``risk(**params)`` gives its :class:`~barter.risk.RiskManager` (``None``: barter's);
    - ``system(**params)`` gives its :class:`~barter.system.SystemConfig` (venue settings:
      latency, fees, balances); ``None``: ``base``'s;
    - the parameter ``risk_free_return``, if in the grid, sets the run's risk-free return
      (default: the ``risk_free_return`` argument).

    A factory takes the parameters its signature names (all of them with ``**params``); a grid
    name no factory takes raises ``TypeError``, as a misspelt name would otherwise be ignored.

    ``executor`` runs the chunks (``chunk_size`` variants each): ``None`` in this process (barter's
    concurrent ``run_backtests``: built-in strategies use every core; Python strategies share
    the GIL), :class:`Processes` on a local pool, or a ``distributed.Client`` on its Dask
    cluster (tasks named ``barter-sweep-*``; a worker lost mid-sweep has its tasks rerun
    elsewhere). ``mode`` and ``recording`` are as for :func:`~barter.backtest.backtest`;
    ``recording`` defaults to off (summaries and fills only): ``Recording()`` keeps every run's
    frames. ``progress`` is called as ``progress(done, total)`` as runs finish; ``True`` shows a
    bar. Ctrl-C cancels the work left (on a cluster too) and raises ``KeyboardInterrupt``.

    A run whose strategy, risk manager or factory raises gets its ``error``; the others finish.

    ``checkpoint`` is a directory where each run is saved as it finishes (its parameters and
    result, by value). Given the same directory again, the sweep loads the runs saved there and
    runs only the others (and those that failed), so an interrupted overnight sweep resumes
    where it stopped. The directory knows the grid and ``base``, and refuses another sweep's
    (``ValueError``); it cannot know the strategy's code: use a new directory when that changes.
    """
    variants = _variants(grid)
    factories = _Factories(strategy, risk, system, risk_free_return)
    factories.check(variants)
    if chunk_size < 1:
        raise ValueError(f"chunk_size: expected a positive int, got {chunk_size!r}")
    if executor is not None and not isinstance(executor, Processes) and not type(executor).__module__.startswith("distributed"):
        raise TypeError(f"executor: expected None, Processes or a distributed.Client, got {type(executor).__name__}")
    options = _Options(mode, Recording(enabled=False) if recording is None else recording)
    shared = Shared(base)
    saved = _Checkpoint(checkpoint, variants, shared) if checkpoint is not None else None
    done = saved.runs() if saved is not None else []
    pending = [(index, variant) for index, variant in enumerate(variants) if index not in {run.index for run in done}]
    with _reporter(progress, len(variants)) as report:
        runs = _Arrivals(done, report, saved)
        if executor is None:
            # One batch, for barter's concurrency; with a checkpoint, batches of a few per core,
            # saved as each ends.
            size = len(pending) if saved is None else max(chunk_size, 4 * (os.cpu_count() or 1))
            for start in range(0, len(pending), size):
                before = len(runs.rows)
                runs.add(run_chunk(shared, factories, pending[start : start + size], options, lambda finished: report(before + finished)))
        elif pending:
            chunks = [pending[start : start + chunk_size] for start in range(0, len(pending), chunk_size)]
            if isinstance(executor, Processes):
                _on_processes(executor, shared, factories, chunks, options, runs.add)
            else:
                _on_dask(executor, shared, factories, chunks, options, runs.add)
    return SweepResults(sorted(runs.rows, key=lambda row: row.index))


class _Arrivals:
    """A sweep's runs as they finish: counted for its progress, and saved to its checkpoint."""

    def __init__(self, done: list[SweepRun], report: Callable[[int], object], checkpoint: _Checkpoint | None) -> None:
        self.rows = list(done)
        self._report = report
        self._checkpoint = checkpoint
        report(len(self.rows))

    def add(self, runs: list[SweepRun]) -> None:
        if self._checkpoint is not None:
            self._checkpoint.save(runs)
        self.rows.extend(runs)
        self._report(len(self.rows))


class _Checkpoint:
    """A directory of a sweep's finished runs: ``sweep.pickle`` (the grid's variants and a
    fingerprint of the shared inputs) and ``runs/<index>.pickle`` (each run that finished, written
    whole or not at all)."""

    def __init__(self, directory: str | os.PathLike[str], variants: list[dict[str, Any]], shared: Shared) -> None:
        self._runs = pathlib.Path(directory) / "runs"
        self._runs.mkdir(parents=True, exist_ok=True)
        manifest = self._runs.parent / "sweep.pickle"
        identity = {"variants": variants, "base": shared.fingerprint()}
        if manifest.exists():
            known = pickle.loads(manifest.read_bytes())  # noqa: S301 (a checkpoint this user's sweep wrote)
            for what, name in (("variants", "grid"), ("base", "base (system, market data, interval or trading state)")):
                if known[what] != identity[what]:
                    raise ValueError(f"checkpoint: {directory} holds another sweep's runs: its {name} differs from this sweep's")
        else:
            _write(manifest, pickle.dumps(identity))

    def runs(self) -> list[SweepRun]:
        """The runs saved that finished without an error (failed runs run again)."""
        loaded = (pickle.loads(path.read_bytes()) for path in self._runs.glob("*.pickle"))  # noqa: S301 (as above)
        return [run for run in loaded if run.error is None]

    def save(self, runs: list[SweepRun]) -> None:
        for run in runs:
            _write(self._runs / f"{run.index}.pickle", pickle.dumps(run))


def _write(path: pathlib.Path, data: bytes) -> None:
    """Write ``data`` to ``path`` whole or not at all (a sweep stopped mid-write leaves no half file)."""
    partial = path.with_suffix(".partial")
    partial.write_bytes(data)
    os.replace(partial, path)


def _variants(grid: Mapping[str, Iterable[Any]] | Iterable[Mapping[str, Any]]) -> list[dict[str, Any]]:
    if isinstance(grid, Mapping):
        names = list(grid)
        for name in names:
            if not isinstance(name, str):
                raise TypeError(f"grid: parameter names are str, got {type(name).__name__} {name!r}")
            if isinstance(grid[name], (str, bytes)) or not isinstance(grid[name], Iterable):
                raise TypeError(f"grid[{name!r}]: expected the parameter's values (a list), got {type(grid[name]).__name__}")
        return [dict(zip(names, values)) for values in itertools.product(*(list(grid[name]) for name in names))]
    if isinstance(grid, (str, bytes)) or not isinstance(grid, Iterable):
        raise TypeError(f"grid: expected a mapping of names to values or a list of variants, got {type(grid).__name__}")
    variants = []
    for index, variant in enumerate(grid):
        if not isinstance(variant, Mapping) or not all(isinstance(name, str) for name in variant):
            raise TypeError(f"grid[{index}]: expected a mapping of parameter names to values, got {type(variant).__name__}")
        variants.append(dict(variant))
    return variants


class Shared:
    """What every run of a sweep shares: ``base`` (its system, market data, summary interval and
    trading state), pickled by value once per worker. Each process counts what arrived
    (:func:`arrivals`), so a test can see the data crossed once.

    A copy that arrives keeps its bytes and reads them on first use: a Dask broadcast hands the
    data from worker to worker, each sending on the same bytes without reading them first, and
    the workers then read it at once, in their first tasks."""

    def __init__(self, base: BacktestArgsConstant, token: str | None = None) -> None:
        if not isinstance(base, BacktestArgsConstant):
            raise TypeError(f"base: expected BacktestArgsConstant, got {type(base).__name__}")
        self._base: BacktestArgsConstant | None = base
        self._pickled: bytes | None = None
        self.token = token or uuid.uuid4().hex
        self._by_system: dict[str, BacktestArgsConstant] = {}
        self._lock = threading.Lock()

    @classmethod
    def _arrived(cls, pickled: bytes, token: str) -> Shared:
        shared = cls.__new__(cls)
        shared._base, shared._pickled, shared.token, shared._by_system, shared._lock = None, pickled, token, {}, threading.Lock()
        return shared

    def __reduce__(self) -> tuple[Callable[..., Shared], tuple[Any, ...]]:
        # Serialised once however many workers it goes to (a scheduler in this process pickles
        # it for each): barter's JSON lines of the market data cost ~2 µs an event each way.
        return (_arrive, (self._bytes(), self.token))

    def __dask_tokenize__(self) -> str:  # scatter's key, without hashing the data
        return self.token

    def _bytes(self) -> bytes:
        with self._lock:
            if self._pickled is None:
                self._pickled = pickle.dumps(self._base, protocol=pickle.HIGHEST_PROTOCOL)
            return self._pickled

    def fingerprint(self) -> str:
        """A hash of the shared inputs as they are sent (barter's serialisations of them)."""
        return hashlib.sha256(self._bytes()).hexdigest()

    @property
    def base(self) -> BacktestArgsConstant:
        with self._lock:
            if self._base is None:
                self._base = pickle.loads(self._pickled)  # type: ignore[arg-type]  # noqa: S301 (the sweep's own inputs)
            return self._base

    def args(self, system: SystemConfig | None) -> BacktestArgsConstant:
        """The constant arguments of a run on ``system`` (``None``: the base's), built once per
        system in each process."""
        base = self.base
        if system is None:
            return base
        key = system.to_json()
        with self._lock:
            if key not in self._by_system:
                self._by_system[key] = BacktestArgsConstant(system, base.market_data(), base.summary_interval(), base.trading_state())
            return self._by_system[key]


_ARRIVED: dict[str, int] = {}


def _arrive(pickled: bytes, token: str) -> Shared:
    _ARRIVED[token] = _ARRIVED.get(token, 0) + 1
    return Shared._arrived(pickled, token)


def arrivals() -> dict[str, int]:
    """How many times each sweep's shared inputs arrived in this process, by sweep token."""
    return dict(_ARRIVED)


@dataclasses.dataclass(frozen=True)
class _Options:
    mode: BacktestMode | None
    recording: Recording


class _Factories:
    """What makes each run from its parameters: the strategy, risk and system factories."""

    def __init__(self, strategy: Any, risk: Any, system: Any, risk_free_return: Decimal) -> None:
        if not isinstance(risk_free_return, Decimal):
            raise TypeError(f"risk_free_return: expected Decimal, got {type(risk_free_return).__name__}")
        self.strategy = strategy
        self.risk = risk
        self.system = system
        self.risk_free_return = risk_free_return
        for name in ("risk", "system"):
            if getattr(self, name) is not None and not callable(getattr(self, name)):
                raise TypeError(f"{name}: expected a callable taking the grid's parameters, got {type(getattr(self, name)).__name__}")
        if strategy is not None and not callable(strategy) and not isinstance(strategy, Strategy):
            raise TypeError(f"strategy: expected a Strategy or a callable giving one, got {type(strategy).__name__}")

    def _makers(self) -> list[Callable[..., Any]]:
        return [maker for maker in (self.strategy, self.risk, self.system) if callable(maker) and not isinstance(maker, Strategy)]

    def check(self, variants: list[dict[str, Any]]) -> None:
        """Every parameter of the grid is taken by a factory (or is ``risk_free_return``)."""
        takes = [_takes(maker) for maker in self._makers()]
        for index, variant in enumerate(variants):
            for name in variant:
                if name != RISK_FREE_RETURN and not any(name in taken or taken is _ALL for taken in takes):
                    raise TypeError(f"grid: parameter {name!r} (variant {index}) is taken by no factory (strategy, risk, system)")

    def make(self, run_id: str, params: dict[str, Any]) -> tuple[BacktestArgsDynamic, SystemConfig | None]:
        """A run's dynamic arguments and system (``None``: the base's) from its parameters."""

        def call(maker: Any) -> Any:
            taken = _takes(maker)
            return maker(**(params if taken is _ALL else {name: value for name, value in params.items() if name in taken}))

        strategy = self.strategy if self.strategy is None or isinstance(self.strategy, Strategy) else call(self.strategy)
        risk = None if self.risk is None else call(self.risk)
        system = None if self.system is None else call(self.system)
        if system is not None and not isinstance(system, SystemConfig):
            raise TypeError(f"system: the factory gave {type(system).__name__}, not a SystemConfig")
        risk_free_return = params.get(RISK_FREE_RETURN, self.risk_free_return)
        return BacktestArgsDynamic(id=run_id, risk_free_return=risk_free_return, strategy=strategy, risk=risk), system


_ALL = frozenset({"**"})


def _takes(maker: Callable[..., Any]) -> frozenset[str]:
    """The parameter names ``maker`` takes by keyword (``_ALL`` for ``**params``)."""
    parameters = inspect.signature(maker).parameters.values()
    if any(parameter.kind is inspect.Parameter.VAR_KEYWORD for parameter in parameters):
        return _ALL
    return frozenset(p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY))


def _run_id(index: int, params: Mapping[str, Any]) -> str:
    return f"{index}:" + ",".join(f"{name}={value}" for name, value in params.items())


def run_chunk(
    shared: Shared | str,
    factories: _Factories | bytes,
    chunk: list[tuple[int, dict[str, Any]]],
    options: _Options,
    report: Callable[[int], object] | None = None,
) -> list[SweepRun]:
    """Run a chunk of variants where this is called (a worker): one ``run_backtests`` batch per
    system. ``shared`` is the shared inputs, or the token of those this process received as it
    started; ``factories`` may come pickled (by cloudpickle)."""
    if isinstance(shared, str):
        shared = _INSTALLED[shared]
    makers: _Factories = pickle.loads(factories) if isinstance(factories, bytes) else factories  # noqa: S301 (the sweep's own, from its caller)
    runs: dict[int, SweepRun] = {}
    batches: dict[str | None, list[tuple[int, dict[str, Any], BacktestArgsDynamic]]] = {}
    systems: dict[str | None, SystemConfig | None] = {None: None}
    for index, params in chunk:
        run_id = _run_id(index, params)
        try:
            args, system = makers.make(run_id, params)
        except Exception as error:  # noqa: BLE001 (the run's error, as a run's strategy raising)
            runs[index] = SweepRun(index, run_id, params, None, _error(error))
            continue
        key = None if system is None else system.to_json()
        systems[key] = system
        batches.setdefault(key, []).append((index, params, args))
    done = len(runs)
    for key, batch in batches.items():
        constant = shared.args(systems[key])
        on_progress = None if report is None else (lambda finished, _total, offset=done: report(offset + finished))
        try:
            results = run_backtests(constant, [args for _, _, args in batch], options.mode, options.recording, on_progress)
            errors: dict[int, BaseException] = {}
        except BacktestsFailed as failed:
            results, errors = failed.results, failed.failures
        for position, (index, params, args) in enumerate(batch):
            if position in errors:
                runs[index] = SweepRun(index, args.id, params, None, _error(errors[position].__cause__ or errors[position]))
            else:
                runs[index] = SweepRun(index, args.id, params, results.result(position), None)
        done += len(batch)
    return [runs[index] for index, _ in chunk]


def _error(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"


# --- A local process pool ------------------------------------------------------------------------

_INSTALLED: dict[str, Shared] = {}


def _install(shared: Shared) -> None:
    """A pool process's initializer: keep the shared inputs, received once, for its chunks."""
    _INSTALLED[shared.token] = shared


def _dumps(value: Any) -> bytes:
    try:
        import cloudpickle
    except ImportError:
        return pickle.dumps(value)
    return bytes(cloudpickle.dumps(value))


def _on_processes(
    processes: Processes,
    shared: Shared,
    factories: _Factories,
    chunks: list[list[tuple[int, dict[str, Any]]]],
    options: _Options,
    arrive: Callable[[list[SweepRun]], None],
) -> None:
    workers = processes.workers or os.cpu_count() or 1
    context = multiprocessing.get_context(processes.start_method)
    if processes.start_method == "forkserver":
        # Only the server's first start reads it: every later sweep forks from that server.
        context.set_forkserver_preload(["barter._sweep"])
    pickled = _dumps(factories)
    with concurrent.futures.ProcessPoolExecutor(workers, mp_context=context, initializer=_install, initargs=(shared,)) as pool:
        futures = [pool.submit(run_chunk, shared.token, pickled, chunk, options) for chunk in chunks]
        try:
            for future in concurrent.futures.as_completed(futures):
                arrive(future.result())
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise


# --- A Dask cluster ------------------------------------------------------------------------------


def _on_dask(
    client: distributed.Client,
    shared: Shared,
    factories: _Factories,
    chunks: list[list[tuple[int, dict[str, Any]]]],
    options: _Options,
    arrive: Callable[[list[SweepRun]], None],
) -> None:
    import distributed

    # Once to every worker; a worker that joins later fetches it from another, once.
    data = client.scatter(shared, broadcast=True, hash=True)
    futures = [
        client.submit(run_chunk, data, factories, chunk, options, key=f"barter-sweep-{shared.token}-{number}", pure=False)
        for number, chunk in enumerate(chunks)
    ]
    try:
        for future in distributed.as_completed(futures):
            arrive(future.result())
    except BaseException:
        client.cancel(futures)
        raise
    finally:
        client.cancel(data)


__all__ = ["Processes", "SweepResults", "SweepRun", "arrivals", "sweep"]
