"""What a type checker sees of every public module, pinned with ``assert_type``: checked by mypy
--strict and pyright strict (tests/python/test_typing.py), never run. Each function is one
ordinary use of a module; an error here is an error a user would see."""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
from decimal import Decimal
from typing import Any

from typing_extensions import assert_type

import barter
from barter import BarterError, Timestamp, aio
from barter.backtest import (
    BacktestArgsConstant,
    BacktestArgsDynamic,
    BacktestConfig,
    BacktestResult,
    BacktestResults,
    Frames,
    MarketDataInMemory,
    backtest,
    run_backtests,
)
from barter.data import DataKind, MarketEvent, MarketStreamEvent, OrderBookL1, PublicTrade
from barter.engine import AuditTickEngineAudit, Command, Engine, EngineState, InstrumentFilter, Position, PositionExited, TradingState
from barter.execution import AccountStream, Balance, Trade, UnindexedAccountEvent
from barter.instrument import ExchangeAsset, ExchangeId, IndexedInstruments, InstrumentIndex, Side
from barter.integration import Metric
from barter.risk import RiskManager
from barter.statistic import Drawdown, SharpeRatio, SummaryInterval, TradingSummary
from barter.strategy import AlgoStrategy, Strategy, StrategyContext
from barter.system import AuditStream, System, SystemConfig


def backtests(config: BacktestConfig, data: MarketDataInMemory) -> None:
    args = BacktestArgsConstant.from_config(config, data, SummaryInterval.DAILY)
    run = BacktestArgsDynamic(id="a", risk_free_return=Decimal("0.05"), strategy=Strategy.BUY_EVERY_TRADE)
    result = backtest(args, run)
    assert_type(result, BacktestResult)
    summary = result.summary().trading_summary
    assert_type(summary, TradingSummary)
    assert_type(summary.table(), str)
    assert_type(summary.to_dict(), dict[str, Any])
    assert_type(TradingSummary.from_json(summary.to_json()), TradingSummary)
    assert_type(run_backtests(args, [run, run]), BacktestResults)
    assert_type(len(data), int)
    assert_type(Frames.of(result), Frames)


def market_data(instruments: IndexedInstruments, line: str) -> None:
    data = MarketDataInMemory.from_columns(
        ExchangeId.BINANCE_SPOT, kind=[0], instrument=[0], time_exchange=[1], time_received=[1], price=[1.5], amount=[2.0], side=[0]
    )
    assert_type(data, MarketDataInMemory)
    match MarketStreamEvent.from_json(line):
        case MarketStreamEvent.ITEM(MarketEvent(kind=DataKind.TRADE(trade))):
            assert isinstance(trade, PublicTrade)
        case _:
            pass


def records(book: OrderBookL1, balance: Balance, trade: Trade) -> None:
    assert_type(book.mid_price(), Decimal | None)
    assert_type(balance.used(), Decimal)
    assert_type(trade.value_quote(), Decimal)
    assert_type(dataclasses.replace(balance, free=Decimal(0)), Balance)
    key = ExchangeAsset(exchange=ExchangeId.BINANCE_SPOT, asset="usdt")
    assert_type({key: 1}[key], int)


def engine(trade: Trade, state: EngineState) -> None:
    position = Position.from_trade(trade)
    assert_type(position.update_from_trade(trade), tuple[Position | None, PositionExited | None])
    assert_type(InstrumentFilter.instruments([InstrumentIndex(0)]), InstrumentFilter)
    assert_type(state.trading(), TradingState)
    close = Command.CLOSE_POSITIONS(InstrumentFilter.NONE())
    assert_type(close, Command.CLOSE_POSITIONS)
    command: Command = close
    assert_type(command.to_json(), str)


def statistics(drawdown: Drawdown) -> None:
    sharpe = SharpeRatio.calculate(Decimal(0), Decimal("0.01"), Decimal("0.02"), SummaryInterval.DAILY)
    assert_type(sharpe.scale(SummaryInterval.ANNUAL365), SharpeRatio)
    assert_type(drawdown.duration(), dt.timedelta)
    assert_type(drawdown.duration_ns(), int)


def streams(audit: AuditStream, account: AccountStream) -> None:
    assert_type(audit.next(1.0), AuditTickEngineAudit | None)
    for tick in audit:
        assert_type(tick, AuditTickEngineAudit)
    for event in account:
        assert_type(event, UnindexedAccountEvent)


def live(config: SystemConfig, metric: Metric, system: System) -> None:
    assert_type(config.indexed_instruments(), IndexedInstruments)
    engine, audit = system.shutdown()  # barter's (Engine, Audit)
    print(engine, audit)
    assert_type(system.shutdown().engine, Engine)
    assert_type(metric.to_json(), str)


class Momentum(AlgoStrategy):
    """A strategy as a user writes one: only the callbacks it needs, typed as the base declares."""

    def on_trade(self, ctx: StrategyContext, instrument: InstrumentIndex, price: float, amount: float, side: Side) -> None:
        if side is Side.BUY and ctx.position(instrument) is None:
            ctx.market_buy(instrument, Decimal("0.01"))


class Cap(RiskManager):
    def check_open(self, ctx: StrategyContext, request: object) -> str | None:
        return None


def scalars(now: dt.datetime) -> None:
    stamp = Timestamp.from_datetime(now, 5)
    assert_type(stamp.nanosecond, int)
    try:
        Timestamp.from_rfc3339("not a time")
    except BarterError.InvalidValue as error:
        assert_type(error.reason, str)


async def in_asyncio(args: BacktestArgsConstant, run: BacktestArgsDynamic) -> None:
    assert_type(await aio.backtest(args, run), BacktestResult)


def sweeps(args: BacktestArgsConstant) -> None:
    runs = barter.sweep(args, {"notional": [Decimal(500), Decimal(1000)]}, strategy=Momentum, risk_free_return=Decimal(0))
    assert_type(runs, barter.SweepResults)
    asyncio.run(in_asyncio(args, BacktestArgsDynamic(id="b", risk_free_return=Decimal(0))))
