"""Whole barter systems from Python: built with barter's SystemBuilder, driven with commands and
events, audited, and shut down; compared with the same session run natively (tests/parity.rs)
and with barter's own backtest."""

from __future__ import annotations

import datetime as dt
import json
import time
from decimal import Decimal

import pytest

from barter import BarterError, Timestamp
from barter.backtest import BacktestArgsConstant, BacktestArgsDynamic, BacktestMode, MarketDataInMemory, backtest
from barter.data import DataKind, MarketEvent, MarketStreamEvent, PublicTrade, SubKind, init_indexed_multi_exchange_market_stream
from barter.engine import (
    AccountStreamEvent,
    ActionOutput,
    Command,
    EngineAudit,
    EngineClock,
    EngineEvent,
    EngineOutput,
    HistoricalClock,
    InstrumentFilter,
    LiveClock,
    NoneOneOrManyEngineOutput,
    NoneOneOrManyOrderRequestOpen,
    OneOrManyExchangeIndex,
    OneOrManyInstrumentIndex,
    OneOrManyOrderRequestCancel,
    OneOrManyOrderRequestOpen,
    OneOrManyUnderlying,
    TradingState,
)
from barter.execution import (
    AccountEvent,
    AccountEventKind,
    AccountSnapshot,
    AssetBalance,
    AssetFees,
    Balance,
    InactiveOrderState,
    InstrumentAccountSnapshot,
    OrderKey,
    OrderKind,
    OrderRequestCancel,
    OrderRequestOpen,
    OrderSnapshot,
    OrderState,
    RequestCancel,
    RequestOpen,
    TimeInForce,
    Trade,
)
from barter.instrument import AssetIndex, ExchangeAsset, ExchangeId, ExchangeIndex, IndexedInstruments, InstrumentIndex, QuoteAsset, Side, Underlying
from barter.statistic import SummaryInterval
from barter.strategy import Strategy
from barter.system import AuditMode, AuditStream, EngineFeedMode, ExecutionConfig, KeyedBalance, System, SystemArgs, SystemBuilder, SystemShutdown

from test_backtest import assert_matches_native
from test_event_time import _config_with_latency

WAIT = 10.0  # seconds: a generous bound for the mock exchange (latency 0) to answer

TIME = Timestamp.from_rfc3339("2025-03-25T00:00:00Z")
# The inputs of tests/parity.rs's paper session (`paper_session_inputs`).
MARKET_TRADE = EngineEvent.MARKET(MarketStreamEvent.ITEM(MarketEvent(
    time_exchange=TIME, time_received=TIME, exchange=ExchangeId.BINANCE_SPOT, instrument=InstrumentIndex(0),
    kind=DataKind.TRADE(PublicTrade(id="1", price=87000.0, amount=0.01, side=Side.BUY)))))
BUY = OrderRequestOpen(
    key=OrderKey(exchange=ExchangeIndex(0), instrument=InstrumentIndex(0), strategy="paper", cid="cid-1"),
    state=RequestOpen(side=Side.BUY, price=Decimal("87000"), quantity=Decimal("0.01"), kind=OrderKind.MARKET,
                      time_in_force=TimeInForce.IMMEDIATE_OR_CANCEL()))


def _executions(config, latency_ms: int = 0) -> list[ExecutionConfig]:
    executions = config.system().executions()
    for execution in executions:
        execution[0].latency_ms = latency_ms
    return executions


def _paper_builder(config, **args) -> SystemBuilder:
    """A paper trading system of barter's example config: the live clock, the mock exchange."""
    args = {"instruments": config.system().indexed_instruments(), "executions": _executions(config),
            "clock": EngineClock.LIVE(LiveClock()), **args}
    return SystemBuilder(SystemArgs(**args)).audit_mode(AuditMode.ENABLED)


def _account_kind(tick) -> type | None:
    """The kind of account event an audit tick processed, if it processed one."""
    if isinstance(tick.event, EngineAudit.PROCESS):
        event = tick.event[0].event
        if isinstance(event, EngineEvent.ACCOUNT) and isinstance(event[0], AccountStreamEvent.ITEM):
            return type(event[0][0].kind)
    return None


