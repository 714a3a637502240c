"""barter under asyncio (issue 15): awaited backtests and system calls give what the blocking ones
give, a heartbeat task keeps beating while they run (the event loop is never blocked), a
cancelled await stops the Rust work, and ``async for`` over a system's audit ends when the
system shuts down.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable
from decimal import Decimal
from typing import TypeVar

import pytest

from barter import BarterError, aio
from barter.backtest import BacktestArgsConstant, BacktestArgsDynamic, backtest, run_backtests
from barter.engine import OneOrManyOrderRequestOpen
from barter.execution import AccountEventKind
from barter.instrument import InstrumentIndex, Side
from barter.strategy import AlgoStrategy, Strategy, StrategyContext

from test_system import BUY, MARKET_TRADE, _account_kind, _paper_builder

T = TypeVar("T")


def _trading(count: int) -> list[BacktestArgsDynamic]:
    return [BacktestArgsDynamic(id=str(index), risk_free_return=Decimal(0), strategy=Strategy.BUY_EVERY_TRADE) for index in range(count)]


def with_heartbeat(work: Callable[[], Awaitable[T]]) -> tuple[T, float, float]:
    """Run ``work()`` under ``asyncio.run`` beside a task beating every 5 ms: (its result, its
    duration, the longest gap between beats while it ran)."""

    async def main() -> tuple[T, float, float]:
        beats: list[float] = []

        async def heartbeat() -> None:
            while True:
                beats.append(time.monotonic())
                await asyncio.sleep(0.005)

        beating = asyncio.create_task(heartbeat())
        await asyncio.sleep(0.02)
        started = time.monotonic()
        result = await work()
        ended = time.monotonic()
        beating.cancel()
        during = [beat for beat in beats if beat >= started] + [ended]
        gaps = [later - earlier for earlier, later in zip([started, *during], during)]
        return result, ended - started, max(gaps)

    return asyncio.run(main())


class EveryNth(AlgoStrategy):
    """Buys 0.001 of an instrument on every ``n``th trade (Python code on the batch's thread)."""

    def __init__(self, n: int, fail_at: int | None = None) -> None:
        self.n, self.fail_at, self.seen = n, fail_at, 0

    def on_trade(self, ctx: StrategyContext, instrument: int, price: float, amount: float, side: object) -> None:
        self.seen += 1
        if self.seen == self.fail_at:
            raise ArithmeticError(f"failed at trade {self.seen}")
        if self.seen % self.n == 0:
            ctx.market_buy(instrument, Decimal("0.001"))


def test_awaited_backtests_are_the_blocking_ones_and_the_loop_keeps_beating(args_daily: BacktestArgsConstant) -> None:
    calls: list[tuple[int, int]] = []
    results, seconds, gap = with_heartbeat(lambda: aio.run_backtests(args_daily, _trading(16), progress=lambda done, total: calls.append((done, total))))
    blocking = run_backtests(args_daily, _trading(16))
    assert [result.summary() for result in results.results()] == [result.summary() for result in blocking.results()]
    assert calls[-1] == (16, 16) and [done for done, _ in calls] == sorted(done for done, _ in calls)
    # A blocked loop would show one gap as long as the whole batch.
    assert seconds > 0.3 and gap < 0.15, (seconds, gap)

    python = BacktestArgsDynamic(id="nth", risk_free_return=Decimal(0), strategy=EveryNth(500))
    result, seconds, gap = with_heartbeat(lambda: aio.backtest(args_daily, python))
    alone = backtest(args_daily, BacktestArgsDynamic(id="nth", risk_free_return=Decimal(0), strategy=EveryNth(500)))
    assert result.summary() == alone.summary() and result.fills() == alone.fills() and len(alone.fills()) > 10
    assert gap < 0.15, (seconds, gap)


def test_an_awaited_backtest_raises_what_its_strategy_raised(args_daily: BacktestArgsConstant) -> None:
    failing = BacktestArgsDynamic(id="nth", risk_free_return=Decimal(0), strategy=EveryNth(500, fail_at=1000))
    with pytest.raises(BarterError.Callback) as raised:
        asyncio.run(aio.backtest(args_daily, failing))
    assert isinstance(raised.value.__cause__, ArithmeticError) and "failed at trade 1000" in str(raised.value.__cause__)


def test_cancelling_the_await_stops_the_batch_and_its_thread(args_daily: BacktestArgsConstant) -> None:
    async def main() -> float:
        task = asyncio.create_task(aio.run_backtests(args_daily, _trading(200)))  # ~10 s of work
        await asyncio.sleep(0.5)
        cancelled = time.monotonic()
        task.cancel()
        with pytest.raises(asyncio.CancelledError):
            await task
        return time.monotonic() - cancelled

    assert asyncio.run(main()) < 0.5
    assert not [thread for thread in threading.enumerate() if thread.name == "barter-backtests"]
    assert len(run_backtests(args_daily, _trading(2)).results()) == 2  # nothing left behind


def test_async_for_over_a_systems_audit_ends_when_it_shuts_down(config) -> None:
    async def main() -> tuple[list[object], object]:
        system = await aio.init(_paper_builder(config).build())
        audit = system.take_audit()
        assert audit is not None
        ticks: list[object] = []
        filled = asyncio.Event()

        async def read() -> None:
            async for tick in aio.events(audit.updates):
                ticks.append(tick)
                if _account_kind(tick) is AccountEventKind.TRADE:
                    filled.set()

        reader = asyncio.create_task(read())
        await system.send(MARKET_TRADE)
        await system.send_open_requests(OneOrManyOrderRequestOpen.ONE(BUY))
        await asyncio.wait_for(filled.wait(), 10)
        shutdown = await system.shutdown()
        await asyncio.wait_for(reader, 10)  # the loop ended with the system
        return [audit.snapshot, *ticks], shutdown

    (ticks, shutdown), _, gap = with_heartbeat(main)
    # Every tick after the snapshot, none lost.
    assert [tick.context.sequence for tick in ticks] == list(range(len(ticks)))  # type: ignore[attr-defined]
    engine, _ = shutdown  # type: ignore[misc]
    position = engine.state().instrument(InstrumentIndex(0)).position.current  # the fill the audit showed
    assert (position.side, position.quantity_abs, position.price_entry_average) == (Side.BUY, Decimal("0.01"), Decimal("87000"))
    assert gap < 0.15


def test_events_refuses_what_is_not_a_stream() -> None:
    with pytest.raises(TypeError, match="stream: expected AuditStream or AccountStream, got list"):
        aio.events([])  # type: ignore[call-overload]
