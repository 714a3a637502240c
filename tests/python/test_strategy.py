"""Strategies and risk managers written in Python, on barter's engine.

- The SMA crossover of ``examples/sma_crossover.py`` gives exactly the summary and fills of its
  Rust twin (tests/native/sma.rs, run with no FFI by tests/strategy.rs).
- A Python port of ``Strategy.BUY_EVERY_TRADE`` sends the built-in's orders: same fills, same
  summary.
- A Python risk manager refuses orders; the refusals are in the results and never filled.
- Every hook is called when barter calls it; the view reads what the engine state's JSON holds.
- A raising strategy or risk manager, and a context used after its call, raise typed errors
  carrying the Python exception; other backtests and the system's state survive.
- 8 threads, and ``run_backtests``, of Python-strategy backtests agree.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from decimal import Decimal

import pytest

from barter import BarterError
from barter.backtest import BacktestArgsDynamic, BacktestsFailed, backtest, run_backtests
from barter.data import Candle, DataKind, MarketEvent, MarketStreamEvent, OrderBookL1, PublicTrade
from barter.engine import EngineClock, EngineEvent, InstrumentFilter, LiveClock, OneOrManyOrderRequestOpen, TradingState
from barter.execution import AccountEventKind
from barter.instrument import ExchangeId, InstrumentIndex, Side
from barter.risk import RiskChecked, RiskManager
from barter.strategy import AlgoStrategy, ClosePositionsStrategy, OnDisconnectStrategy, OnTradingDisabled, Strategy, StrategyContext
from barter.system import AuditMode, SystemArgs, SystemBuilder

from conftest import REPO, _written_by_rust
from test_system import BUY, TIME, _executions

sys.path.insert(0, str(REPO / "examples"))
from sma_crossover import SmaCrossover  # noqa: E402 (the example, as users run it)

THREADS = 8
PUBLIC_TRADES = 11_032  # of the 50,000 events of barter's example data


def _run(args, strategy=None, risk=None, id_: str = "python"):
    return backtest(args, BacktestArgsDynamic(id=id_, risk_free_return=Decimal(0), strategy=strategy, risk=risk))


def _json(result) -> tuple[dict, list]:
    return json.loads(result.summary().trading_summary.to_json()), [json.loads(fill.to_json()) for fill in result.fills()]


@pytest.fixture(scope="module")
def sma_reference() -> dict:
    return _written_by_rust("sma_crossover.json", "strategy")


def test_sma_crossover_in_python_equals_rust(args_daily, sma_reference):
    summary, fills = _json(_run(args_daily, SmaCrossover()))
    assert len(fills) >= 20
    assert fills == sma_reference["fills"]
    assert summary == sma_reference["summary"]


class BuyEveryTrade(AlgoStrategy):
    """``Strategy.BUY_EVERY_TRADE`` in Python: a market buy of every public trade, at its price
    and amount (barter's ``Decimal::from_f64`` of them)."""

    def on_trade(self, ctx, instrument, price, amount, side):
        ctx.market_buy(instrument, Decimal(repr(amount)), price=Decimal(repr(price)))


def test_python_buy_every_trade_sends_the_built_ins_orders(args_daily):
    built_in, python = _run(args_daily, Strategy.BUY_EVERY_TRADE), _run(args_daily, BuyEveryTrade())
    assert len(python.fills()) >= 20
    assert python.fills() == built_in.fills()
    assert python.summary().trading_summary.to_json() == built_in.summary().trading_summary.to_json()


class MaxNotional(RiskManager):
    def __init__(self, limit: Decimal) -> None:
        self.limit = limit
        self.checked = 0

    def check_open(self, ctx, request):
        self.checked += 1
        notional = request.state.price * request.state.quantity
        return f"notional {notional} above {self.limit}" if notional > self.limit else None


def test_a_python_risk_manager_refuses_and_the_refusals_are_in_the_results(args_daily):
    risk = MaxNotional(Decimal(500))
    result = _run(args_daily, BuyEveryTrade(), risk)
    refused, fills = result.opens_refused(), result.fills()
    # Checked once per order (a buy per public trade); the mock fills what the balance allows.
    assert refused and fills and risk.checked == PUBLIC_TRADES
    assert all(item.item.state.price * item.item.state.quantity > 500 and item.reason.startswith("notional ") for item in refused)
    assert all(fill.price * fill.quantity <= 500 for fill in fills)
    assert not result.cancels_refused()
    # The default risk manager refuses nothing.
    assert not _run(args_daily, BuyEveryTrade()).opens_refused()


class Recorder(AlgoStrategy, ClosePositionsStrategy, OnDisconnectStrategy, OnTradingDisabled):
    """Every hook, recording what barter called it with."""

    def __init__(self) -> None:
        self.calls: list[tuple] = []

    def on_trade(self, ctx, instrument, price, amount, side):
        self.calls.append(("trade", instrument, price, amount, side))

    def on_order_book_l1(self, ctx, instrument, l1):
        self.calls.append(("l1", instrument, l1))

    def on_market_event(self, ctx, event):
        self.calls.append(("market", event))

    def on_account_event(self, ctx, event):
        self.calls.append(("account", type(event.kind)))

    def close_positions_requests(self, ctx, filter):  # noqa: A002
        self.calls.append(("close_positions", filter))
        ctx.market_sell(InstrumentIndex(0), Decimal("0.01"))

    def on_disconnect(self, ctx, exchange):
        self.calls.append(("disconnect", exchange))

    def on_trading_disabled(self, ctx):
        self.calls.append(("trading_disabled", ctx.trading()))


def _market(kind) -> EngineEvent:
    return EngineEvent.MARKET(MarketStreamEvent.ITEM(MarketEvent(
        time_exchange=TIME, time_received=TIME, exchange=ExchangeId.BINANCE_SPOT, instrument=InstrumentIndex(0), kind=kind)))


def _until(predicate, timeout: float = 10.0) -> None:
    deadline = time.monotonic() + timeout
    while not predicate():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.01)