def _until(updates, *kinds: type) -> list:
    """Audit ticks until the engine has processed an account event of each of `kinds`."""
    ticks, missing = [], set(kinds)
    while missing:
        tick = updates.next(WAIT)
        assert tick is not None, f"no audit within {WAIT}s; still waiting for {missing}"
        ticks.append(tick)
        missing.discard(_account_kind(tick))
    return ticks


def _outputs(tick) -> list:
    outputs = tick.event[0].outputs
    return [] if isinstance(outputs, NoneOneOrManyEngineOutput.NONE) else [outputs[0]] if isinstance(outputs, NoneOneOrManyEngineOutput.ONE) else list(outputs[0])


def _without_times(value):
    """barter's JSON without the values the wall clock sets (every `time*` key)."""
    if isinstance(value, dict):
        return {key: _without_times(item) for key, item in value.items() if not key.startswith("time")}
    if isinstance(value, list):
        return [_without_times(item) for item in value]
    return value


def _account_event(kind: AccountEventKind) -> EngineEvent:
    """An account event of exchange 0 (barter's example config has one exchange)."""
    return EngineEvent.ACCOUNT(AccountStreamEvent.ITEM(AccountEvent(exchange=ExchangeIndex(0), kind=kind)))


def _paper_session_with_a_position(config) -> tuple[System, AuditStream]:
    """tests/parity.rs's paper session: a trade, then BUY filled by the mock exchange."""
    system = _paper_builder(config).build().init()
    updates = system.take_audit().updates
    _until(updates, AccountEventKind.SNAPSHOT)
    system.send(MARKET_TRADE)
    system.send_open_requests(OneOrManyOrderRequestOpen.ONE(BUY))
    _until(updates, AccountEventKind.ORDER_SNAPSHOT, AccountEventKind.TRADE)
    return system, updates


def test_paper_session_equals_barters_native_session(config, paper_session):
    system, _ = _paper_session_with_a_position(config)
    engine, audit = system.shutdown()

    state = json.loads(engine.state().to_json())
    # The bindings' instrument data is barter's DefaultInstrumentMarketData (`market`) plus the
    # last public trade: compare barter's part.
    for instrument in state["instruments"].values():
        instrument["data"] = instrument["data"]["market"]
    # Its global data records the last market or account event (what wakes a Python strategy):
    # the fill or the order's snapshot, whichever reached the engine last (barter's execution
    # manager forwards the mock's response and its account stream as they come). barter's
    # DefaultGlobalData keeps nothing.
    assert list(state["global"]["last"]["Account"]["kind"]) in (["Trade"], ["OrderSnapshot"])
    state["global"] = None
    assert _without_times(state) == _without_times(paper_session["state"])
    assert json.loads(audit.to_json()) == paper_session["audit"]
    position = engine.state().instrument(InstrumentIndex(0)).position.current
    assert (position.side, position.quantity_abs, position.price_entry_average) == (Side.BUY, Decimal("0.01"), Decimal("87000"))


def test_commands_and_trading_state_are_audited(config):
    system = _paper_builder(config).build().init()
    audit = system.take_audit()
    assert system.take_audit() is None  # barter hands the audit out once
    assert audit.snapshot.event.trading() == TradingState.DISABLED  # barter's default
    assert audit.snapshot.context.sequence == 0
    _until(audit.updates, AccountEventKind.SNAPSHOT)

    system.trading_state(TradingState.ENABLED)
    tick = audit.updates.next(WAIT)
    assert tick.event[0].event == EngineEvent.TRADING_STATE_UPDATE(TradingState.ENABLED)
    system.send(MARKET_TRADE)
    system.send_open_requests(OneOrManyOrderRequestOpen.ONE(BUY))
    _until(audit.updates, AccountEventKind.TRADE)

    # barter's DefaultStrategy closes the position with a market sell of its quantity.
    system.close_positions(InstrumentFilter.NONE())
    ticks = [audit.updates.next(WAIT)]
    while ticks[-1].event[0].event != EngineEvent.COMMAND(Command.CLOSE_POSITIONS(InstrumentFilter.NONE())):
        ticks.append(audit.updates.next(WAIT))
    (output,) = _outputs(ticks[-1])
    assert isinstance(output, EngineOutput.COMMANDED) and isinstance(output[0], ActionOutput.CLOSE_POSITIONS)
    opened = output[0][0].opens.sent
    assert isinstance(opened, NoneOneOrManyOrderRequestOpen.ONE)
    assert (opened[0].state.side, opened[0].state.quantity) == (Side.SELL, Decimal("0.01"))
    _until(audit.updates, AccountEventKind.TRADE)

    shutdown = system.shutdown()
    assert isinstance(shutdown, SystemShutdown)
    engine, _ = shutdown
    assert engine.state().trading() == TradingState.ENABLED
    assert engine.state().instrument(InstrumentIndex(0)).position.current is None
    # The stream ends with the engine, after the audit of its last event.
    last = list(audit.updates)[-1]
    assert audit.updates.ended()
    assert (last.event, last.context.sequence + 1) == (shutdown.audit, engine.meta().sequence)


