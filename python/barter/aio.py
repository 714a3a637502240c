"""barter for asyncio: the blocking calls of :mod:`barter.backtest` and :mod:`barter.system` as
coroutines, and ``async for`` over a system's audit and account streams. None of them blocks the
event loop, and cancelling the task that awaits one stops its work::

    import asyncio
    from barter import aio

    async def main():
        results = await aio.run_backtests(args, variants)      # the loop keeps running meanwhile
        system = await aio.init(SystemBuilder(system_args).audit_mode(AuditMode.ENABLED).build())
        audit = system.take_audit()
        await system.trading_state(TradingState.ENABLED)
        async for tick in aio.events(audit.updates):           # ends when the system stops
            ...

    asyncio.run(main())

Backtests run on a thread, as :func:`~barter.backtest.run_backtests` runs them; the coroutine
waits for it without holding the loop, and a cancelled one cancels the batch (each running
backtest stops at its next market event) and returns once its thread has ended. Streams are
read without waiting in Rust: an event already there is yielded at once, an idle stream is
looked at again after at most 20 ms, and no event is ever taken and lost by a cancelled read.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterable
from typing import Protocol, TypeVar, overload

from barter._ffi import barter_ffi as _ffi
from barter.backtest import Progress, _Batch, _reporter
from barter.engine import AuditTickEngineAudit, InstrumentFilter, TradingState
from barter.execution import UnindexedAccountEvent

#: How often a wait for backtests reports progress.
_POLL = 0.1
#: The longest an idle stream goes unread.
_IDLE = 0.02

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)


class _Stream(Protocol[T_co]):
    """What barter's streams have in common: a wait for the next item, and an end."""

    def poll(self, timeout: float | None) -> T_co | None: ...
    def ended(self) -> bool: ...


async def backtest(
    args_constant: _ffi.BacktestArgsConstant,
    args_dynamic: _ffi.BacktestArgsDynamic,
    mode: _ffi.BacktestMode | None = None,
    recording: _ffi.Recording | None = None,
) -> _ffi.BacktestResult:
    """:func:`barter.backtest.backtest`, awaited."""
    batch = _Batch(args_constant, [args_dynamic], mode, recording)
    await _wait(batch, None)
    return batch.result()


async def run_backtests(
    args_constant: _ffi.BacktestArgsConstant,
    args_dynamic: Iterable[_ffi.BacktestArgsDynamic],
    mode: _ffi.BacktestMode | None = None,
    recording: _ffi.Recording | None = None,
    progress: Progress | bool | None = None,
) -> _ffi.BacktestResults:
    """:func:`barter.backtest.run_backtests`, awaited: ``progress(done, total)`` is called from
    the event loop at most every 100 ms."""
    batch = _Batch(args_constant, args_dynamic, mode, recording)
    await _wait(batch, progress)
    return batch.results()


async def _wait(batch: _Batch, progress: Progress | bool | None) -> None:
    loop = asyncio.get_running_loop()
    ended: asyncio.Future[None] = loop.create_future()

    def end() -> None:  # on the batch's thread
        with contextlib.suppress(RuntimeError):  # the loop was closed while the batch ran
            loop.call_soon_threadsafe(lambda: ended.done() or ended.set_result(None))

    runner = batch.start(end)
    native = batch.native
    with _reporter(progress, native.total()) as report:
        try:
            while not ended.done():
                await asyncio.wait([ended], timeout=_POLL)
                report(native.done())
        except BaseException:  # cancelled: stop the batch, and let its thread end first
            native.cancel()
            await asyncio.wait([ended])
            raise
        finally:
            if ended.done():
                runner.join()  # it has called `end`: it is returning


class AsyncSystem:
    """A running :class:`~barter.system.System` for asyncio code: barter's commands, and its
    shutdowns awaited on a thread (they wait for the engine to stop). ``system`` is the System
    itself, for everything that does not wait (``is_running``, ``failure``, ``take_audit``)."""

    def __init__(self, system: _ffi.System) -> None:
        self.system = system

    def take_audit(self) -> _ffi.SnapUpdates | None:
        """:meth:`System.take_audit`: the audit's snapshot and its ``updates`` stream (read it
        with :func:`events`)."""
        return self.system.take_audit()

    async def send(self, event: _ffi.EngineEvent) -> None:
        """:meth:`System.send`: an event for the engine (it never waits: barter's feed is unbounded)."""
        self.system.send(event)

    async def trading_state(self, trading_state: TradingState) -> None:
        """:meth:`System.trading_state`."""
        self.system.trading_state(trading_state)

    async def close_positions(self, filter: InstrumentFilter) -> None:  # noqa: A002 (barter's name)
        """:meth:`System.close_positions`."""
        self.system.close_positions(filter)

    async def cancel_orders(self, filter: InstrumentFilter) -> None:  # noqa: A002 (barter's name)
        """:meth:`System.cancel_orders`."""
        self.system.cancel_orders(filter)

    async def send_open_requests(self, requests: _ffi.OneOrManyOrderRequestOpen) -> None:
        """:meth:`System.send_open_requests`."""
        self.system.send_open_requests(requests)

    async def send_cancel_requests(self, requests: _ffi.OneOrManyOrderRequestCancel) -> None:
        """:meth:`System.send_cancel_requests`."""
        self.system.send_cancel_requests(requests)

    async def shutdown(self) -> _ffi.SystemShutdown:
        """:meth:`System.shutdown`, awaited. Cancelling the await does not undo the shutdown:
        the engine stops either way."""
        return await asyncio.to_thread(self.system.shutdown)

    async def shutdown_after_backtest(self) -> _ffi.SystemShutdown:
        """:meth:`System.shutdown_after_backtest`, awaited: when the market data has been replayed."""
        return await asyncio.to_thread(self.system.shutdown_after_backtest)

    async def abort(self) -> _ffi.SystemShutdown:
        """:meth:`System.abort`, awaited."""
        return await asyncio.to_thread(self.system.abort)


async def init(build: _ffi.SystemBuild) -> AsyncSystem:
    """:meth:`SystemBuild.init` (it starts the system's tasks), awaited."""
    return AsyncSystem(await asyncio.to_thread(build.init))


@overload
def events(stream: _ffi.AuditStream) -> AsyncIterator[AuditTickEngineAudit]: ...
@overload
def events(stream: _ffi.AccountStream) -> AsyncIterator[UnindexedAccountEvent]: ...
def events(stream: _ffi.AuditStream | _ffi.AccountStream) -> AsyncIterator[AuditTickEngineAudit] | AsyncIterator[UnindexedAccountEvent]:
    """``async for`` over an audit or account stream, ending when the stream ends (a system's
    audit: when the system shuts down)."""
    if not isinstance(stream, (_ffi.AuditStream, _ffi.AccountStream)):
        raise TypeError(f"stream: expected AuditStream or AccountStream, got {type(stream).__name__}")
    return _events(stream)


async def _events(stream: _Stream[T]) -> AsyncIterator[T]:
    idle = 0.0
    while True:
        item = stream.poll(0.0)
        if item is not None:
            idle = 0.0
            yield item
        elif stream.ended():
            return
        else:
            idle = min(_IDLE, idle * 2 or 0.001)
            await asyncio.sleep(idle)


__all__ = ["AsyncSystem", "backtest", "events", "init", "run_backtests"]