def _paper(config, strategy, risk=None):
    args = SystemArgs(instruments=config.system().indexed_instruments(), executions=_executions(config),
                      clock=EngineClock.LIVE(LiveClock()), strategy=strategy, risk=risk)
    return SystemBuilder(args).audit_mode(AuditMode.ENABLED).trading_state(TradingState.ENABLED).build().init()


def test_every_hook_is_called_when_barter_calls_it(config):
    strategy = Recorder()
    system = _paper(config, strategy)
    trade = PublicTrade(id="1", price=87000.0, amount=0.01, side=Side.BUY)
    system.send(_market(DataKind.TRADE(trade)))
    _until(lambda: ("trade", 0, 87000.0, 0.01, Side.BUY) in strategy.calls)
    book = OrderBookL1(last_update_time=TIME, best_bid=None, best_ask=None)
    system.send(_market(DataKind.ORDER_BOOK_L1(book)))
    _until(lambda: any(call[0] == "l1" for call in strategy.calls))
    candle = Candle(close_time=TIME, open=1.0, high=2.0, low=0.5, close=1.5, volume=10.0, trade_count=3)
    system.send(_market(DataKind.CANDLE(candle)))
    _until(lambda: any(call[0] == "market" for call in strategy.calls))
    system.close_positions(InstrumentFilter.NONE())
    _until(lambda: any(call[0] == "close_positions" for call in strategy.calls))
    # The sell it made was sent: the mock's answers are account events.
    _until(lambda: any(call[0] == "account" for call in strategy.calls))
    system.send(EngineEvent.MARKET(MarketStreamEvent.RECONNECTING(ExchangeId.BINANCE_SPOT)))
    _until(lambda: ("disconnect", ExchangeId.BINANCE_SPOT) in strategy.calls)
    system.trading_state(TradingState.DISABLED)
    _until(lambda: ("trading_disabled", TradingState.DISABLED) in strategy.calls)
    engine, _ = system.shutdown()
    assert engine.failure() is None
    l1_call = next(call for call in strategy.calls if call[0] == "l1")
    assert l1_call[1] == 0 and l1_call[2] == book
    market_call = next(call for call in strategy.calls if call[0] == "market")
    assert market_call[1].kind == DataKind.CANDLE(candle) and market_call[1].instrument == 0
    # Each event woke it once, in order (the account snapshot and the sell's answers aside).
    kinds = [call[0] for call in strategy.calls if call[0] != "account"]
    assert kinds == ["trade", "l1", "market", "close_positions", "disconnect", "trading_disabled"]