def _replay(config, market_data, mode: BacktestMode | None = None, strategy: Strategy | None = None,
            audit_mode: AuditMode = AuditMode.DISABLED) -> tuple[System, HistoricalClock]:
    """A System over barter's example data with a historical clock, as barter's backtest builds it."""
    execution = config.system().executions()[0][0]
    balances = [KeyedBalance(key=ExchangeAsset(exchange=execution.mocked_exchange, asset=balance.asset), value=balance.balance)
                for balance in execution.initial_state.balances]
    clock = HistoricalClock(market_data.time_first_event())
    args = SystemArgs(instruments=config.system().indexed_instruments(), executions=_executions(config, 100),
                      clock=EngineClock.HISTORICAL(clock), strategy=strategy, market_stream=market_data.stream())
    builder = SystemBuilder(args).engine_feed_mode(EngineFeedMode.STREAM).trading_state(TradingState.ENABLED).balances(balances)
    builder = builder.audit_mode(audit_mode) if mode is None else builder.audit_mode(audit_mode).mode(mode)
    return builder.build().init(), clock


@pytest.mark.parametrize("mode", [BacktestMode.UPSTREAM, None])
def test_system_replays_market_data_as_barters_backtest(config, market_data, native_summary, mode):
    """barter's backtest is a System over in-memory data with a historical clock: built here from
    the bindings' parts, it gives barter's own summary, with barter's SystemBuilder (UPSTREAM) and
    in event time (the default)."""
    started = time.monotonic()
    system, clock = _replay(config, market_data, mode)
    assert system.take_audit() is None  # AuditMode.DISABLED: barter's default
    engine, _ = system.shutdown_after_backtest()

    summary = engine.trading_summary_generator(config.risk_free_return()).generate(SummaryInterval.DAILY)
    # The clock starts here, before the system is built: barter's engine times carry that wall time.
    assert_matches_native(summary, native_summary, time_tolerance=dt.timedelta(seconds=time.monotonic() - started))
    if mode == BacktestMode.UPSTREAM:
        assert clock.time() >= Timestamp.from_rfc3339(native_summary["time_engine_end"])  # the engine moved it
    else:
        # The engine moved it to the data's latest time, adding no wall-clock time.
        assert clock.time().timestamp_ns() == summary.time_engine_end.timestamp_ns() == engine.time().timestamp_ns()


def _fills(updates) -> list:
    """Every fill the engine processed, from its audit stream, until the stream ends."""
    fills = []
    for tick in updates:
        if _account_kind(tick) is AccountEventKind.TRADE:
            fills.append(tick.event[0].event[0][0].kind[0])
    return fills


REPLAYS = 4  # a start-up race (the clock moving before the engine ran) showed in 1 of 2 runs


def test_event_time_system_replays_as_the_backtest(config, market_data):
    """In event time, a System over in-memory data gives the fills and summary of the event-time
    backtest of the same inputs, run after run (barter's own replay races its mock's latency)."""
    runs = []
    for _ in range(REPLAYS):
        system, _ = _replay(config, market_data, strategy=Strategy.BUY_EVERY_TRADE, audit_mode=AuditMode.ENABLED)
        audit = system.take_audit()
        engine, _ = system.shutdown_after_backtest()
        summary = engine.trading_summary_generator(Decimal(0)).generate(SummaryInterval.DAILY)
        runs.append((_fills(audit.updates), summary.to_json()))

    args = BacktestArgsConstant.from_config(_config_with_latency(config, 100), market_data, SummaryInterval.DAILY)
    expected = backtest(args, BacktestArgsDynamic(id="replay", risk_free_return=Decimal(0), strategy=Strategy.BUY_EVERY_TRADE))
    assert len(expected.fills()) >= 20
    assert runs == [(expected.fills(), expected.summary().trading_summary.to_json())] * REPLAYS


