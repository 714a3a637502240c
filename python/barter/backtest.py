"""Bindings for ``barter::backtest``: market data, and one or many backtests, each run whole in Rust.

``backtest`` and ``run_backtests`` release the GIL while barter works, so Python threads run
backtests in parallel. By default they run in event time (``BacktestMode.EVENT_TIME``): the
market data's time is the only clock, so the same inputs give the same summary on every run;
``mode=BacktestMode.UPSTREAM`` runs barter's own ``backtest()``, which races its mock exchange's
real-time latency against the data.

A backtest runs a built-in :class:`~barter.strategy.Strategy` or a Python
:class:`~barter.strategy.AlgoStrategy`, checked by barter's ``DefaultRiskManager`` or a Python
:class:`~barter.risk.RiskManager`. Python code is called only for the events it asked for,
taking the GIL for each call; an exception it raises stops its backtest and is raised by
``backtest`` as the ``__cause__`` of a ``BarterError.Callback`` (Ctrl-C, as itself).
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import threading
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import Any

from barter._check import strict
from barter._ffi import barter_ffi as _ffi
from barter._ffi.barter_ffi import (
    BacktestArgsConstant,
    BacktestFailure,
    BacktestMode,
    BacktestResult,
    BacktestResults,
    BacktestSummary,
    BarterError,
    MarketDataInMemory,
    MultiBacktestSummary,
    Recording,
    ResultFrames,
    TimeOrder,
)
from barter._frames import Frame, Frames, summary_frame
from barter._foreign import Run
from barter.risk import RiskManager
from barter.strategy import AlgoStrategy, Strategy
from barter.instrument import IndexedInstruments
from barter.system import BacktestConfig

def from_arrow(data: Any, instruments: IndexedInstruments, order: TimeOrder = TimeOrder.SORTED) -> MarketDataInMemory:
    """Market data from any table that speaks Arrow, read by column name in Rust, in one call.

    ``data`` is a pyarrow ``Table``, ``RecordBatch`` or ``RecordBatchReader``, a pandas or
    polars ``DataFrame``, or anything with the Arrow PyCapsule stream interface
    (``__arrow_c_stream__``). One row per event; columns, by name:

    - ``time_exchange``: a timestamp of any unit with a time zone (pandas
      ``datetime64[ns, UTC]``), int64 nanoseconds since the Unix epoch, or RFC 3339 text; times
      outside 1980-2200 are refused as a wrong unit;
    - ``time_received`` (optional): the same, default ``time_exchange``;
    - ``instrument``: the instrument's name, barter's internal name or the exchange's, looked up
      in ``instruments`` (never an index);
    - ``exchange`` (optional; needed where two exchanges list one name): barter's
      ``ExchangeId`` as text (``"binance_spot"``);
    - ``kind``: ``"trade"`` or ``"order_book_l1"``; optional where only one kind's columns exist;
    - trades: ``price``, ``amount`` (numbers), ``side`` (``"buy"`` or ``"sell"``), ``trade_id``
      (optional);
    - L1: ``bid_price``, ``bid_amount``, ``ask_price``, ``ask_amount``; Arrow decimals are kept
      exactly, floats become barter's ``Decimal`` as barter converts floats; a null level is none.

    A bad cell raises ``BarterError.Column`` naming its ``column`` and ``row`` (0-based). Rows
    going back in time are refused unless ``order`` is ``TimeOrder.SORT`` (sorted, stably) or
    ``TimeOrder.AS_GIVEN`` (kept, as barter replays its own unsorted example files).
    """
    import pyarrow as pa  # only where frames are used: the package imports without it

    reader = _record_batches(data, pa)
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, reader.schema) as writer:
        for batch in reader:
            writer.write_batch(batch)
    return MarketDataInMemory.from_arrow_ipc(sink.getvalue().to_pybytes(), instruments, order)


def _record_batches(data: Any, pa: Any) -> Any:
    """``data`` as a pyarrow ``RecordBatchReader``, without copying its columns."""
    if isinstance(data, pa.RecordBatchReader):
        return data
    if isinstance(data, pa.RecordBatch):
        data = pa.Table.from_batches([data])
    if isinstance(data, pa.Table):
        return data.to_reader()
    if type(data).__module__.startswith("pandas"):  # not every pandas speaks the PyCapsule interface
        return pa.Table.from_pandas(data, preserve_index=False).to_reader()
    if hasattr(data, "__arrow_c_stream__"):  # polars, and any Arrow-speaking library
        return pa.RecordBatchReader.from_stream(data)
    raise TypeError(f"from_arrow: expected an Arrow table, a pandas or polars DataFrame, got {type(data).__name__}")


class BacktestArgsDynamic(_ffi.BacktestArgsDynamic):
    """Inputs that vary between the backtests of a batch: a unique ``id``, the
    ``risk_free_return`` of the summary metrics, the ``strategy`` (a built-in
    :class:`~barter.strategy.Strategy` or a Python :class:`~barter.strategy.AlgoStrategy`;
    ``None``: barter's ``DefaultStrategy``) and the ``risk`` manager (a Python
    :class:`~barter.risk.RiskManager`; ``None``: barter's ``DefaultRiskManager``).

    A Python strategy or risk manager keeps its own state: give each backtest its own instance.
    """

    strategy: Strategy | AlgoStrategy | None  # type: ignore[assignment]
    risk: RiskManager | None  # type: ignore[assignment]

    def __init__(
        self,
        *,
        id: str,  # noqa: A002 (barter's name)
        risk_free_return: Decimal,
        strategy: Strategy | AlgoStrategy | None = None,
        risk: RiskManager | None = None,
    ) -> None:
        super().__init__(id=id, risk_free_return=risk_free_return, strategy=strategy, foreign_strategy=None, risk=risk)  # type: ignore[arg-type]

    def _lower(self, run: Run) -> _ffi.BacktestArgsDynamic:
        """These arguments as the FFI takes them, Python code behind ``run``'s adapters."""
        strategy, foreign = run.strategy(self.strategy)
        return _ffi.BacktestArgsDynamic(
            id=self.id, risk_free_return=self.risk_free_return, strategy=strategy, foreign_strategy=foreign, risk=run.risk(self.risk)
        )


class BacktestsFailed(BarterError):  # type: ignore[misc,valid-type]
    """Some backtests of a ``run_backtests`` batch stopped with an error (their Python strategy or
    risk manager raised); the others ran to their end. ``failures`` maps each failed backtest's
    index in the batch to its error (a ``BarterError.Callback`` has the Python exception as
    ``__cause__``); ``results`` is the whole batch (``results.succeeded()``, ``results.failed()``,
    ``results.result(index)``)."""

    def __init__(self, failures: dict[int, BaseException], results: BacktestResults) -> None:
        ids = ", ".join(f"{index} ({failure})" for index, failure in ((i, getattr(e, "reason", e)) for i, e in failures.items()))
        self.reason = f"{len(failures)} of the batch's backtests failed: {ids}"
        super().__init__(self.reason)
        self.failures = failures
        self.results = results


_prepare_backtests = strict(_ffi.prepare_backtests)

#: How often a blocking wait for backtests returns to Python: Ctrl-C and progress are handled
#: between waits.
_POLL = _dt.timedelta(milliseconds=100)

Progress = Callable[[int, int], object]


def backtest(
    args_constant: BacktestArgsConstant,
    args_dynamic: _ffi.BacktestArgsDynamic,
    mode: BacktestMode | None = None,
    recording: Recording | None = None,
) -> BacktestResult:
    """Run one backtest, whole, in Rust (see the module's documentation); blocks until the market
    data is exhausted, returning to Python every 100 ms so that Ctrl-C stops it (the backtest
    stops at its next market event, then ``KeyboardInterrupt`` is raised). ``mode`` (default
    ``BacktestMode.EVENT_TIME``) says how it keeps time; ``BacktestMode.UPSTREAM`` runs barter's
    own ``backtest()``. ``recording`` (default: on) says what the run records for
    :meth:`Frames.of`. :func:`barter.aio.backtest` awaits it instead."""
    batch = _Batch(args_constant, [args_dynamic], mode, recording)
    _wait(batch, None)
    return batch.result()


def run_backtests(
    args_constant: BacktestArgsConstant,
    args_dynamic: Iterable[_ffi.BacktestArgsDynamic],
    mode: BacktestMode | None = None,
    recording: Recording | None = None,
    progress: Progress | bool | None = None,
) -> BacktestResults:
    """Run many backtests, one per ``BacktestArgsDynamic``; the results come in input order.
    ``recording`` is as for :func:`backtest`: ``Recording(enabled=False)`` for sweeps that need
    only summaries. ``progress`` is called as ``progress(done, total)`` at most every 100 ms
    while the batch runs, and once at its end; ``True`` shows a progress bar (rich).

    In event time each backtest runs alone on one of as many threads as the machine has cores.
    A backtest whose Python code raises stops alone; the others run to their end, and then
    :class:`BacktestsFailed` is raised. Ctrl-C cancels the batch within a market event of each
    running backtest (those not started never start) and is raised as ``KeyboardInterrupt``.
    :func:`barter.aio.run_backtests` awaits it instead.
    """
    batch = _Batch(args_constant, args_dynamic, mode, recording)
    _wait(batch, progress)
    return batch.results()


class _Batch:
    """Backtests prepared in Rust, with the Python side of each run (its strategy's and risk
    manager's callbacks): started here, waited for by a blocking or an asyncio wait, then read."""

    def __init__(
        self, args_constant: BacktestArgsConstant, args_dynamic: Iterable[_ffi.BacktestArgsDynamic], mode: BacktestMode | None, recording: Recording | None
    ) -> None:
        if isinstance(args_dynamic, (str, bytes)):  # iterable, but never runs
            raise TypeError(f"args_dynamic: expected an iterable of BacktestArgsDynamic, got {type(args_dynamic).__name__} {args_dynamic!r}")
        self.interrupted: list[BaseException] = []  # shared: a Ctrl-C in one backtest stops the batch
        self.runs: list[Run] = []
        lowered = []
        for args in args_dynamic:
            run = Run(self.interrupted)
            lowered.append(_lower(args, run))
            self.runs.append(run)
        self.native = _prepare_backtests(args_constant, lowered, mode, recording)

    def start(self, then: Callable[[], object] | None = None) -> threading.Thread:
        """Run the batch on a Python thread, calling ``then`` when it ends. A Python thread, not
        one of Rust's: Python strategies are called from it, and a thread Python knows calls them
        at half the cost."""

        def run() -> None:
            try:
                self.native.run()
            finally:
                if then is not None:
                    then()

        runner = threading.Thread(target=run, name="barter-backtests", daemon=True)
        runner.start()
        return runner

    def results(self) -> BacktestResults:
        """Once the batch ended: its results, or what stopped it (a Ctrl-C in a callback, or
        :class:`BacktestsFailed` for runs whose Python code raised)."""
        if self.interrupted:  # a Ctrl-C (or any BaseException) raised inside a Python callback
            raise self.interrupted[0]
        results = self.native.results()
        failures: dict[int, BaseException] = {}
        for failure in results.failed():
            try:
                results.result(failure.index)
            except BarterError.Callback as error:  # type: ignore[misc]
                failures[failure.index] = self.runs[failure.index].reraise(error)
            except BarterError as error:
                failures[failure.index] = error
        if not failures:
            return results
        raise BacktestsFailed(failures, results) from next(iter(failures.values()))

    def result(self) -> BacktestResult:
        """Once a batch of one ended: its result, its Python exception raised as the cause of
        ``BarterError.Callback``."""
        if self.interrupted:
            raise self.interrupted[0]
        try:
            return self.native.results().result(0)
        except BarterError.Callback as error:  # type: ignore[misc]
            raise self.runs[0].reraise(error)  # noqa: B904 (its cause is the Python exception)


def _wait(batch: _Batch, progress: Progress | bool | None) -> None:
    """Run a batch and wait for it here, returning to Python every 100 ms (Ctrl-C, progress); on
    any exception (Ctrl-C) the batch is cancelled and its thread has stopped before it is raised."""
    runner = batch.start()
    native = batch.native
    with _reporter(progress, native.total()) as report:
        try:
            while not native.wait(_POLL):
                report(native.done())
        except BaseException:
            native.cancel()
            native.wait(None)
            raise
        finally:
            runner.join()
        report(native.done())


@contextlib.contextmanager
def _reporter(progress: Progress | bool | None, total: int) -> Iterator[Callable[[int], object]]:
    if progress is True:
        from rich.progress import Progress as Bar

        with Bar(transient=True) as bar:
            task = bar.add_task("backtests", total=total)
            yield lambda done: bar.update(task, completed=done)
    elif callable(progress):
        yield lambda done: progress(done, total)
    else:
        yield lambda done: None


def _lower(args: _ffi.BacktestArgsDynamic, run: Run) -> _ffi.BacktestArgsDynamic:
    if isinstance(args, BacktestArgsDynamic):
        return args._lower(run)
    return args  # the FFI's own record (built-in strategy, no Python code)

__all__ = [
    "BacktestArgsConstant",
    "BacktestArgsDynamic",
    "BacktestConfig",
    "BacktestFailure",
    "BacktestMode",
    "BacktestResult",
    "BacktestResults",
    "BacktestSummary",
    "BacktestsFailed",
    "Frame",
    "Frames",
    "MarketDataInMemory",
    "MultiBacktestSummary",
    "Recording",
    "ResultFrames",
    "TimeOrder",
    "backtest",
    "from_arrow",
    "run_backtests",
    "summary_frame",
]