class Inspector(AlgoStrategy):
    """Reads every view at each fill, with the engine state's JSON at that moment."""

    def __init__(self) -> None:
        self.seen: list[dict] = []
        self.kept: StrategyContext | None = None

    def on_trade(self, ctx, instrument, price, amount, side):
        if not self.seen:
            ctx.market_buy(instrument, Decimal("0.001"))
        self.kept = ctx

    def on_account_event(self, ctx, event):
        if not isinstance(event.kind, AccountEventKind.TRADE):
            return
        instrument = event.kind[0].instrument
        self.seen.append({
            "json": json.loads(ctx.to_json()),
            "instrument": instrument,
            "price": ctx.price(instrument),
            "l1": ctx.order_book_l1(instrument),
            "last_trade": ctx.last_trade(instrument),
            "position": ctx.position(instrument),
            "orders": ctx.orders(instrument),
            "trading": ctx.trading(),
            "time": ctx.time(),
            "count": ctx.instrument_count(),
            "usdt": ctx.balance(ctx.asset_index(ExchangeId.BINANCE_SPOT, "usdt")),
            "state": ctx.instrument(instrument),
        })


def test_the_view_reads_the_engine_state_in_place(args_daily):
    strategy = Inspector()
    _run(args_daily, strategy)
    assert strategy.seen
    for seen in strategy.seen:
        state, index = seen["json"], seen["instrument"]
        instruments = list(state["instruments"].values())
        entry = instruments[index]
        assert json.loads(seen["state"].data.to_json()) == entry["data"]
        assert json.loads(seen["l1"].to_json()) == entry["data"]["market"]["l1"]
        assert (seen["last_trade"] is None) == (entry["data"]["last_trade"] is None)
        assert (seen["position"] is None) == (entry["position"]["current"] is None)
        if seen["position"] is not None:
            assert json.loads(seen["position"].to_json()) == entry["position"]["current"]
        assert len(seen["orders"]) == len(entry["orders"])
        assert seen["trading"] == TradingState.ENABLED and state["trading"] == "Enabled"
        assert seen["count"] == len(instruments)
        usdt = next(asset for key, asset in state["assets"] if key["asset"] == "usdt")
        assert json.loads(seen["usdt"].to_json()) == usdt["balance"]["value"]
        # barter's InstrumentDataState::price: the L1's volume-weighted mid, else the last traded price.
        last_traded = entry["data"]["market"]["last_traded_price"]
        expected = seen["l1"].volume_weighed_mid_price()
        if expected is None and last_traded is not None:
            expected = Decimal(last_traded["value"])
        assert seen["price"] is not None and seen["price"] == expected
    # A context kept past its call reads nothing.
    with pytest.raises(BarterError.InvalidInput, match="after the callback"):
        strategy.kept.price(InstrumentIndex(0))
    with pytest.raises(BarterError.InvalidInput, match="after the callback"):
        strategy.kept.market_buy(InstrumentIndex(0), Decimal(1))


class Raises(AlgoStrategy):
    def __init__(self, after: int) -> None:
        self.after = after

    def on_trade(self, ctx, instrument, price, amount, side):
        self.after -= 1
        if self.after < 0:
            raise ZeroDivisionError("strategy bug")


class RaisingRisk(RiskManager):
    def check_open(self, ctx, request):
        raise KeyError("risk bug")


def test_a_raising_strategy_stops_its_backtest_with_the_exception_as_cause(args_daily):
    with pytest.raises(BarterError.Callback) as raised:
        _run(args_daily, Raises(after=10))
    assert isinstance(raised.value.__cause__, ZeroDivisionError)
    assert "ZeroDivisionError: strategy bug" in raised.value.reason and "in on_trade" in raised.value.reason

    with pytest.raises(BarterError.Callback) as raised:
        _run(args_daily, BuyEveryTrade(), RaisingRisk())
    assert isinstance(raised.value.__cause__, KeyError)