def test_a_replay_records_the_frames_of_the_backtest(config, market_data):
    """An event-time System records what a backtest records (SystemBuilder.recording: on by
    default for a replay), read once it has shut down; barter's own build records nothing."""
    from barter.backtest import Frames

    system, _ = _replay(config, market_data, strategy=Strategy.BUY_EVERY_TRADE)
    with pytest.raises(BarterError.InvalidInput, match="the system is running"):
        system.frames()
    system.shutdown_after_backtest()
    frames = Frames.of(system)
    args = BacktestArgsConstant.from_config(_config_with_latency(config, 100), market_data, SummaryInterval.DAILY)
    expected = Frames.of(backtest(args, BacktestArgsDynamic(id="replay", risk_free_return=Decimal(0), strategy=Strategy.BUY_EVERY_TRADE)))
    assert len(frames.fills) >= 20 and frames.summary is None
    assert (frames.fills, frames.orders, frames.positions, frames.equity) == (expected.fills, expected.orders, expected.positions, expected.equity)
    assert Frames.of(system).fills == frames.fills  # read again, the same

    upstream, _ = _replay(config, market_data, BacktestMode.UPSTREAM, strategy=Strategy.BUY_EVERY_TRADE)
    upstream.shutdown_after_backtest()
    assert upstream.frames() is None


def test_event_time_needs_in_memory_data_and_a_stream_feed(config, market_data):
    live = SystemArgs(instruments=config.system().indexed_instruments(), executions=_executions(config),
                      clock=EngineClock.LIVE(LiveClock()), market_stream=market_data.stream())
    with pytest.raises(BarterError.InvalidInput, match="EngineClock.HISTORICAL"):
        SystemBuilder(live).mode(BacktestMode.EVENT_TIME).build()

    replay = SystemArgs(instruments=config.system().indexed_instruments(), executions=_executions(config),
                        clock=EngineClock.HISTORICAL(HistoricalClock(market_data.time_first_event())), market_stream=market_data.stream())
    with pytest.raises(BarterError.InvalidInput, match="ITERATOR"):
        SystemBuilder(replay).engine_feed_mode(EngineFeedMode.ITERATOR).build()
    # Refused before the market stream was taken: the same arguments still build.
    SystemBuilder(replay).engine_feed_mode(EngineFeedMode.STREAM).build()


def test_system_modes_are_barters(engine_samples: dict) -> None:
    assert [mode.to_json() for mode in (AuditMode.ENABLED, AuditMode.DISABLED)] == engine_samples["audit_modes"]
    assert [mode.to_json() for mode in (EngineFeedMode.ITERATOR, EngineFeedMode.STREAM)] == engine_samples["feed_modes"]
    balance = KeyedBalance.from_json(engine_samples["keyed_balance"])
    assert balance == KeyedBalance(key=ExchangeAsset(exchange=ExchangeId.BINANCE_SPOT, asset="usdt"),
                                   value=Balance(total=Decimal("10000.50"), free=Decimal("99")))
    assert balance.to_json() == engine_samples["keyed_balance"]
    assert {balance: 1}[KeyedBalance.from_json(engine_samples["keyed_balance"])] == 1


# --- Bad input: typed exceptions, never a crash ---

def test_a_market_stream_feeds_one_system(config, market_data):
    args = SystemArgs(instruments=config.system().indexed_instruments(), executions=_executions(config),
                      clock=EngineClock.LIVE(LiveClock()), market_stream=market_data.stream())
    builder = SystemBuilder(args)
    build = builder.build()
    with pytest.raises(BarterError.InvalidInput, match="already feeds a system"):
        builder.build()
    system = build.init()
    with pytest.raises(BarterError.InvalidInput, match="already started"):
        build.init()
    system.shutdown()


def test_a_stopped_system_refuses_commands(config):
    system = _paper_builder(config).build().init()
    assert system.is_running()
    system.abort()
    assert not system.is_running()
    for call in (lambda: system.trading_state(TradingState.ENABLED), lambda: system.cancel_orders(InstrumentFilter.NONE()),
                 lambda: system.send(MARKET_TRADE), system.shutdown):
        with pytest.raises(BarterError.InvalidInput, match="shut down"):
            call()


def test_events_the_system_cannot_have_are_refused(config, market_data):
    system = _paper_builder(config).build().init()
    unknown = MarketEvent(time_exchange=TIME, time_received=TIME, exchange=ExchangeId.BINANCE_SPOT,
                          instrument=InstrumentIndex(99), kind=DataKind.TRADE(PublicTrade(id="1", price=1.0, amount=1.0, side=Side.BUY)))
    with pytest.raises(BarterError.Index, match="InstrumentIndex\\(99\\)"):
        system.send(EngineEvent.MARKET(MarketStreamEvent.ITEM(unknown)))
    with pytest.raises(BarterError.Index, match="(?i)exchange okx"):
        system.send(EngineEvent.MARKET(MarketStreamEvent.RECONNECTING(ExchangeId.OKX)))
    assert system.is_running()
    system.shutdown()

    # In-memory data is checked against the system's instruments when the system is built.
    one_instrument = IndexedInstruments(config.system().instruments()[2:])
    args = SystemArgs(instruments=one_instrument, executions=[], clock=EngineClock.LIVE(LiveClock()), market_stream=market_data.stream())
    with pytest.raises(BarterError.Index, match="market event 1 refers to InstrumentIndex"):
        SystemBuilder(args).build()


def test_engine_killing_inputs_are_refused_and_the_position_survives(config):
    """Each of these reached barter's engine before: the requests and events panicked it on the
    unknown key, losing every position and balance; the filters silently selected nothing. Now
    each raises BarterError.Index naming the field, and the engine keeps its position."""
    system, updates = _paper_session_with_a_position(config)

    def open_at(instrument: int, exchange: int = 0, quantity: str = "0.01") -> OneOrManyOrderRequestOpen:
        key = OrderKey(exchange=ExchangeIndex(exchange), instrument=InstrumentIndex(instrument), strategy="paper", cid="bad")
        state = RequestOpen(side=Side.BUY, price=Decimal("87000"), quantity=Decimal(quantity), kind=OrderKind.MARKET,
                            time_in_force=TimeInForce.IMMEDIATE_OR_CANCEL())
        return OneOrManyOrderRequestOpen.ONE(OrderRequestOpen(key=key, state=state))

    order = OrderSnapshot(key=OrderKey(exchange=ExchangeIndex(0), instrument=InstrumentIndex(8), strategy="paper", cid="o"), side=Side.BUY,
                          price=Decimal(1), quantity=Decimal(1), kind=OrderKind.LIMIT, time_in_force=TimeInForce.GOOD_UNTIL_END_OF_DAY(),
                          state=OrderState.INACTIVE(InactiveOrderState.EXPIRED()))
    fill = Trade(id="t", order_id="o", instrument=InstrumentIndex(0), strategy="paper", time_exchange=TIME, side=Side.BUY,
                 price=Decimal("87000"), quantity=Decimal(0), fees=AssetFees(asset=QuoteAsset(), fees=Decimal(0)))
    snapshot = AccountSnapshot(exchange=ExchangeIndex(0), balances=[],
                               instruments=[InstrumentAccountSnapshot(instrument=InstrumentIndex(1), orders=[order])])

    cancel = OrderRequestCancel(key=OrderKey(exchange=ExchangeIndex(0), instrument=InstrumentIndex(7), strategy="paper", cid="x"),
                                state=RequestCancel(id=None))
    balance = AssetBalance(asset=AssetIndex(9), balance=Balance(total=Decimal(1), free=Decimal(1)), time_exchange=TIME)
    account = AccountEvent(exchange=ExchangeIndex(0), kind=AccountEventKind.BALANCE_SNAPSHOT(balance))
    refused = [
        (lambda: system.send_open_requests(open_at(99)), r"requests\[0\]\.key\.instrument: InstrumentIndex\(99\)"),
        (lambda: system.send_open_requests(open_at(0, exchange=3)), r"requests\[0\]\.key\.exchange: ExchangeIndex\(3\) is not InstrumentIndex\(0\)'s"),
        (lambda: system.send_cancel_requests(OneOrManyOrderRequestCancel.MANY([cancel])), r"requests\[0\]\.key\.instrument: InstrumentIndex\(7\)"),
        (lambda: system.send(EngineEvent.ACCOUNT(AccountStreamEvent.ITEM(account))), r"BalanceSnapshot\.asset: AssetIndex\(9\)"),
        (lambda: system.send(EngineEvent.ACCOUNT(AccountStreamEvent.RECONNECTING(ExchangeId.OKX))), "Reconnecting: exchange okx"),
        (lambda: system.send(EngineEvent.COMMAND(Command.SEND_OPEN_REQUESTS(open_at(5)))), r"SendOpenRequests\[0\]\.key\.instrument"),
        (lambda: system.close_positions(InstrumentFilter.INSTRUMENTS(OneOrManyInstrumentIndex.ONE(InstrumentIndex(3)))), r"filter\.Instruments\[0\]: InstrumentIndex\(3\)"),
        (lambda: system.cancel_orders(InstrumentFilter.EXCHANGES(OneOrManyExchangeIndex.ONE(ExchangeIndex(1)))), r"filter\.Exchanges\[0\]: ExchangeIndex\(1\)"),
        (lambda: system.close_positions(InstrumentFilter.UNDERLYINGS(OneOrManyUnderlying.ONE(Underlying(base=AssetIndex(0), quote=AssetIndex(4))))),
         r"Underlyings\[0\]\.quote: AssetIndex\(4\) is not one of the system's 4 assets"),
        (lambda: system.send(_account_event(AccountEventKind.ORDER_SNAPSHOT(order))), r"OrderSnapshot\.key\.instrument: InstrumentIndex\(8\)"),
        (lambda: system.send(_account_event(AccountEventKind.SNAPSHOT(snapshot))),
         r"Snapshot\.instruments\[0\]\.orders\[0\]\.key\.instrument: InstrumentIndex\(8\)"),
    ]
    for call, message in refused:
        with pytest.raises(BarterError.Index, match=message):
            call()
    # A quantity of zero would be filled as a zero trade, and barter's position arithmetic then
    # divides zero by zero.
    with pytest.raises(BarterError.InvalidInput, match=r"requests\[0\]\.state\.quantity: must be positive, got 0"):
        system.send_open_requests(open_at(0, quantity="0"))
    with pytest.raises(BarterError.InvalidInput, match=r"Trade\.quantity: must be positive"):
        system.send(_account_event(AccountEventKind.TRADE(fill)))

    # The engine is alive: it processes the next event.
    system.send(MARKET_TRADE)
    while (tick := updates.next(WAIT)).event[0].event != MARKET_TRADE:
        pass

    engine, _ = system.shutdown()
    position = engine.state().instrument(InstrumentIndex(0)).position.current
    assert (position.side, position.quantity_abs, position.price_entry_average) == (Side.BUY, Decimal("0.01"), Decimal("87000"))