def test_misuse_inside_a_callback_is_a_typed_error(args_daily):
    class BadIndex(AlgoStrategy):
        def on_trade(self, ctx, instrument, price, amount, side):
            ctx.market_buy(InstrumentIndex(99), Decimal(1))

    with pytest.raises(BarterError.Callback) as raised:
        _run(args_daily, BadIndex())
    assert isinstance(raised.value.__cause__, BarterError.Index) and "instrument" in raised.value.__cause__.reason

    class RiskOrders(RiskManager):
        def check_open(self, ctx, request):
            ctx.market_buy(request.key.instrument, Decimal(1))

    with pytest.raises(BarterError.Callback) as raised:
        _run(args_daily, BuyEveryTrade(), RiskOrders())
    assert isinstance(raised.value.__cause__, BarterError.InvalidInput)

    class WrongReturn(RiskManager):
        def check(self, ctx, cancels, opens):
            return opens

    with pytest.raises(BarterError.Callback) as raised:
        _run(args_daily, BuyEveryTrade(), WrongReturn())
    assert isinstance(raised.value.__cause__, TypeError)

    with pytest.raises(TypeError, match="strategy"):
        _run(args_daily, object())
    with pytest.raises(BarterError.Index, match="wakes.instruments"):
        _run(args_daily, type("Few", (SmaCrossover,), {"instruments": [7]})())


def test_one_raising_backtest_of_a_batch_leaves_the_others(args_daily, sma_reference):
    # Ids need not be unique: failures are reported by position in the batch.
    batch = [BacktestArgsDynamic(id="x", risk_free_return=Decimal(0), strategy=SmaCrossover()),
             BacktestArgsDynamic(id="x", risk_free_return=Decimal(0), strategy=Raises(after=5)),
             BacktestArgsDynamic(id="c", risk_free_return=Decimal(0), strategy=SmaCrossover())]
    with pytest.raises(BacktestsFailed) as raised:
        run_backtests(args_daily, batch)
    assert list(raised.value.failures) == [1] and "1 (" in raised.value.reason
    assert isinstance(raised.value.failures[1], BarterError.Callback)
    assert isinstance(raised.value.failures[1].__cause__, ZeroDivisionError)
    results = raised.value.results
    assert [(failure.index, failure.id) for failure in results.failed()] == [(1, "x")]
    assert [result.summary().id for result in results.succeeded()] == ["x", "c"]
    assert all(_json(result)[1] == sma_reference["fills"] for result in results.succeeded())
    assert _json(results.result(0))[1] == sma_reference["fills"]
    with pytest.raises(BarterError.Callback):
        results.result(1)
    with pytest.raises(BarterError.Callback):
        results.results()


def test_a_keyboard_interrupt_stops_the_whole_batch(args_daily):
    class Interrupted(AlgoStrategy):
        def on_trade(self, ctx, instrument, price, amount, side):
            raise KeyboardInterrupt

    class Counts(AlgoStrategy):
        calls = 0

        def on_trade(self, ctx, instrument, price, amount, side):
            Counts.calls += 1

    batch = [BacktestArgsDynamic(id="interrupted", risk_free_return=Decimal(0), strategy=Interrupted())]
    batch += [BacktestArgsDynamic(id=str(i), risk_free_return=Decimal(0), strategy=Counts()) for i in range(3)]
    with pytest.raises(KeyboardInterrupt):
        run_backtests(args_daily, batch)
    assert Counts.calls == 0  # the others stopped at their first call


def test_a_risk_manager_must_judge_every_request(args_daily):
    class Forgets(RiskManager):
        def check(self, ctx, cancels, opens):
            return RiskChecked(approved_cancels=[], approved_opens=[], refused_cancels=[], refused_opens=[])

    with pytest.raises(BarterError.Callback, match="approve or refuse each one"):
        _run(args_daily, BuyEveryTrade(), Forgets())


def test_events_while_trading_was_disabled_do_not_wake_the_strategy(config):
    strategy = Recorder()
    args = SystemArgs(instruments=config.system().indexed_instruments(), executions=_executions(config),
                      clock=EngineClock.LIVE(LiveClock()), strategy=strategy)
    system = SystemBuilder(args).build().init()  # barter's default: trading disabled
    system.send(_market(DataKind.TRADE(PublicTrade(id="1", price=1.0, amount=1.0, side=Side.SELL))))
    system.trading_state(TradingState.ENABLED)
    system.send(_market(DataKind.TRADE(PublicTrade(id="2", price=2.0, amount=1.0, side=Side.BUY))))
    _until(lambda: any(call[0] == "trade" for call in strategy.calls))
    system.trading_state(TradingState.DISABLED)
    system.send(_market(DataKind.TRADE(PublicTrade(id="3", price=3.0, amount=1.0, side=Side.SELL))))
    system.trading_state(TradingState.ENABLED)
    system.send(_market(DataKind.TRADE(PublicTrade(id="4", price=4.0, amount=1.0, side=Side.BUY))))
    _until(lambda: sum(call[0] == "trade" for call in strategy.calls) == 2)
    system.shutdown()
    assert [call[2] for call in strategy.calls if call[0] == "trade"] == [2.0, 4.0]