def test_a_panic_in_barters_engine_stops_the_system_with_one_error_and_keeps_its_engine(config, capfd):
    """A trade of an absurd value passes every key check, and barter's position arithmetic
    overflows its Decimal: barter's engine panics. The system stops at once with one error, every
    later call raises it, no backtrace reaches stderr, and the engine stays readable as it was
    after the last event barter processed whole."""
    system, updates = _paper_session_with_a_position(config)
    absurd = Trade(id="t2", order_id="o2", instrument=InstrumentIndex(0), strategy="paper", time_exchange=TIME, side=Side.BUY,
                   price=Decimal("79228162514264337593543950335"), quantity=Decimal(10), fees=AssetFees(asset=QuoteAsset(), fees=Decimal(0)))
    system.send(_account_event(AccountEventKind.TRADE(absurd)))
    deadline = time.monotonic() + WAIT
    while system.is_running():
        assert time.monotonic() < deadline, "the engine kept running"
        time.sleep(0.01)

    reasons = []
    unknown = InstrumentFilter.INSTRUMENTS(OneOrManyInstrumentIndex.ONE(InstrumentIndex(99)))
    for call in (lambda: system.send(MARKET_TRADE), lambda: system.trading_state(TradingState.ENABLED),
                 lambda: system.close_positions(InstrumentFilter.NONE()), lambda: system.cancel_orders(unknown), system.shutdown, system.shutdown):
        with pytest.raises(BarterError.Engine) as raised:
            call()
        reasons.append(raised.value.reason)
    assert len(set(reasons)) == 1, reasons
    assert "barter's engine: barter panicked" in reasons[0] and "overflow" in reasons[0].lower(), reasons[0]
    assert "panicked at" not in capfd.readouterr().err

    # The audit ends with the event barter panicked on, its error barter's own unrecoverable one.
    last = list(updates)[-1]
    assert last.event[0].event == _account_event(AccountEventKind.TRADE(absurd))
    assert "panicked" in repr(last.event[0].errors)
    # barter had taken the position out to update it when it panicked: the instrument's state is
    # put back as it was before that event.
    position = system.failed_engine().state().instrument(InstrumentIndex(0)).position.current
    assert (position.side, position.quantity_abs, position.price_entry_average) == (Side.BUY, Decimal("0.01"), Decimal("87000"))