def test_a_system_whose_strategy_raises_stops_trading_and_keeps_its_state(config):
    system = _paper(config, Raises(after=0))
    system.send(_market(DataKind.TRADE(PublicTrade(id="1", price=87000.0, amount=0.01, side=Side.BUY))))
    _until(lambda: system.failure() is not None)
    assert "ZeroDivisionError: strategy bug" in system.failure()
    # It keeps running, trading disabled: commands still work, the state stays readable.
    assert system.is_running()
    system.send_open_requests(OneOrManyOrderRequestOpen.ONE(BUY))
    engine, _ = system.shutdown()
    assert engine.failure() == system.failure()
    state = engine.state()
    assert state.trading() == TradingState.DISABLED
    assert state.instrument(InstrumentIndex(0)).data.last_trade.price == 87000.0


def test_python_strategies_on_threads_and_in_batches_agree(args_daily, sma_reference):
    results = []
    threads = [threading.Thread(target=lambda: results.append(_json(_run(args_daily, SmaCrossover())))) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(results) == THREADS
    assert all(result == (sma_reference["summary"], sma_reference["fills"]) for result in results)

    batch = run_backtests(args_daily, [BacktestArgsDynamic(id=str(i), risk_free_return=Decimal(0), strategy=SmaCrossover()) for i in range(THREADS)])
    assert all(_json(result) == (sma_reference["summary"], sma_reference["fills"]) for result in batch.results())


def test_a_keyboard_interrupt_in_a_strategy_is_raised_as_itself(args_daily):
    class Interrupted(AlgoStrategy):
        def on_trade(self, ctx, instrument, price, amount, side):
            raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        _run(args_daily, Interrupted())


def test_risk_checked_is_barters_verdict(args_daily):
    class ApproveAll(RiskManager):
        def check(self, ctx, cancels, opens):
            return RiskChecked(approved_cancels=cancels, approved_opens=opens, refused_cancels=[], refused_opens=[])

    assert _run(args_daily, BuyEveryTrade(), ApproveAll()).fills() == _run(args_daily, Strategy.BUY_EVERY_TRADE).fills()


def test_a_strategy_that_never_lets_event_time_move_is_stopped(config, market_data):
    """At latency 0 the mock answers at the instant of the order: a strategy ordering on every
    answer would keep event time at one instant forever. The run stops with a typed error."""
    from barter.backtest import BacktestArgsConstant
    from barter.statistic import SummaryInterval
    from test_event_time import _config_with_latency

    class OrdersOnEveryAnswer(AlgoStrategy):
        instrument = None

        def on_trade(self, ctx, instrument, price, amount, side):
            if self.instrument is None:
                self.instrument = instrument
                ctx.market_buy(instrument, Decimal("0.0001"))

        def on_account_event(self, ctx, event):
            if self.instrument is not None:
                ctx.market_buy(self.instrument, Decimal("0.0001"))

    args = BacktestArgsConstant.from_config(_config_with_latency(config, 0), market_data, SummaryInterval.DAILY)
    with pytest.raises(BarterError.InvalidInput, match="account events at one instant"):
        _run(args, OrdersOnEveryAnswer())


def test_a_system_cannot_be_stopped_from_its_own_strategy(config):
    class StopsItsSystem(AlgoStrategy):
        system = None

        def on_trade(self, ctx, instrument, price, amount, side):
            self.system.shutdown()

    strategy = StopsItsSystem()
    system = strategy.system = _paper(config, strategy)
    system.send(_market(DataKind.TRADE(PublicTrade(id="1", price=87000.0, amount=0.01, side=Side.BUY))))
    _until(lambda: system.failure() is not None)
    assert "cannot be stopped from inside its engine" in system.failure()
    assert system.is_running()  # nothing was lost: it stops from here
    engine, _ = system.shutdown()
    assert engine.state().trading() == TradingState.DISABLED
    strategy.system = None