def test_orders_and_fills_on_an_exchange_without_execution_are_refused(config):
    """barter would close such a position or cancel such an order with a request it cannot route,
    and stop the engine."""
    system = _paper_builder(config, executions=[]).build().init()
    fill = Trade(id="t", order_id="o", instrument=InstrumentIndex(0), strategy="paper", time_exchange=TIME, side=Side.BUY,
                 price=Decimal("87000"), quantity=Decimal("0.01"), fees=AssetFees(asset=QuoteAsset(), fees=Decimal(0)))
    event = EngineEvent.ACCOUNT(AccountStreamEvent.ITEM(AccountEvent(exchange=ExchangeIndex(0), kind=AccountEventKind.TRADE(fill))))
    with pytest.raises(BarterError.Index, match=r"Trade\.instrument \(its exchange\): the system has no execution for ExchangeIndex\(0\)"):
        system.send(event)
    with pytest.raises(BarterError.Index, match=r"requests\[0\]\.key\.exchange: the system has no execution"):
        system.send_open_requests(OneOrManyOrderRequestOpen.ONE(BUY))
    # A balance is no order: it is accepted.
    balance = AssetBalance(asset=AssetIndex(3), balance=Balance(total=Decimal(5), free=Decimal(5)), time_exchange=TIME)
    system.send(EngineEvent.ACCOUNT(AccountStreamEvent.ITEM(AccountEvent(exchange=ExchangeIndex(0), kind=AccountEventKind.BALANCE_SNAPSHOT(balance)))))
    engine, _ = system.shutdown()
    assert engine.state().assets()[3].state.balance.value.total == Decimal(5)


def test_a_system_keeps_a_bounded_audit_and_counts_what_it_drops(config):
    """barter's engine never waits for its audit's reader: a system whose events never end keeps
    at most its audit capacity of unread ticks (8,192 by default) and counts the rest."""
    system = _paper_builder(config).audit_capacity(5).build().init()
    for _ in range(40):
        system.send(MARKET_TRADE)
    engine, _ = system.shutdown()
    updates = system.take_audit().updates  # the system took barter's audit when it started
    ticks = list(updates)
    first = ticks[0].context.sequence
    assert [tick.context.sequence for tick in ticks] == list(range(first, first + 5))
    assert updates.dropped() == engine.meta().sequence - first - 5 >= 36
    with pytest.raises(BarterError.InvalidInput, match="audit_capacity"):
        _paper_builder(config).audit_capacity(0).build()


def test_bad_system_arguments_raise_barters_errors(config):
    # A balance of an asset the instruments lack: barter's index has no such asset.
    stranger = KeyedBalance(key=ExchangeAsset(exchange=ExchangeId.BINANCE_SPOT, asset="doge"), value=Balance(total=Decimal(1), free=Decimal(1)))
    with pytest.raises(BarterError.Index, match="doge"):
        _paper_builder(config).balances([stranger]).build()
    # Two executions of one exchange: barter's ExecutionBuilder refuses the second.
    with pytest.raises(BarterError.Barter, match="duplicate"):
        _paper_builder(config, executions=_executions(config) * 2).build()
    with pytest.raises(BarterError.InvalidValue, match="timeout"):
        _paper_builder(config).build().init().take_audit().updates.next(-1.0)


def test_live_market_streams_refuse_what_barter_does_not_support(config):
    # barter-data validates subscriptions before it connects: no network is needed to see it refuse.
    with pytest.raises(BarterError.Data, match="(?i)unsupported|liquidation"):
        init_indexed_multi_exchange_market_stream(config.system().indexed_instruments(), [SubKind.LIQUIDATIONS])
