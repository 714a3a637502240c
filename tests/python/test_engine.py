"""barter's engine events, commands, filters, requests and errors from Python, against barter's
own JSON of the same values (written natively by tests/json.rs)."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barter import BarterError, Timestamp
from barter.data import MarketStreamEvent
from barter.engine import (
    AccountStreamEvent,
    AssetFilter,
    Command,
    ConnectivityState,
    EngineError,
    EngineEvent,
    ExecutionRequest,
    Health,
    HistoricalClock,
    InstrumentFilter,
    LiveClock,
    OneOrManyInstrumentIndex,
    OneOrManyOrderRequestCancel,
    OneOrManyOrderRequestOpen,
    RecoverableEngineError,
    Shutdown,
    TradingState,
    TradingStateUpdateAudit,
    UnrecoverableEngineError,
)
from barter.execution import (
    AccountEvent,
    AccountEventKind,
    AssetBalance,
    Balance,
    OrderKey,
    OrderKind,
    OrderRequestCancel,
    OrderRequestOpen,
    RequestCancel,
    RequestOpen,
    TimeInForce,
)
from barter.instrument import AssetIndex, ExchangeId, ExchangeIndex, IndexError, InstrumentIndex, Side, Underlying
from barter.risk import CheckFailHigherThan, CheckHigherThan, RiskRefusedOrderRequestCancel, RiskRefusedOrderRequestOpen
from barter.statistic import SummaryInterval
from barter.system import BacktestConfig, ExecutionConfig, SystemConfig

from conftest import DATA_PATH
from strategies import barter_decimals, names


def _key(cid: str) -> OrderKey:
    return OrderKey(exchange=ExchangeIndex(0), instrument=InstrumentIndex(1), strategy="python", cid=cid)


OPEN = OrderRequestOpen(key=_key("cid-1"), state=RequestOpen(side=Side.BUY, price=Decimal("2059.1"), quantity=Decimal("0.5"), kind=OrderKind.MARKET, time_in_force=TimeInForce.IMMEDIATE_OR_CANCEL()))


def _cancel(cid: str) -> OrderRequestCancel:
    return OrderRequestCancel(key=_key(cid), state=RequestCancel(id="7"))


def _filters() -> list[InstrumentFilter]:
    return [
        InstrumentFilter.NONE(),
        InstrumentFilter.exchanges([ExchangeIndex(0)]),
        InstrumentFilter.instruments([InstrumentIndex(0), InstrumentIndex(2)]),
        InstrumentFilter.underlyings([Underlying(base=AssetIndex(0), quote=AssetIndex(1))]),
    ]


def _commands() -> list[Command]:
    return [
        Command.SEND_OPEN_REQUESTS(OneOrManyOrderRequestOpen.ONE(OPEN)),
        Command.SEND_CANCEL_REQUESTS(OneOrManyOrderRequestCancel.MANY([_cancel("cid-2"), _cancel("cid-3")])),
        Command.CLOSE_POSITIONS(InstrumentFilter.NONE()),
        Command.CANCEL_ORDERS(_filters()[3]),
    ]


def _events() -> list[EngineEvent]:
    balance = AssetBalance(asset=AssetIndex(1), balance=Balance(total=Decimal("9999.5"), free=Decimal("9000")), time_exchange=Timestamp.from_rfc3339("2025-03-25T23:07:00.123456789Z"))
    return [
        EngineEvent.SHUTDOWN(Shutdown()),
        EngineEvent.COMMAND(_commands()[1]),
        EngineEvent.TRADING_STATE_UPDATE(TradingState.DISABLED),
        EngineEvent.ACCOUNT(AccountStreamEvent.ITEM(AccountEvent(exchange=ExchangeIndex(0), kind=AccountEventKind.BALANCE_SNAPSHOT(balance)))),
        EngineEvent.ACCOUNT(AccountStreamEvent.RECONNECTING(ExchangeId.BINANCE_SPOT)),
        EngineEvent.MARKET(MarketStreamEvent.from_json(DATA_PATH.read_text().splitlines()[0])),
    ]


@pytest.mark.parametrize(
    ("name", "values", "cls"),
    [
        ("filters", _filters, InstrumentFilter),
        ("commands", _commands, Command),
        ("events", _events, EngineEvent),
        ("requests", lambda: [ExecutionRequest.SHUTDOWN(), ExecutionRequest.OPEN(OPEN), ExecutionRequest.CANCEL(_cancel("cid-4"))], ExecutionRequest),
        ("asset_filters", lambda: [AssetFilter.NONE(), AssetFilter.exchanges([ExchangeId.BINANCE_SPOT, ExchangeId.OKX])], AssetFilter),
    ],
)
def test_values_built_in_python_are_barters(name, values, cls, engine_samples: dict) -> None:
    built = values()
    assert [value.to_json() for value in built] == engine_samples[name]
    assert [cls.from_json(sample) for sample in engine_samples[name]] == built


def test_filters_are_built_as_barter_builds_them() -> None:
    assert InstrumentFilter.instruments([InstrumentIndex(4)]) == InstrumentFilter.INSTRUMENTS(OneOrManyInstrumentIndex.ONE(InstrumentIndex(4)))
    assert InstrumentFilter.instruments([4, 5]) == InstrumentFilter.INSTRUMENTS(OneOrManyInstrumentIndex.MANY([InstrumentIndex(4), InstrumentIndex(5)]))
    # One and Many of one item are different values in barter's JSON, and stay different.
    assert OneOrManyInstrumentIndex.MANY([InstrumentIndex(4)]).to_json() == '{"Many":[4]}'
    assert {OneOrManyInstrumentIndex.ONE(InstrumentIndex(4)): "one"}[OneOrManyInstrumentIndex.from_json('{"One":4}')] == "one"
    with pytest.raises(BarterError.InvalidInput, match="at least one"):
        InstrumentFilter.instruments([])
    with pytest.raises(BarterError.Index, match="out of range"):
        InstrumentFilter.exchanges([-1])


def test_small_values_are_barters(engine_samples: dict) -> None:
    update = TradingStateUpdateAudit(prev=TradingState.ENABLED, current=TradingState.DISABLED)
    assert update.to_json() == engine_samples["trading_state_update"]
    connectivity = ConnectivityState(market_data=Health.HEALTHY, account=Health.RECONNECTING)
    assert connectivity.to_json() == engine_samples["connectivity"]
    assert {connectivity: 1}[ConnectivityState.from_json(engine_samples["connectivity"])] == 1


def test_engine_errors_read_and_write_barters_json(engine_samples: dict) -> None:
    built = [
        EngineError.RECOVERABLE(RecoverableEngineError.EXECUTION_CHANNEL_UNHEALTHY("full")),
        EngineError.UNRECOVERABLE(UnrecoverableEngineError.INDEX_ERROR(IndexError.EXCHANGE_INDEX("ExchangeIndex(3)"))),
        EngineError.UNRECOVERABLE(UnrecoverableEngineError.EXECUTION_CHANNEL_TERMINATED("closed")),
        EngineError.UNRECOVERABLE(UnrecoverableEngineError.CUSTOM("ünïcode")),
    ]
    assert [error.to_json() for error in built] == [sample["json"] for sample in engine_samples["errors"]]
    with pytest.raises(BarterError.Json, match=r"Unrecoverable: unknown variant `Fatal`"):
        EngineError.from_json('{"Unrecoverable":{"Fatal":"x"}}')


def test_system_config_is_built_from_its_parts(config: BacktestConfig, engine_samples: dict) -> None:
    system = config.system()
    assert system.to_json() == engine_samples["system"]
    (execution,) = system.executions()
    assert execution.to_json() == engine_samples["execution_config"]
    assert ExecutionConfig.from_json(engine_samples["execution_config"]) == execution
    rebuilt = SystemConfig(system.instruments(), [execution])
    assert rebuilt == system and rebuilt.to_json() == engine_samples["system"]
    assert json.loads(rebuilt.to_json())["executions"][0]["mocked_exchange"] == "binance_spot"


@given(price=barter_decimals, quantity=barter_decimals, strategy=names, cid=names, instruments=st.lists(st.integers(min_value=0, max_value=2**32), min_size=1, max_size=5))
def test_any_command_round_trips_barters_json(price, quantity, strategy, cid, instruments) -> None:
    key = OrderKey(exchange=ExchangeIndex(0), instrument=InstrumentIndex(instruments[0]), strategy=strategy, cid=cid)
    request = OrderRequestOpen(key=key, state=RequestOpen(side=Side.SELL, price=price, quantity=quantity, kind=OrderKind.LIMIT, time_in_force=TimeInForce.GOOD_UNTIL_CANCELLED(post_only=True)))
    for command in (Command.SEND_OPEN_REQUESTS(OneOrManyOrderRequestOpen.MANY([request])), Command.CLOSE_POSITIONS(InstrumentFilter.instruments(instruments))):
        assert Command.from_json(command.to_json()) == command


def test_risk_verdicts_are_barters(engine_samples: dict) -> None:
    refused = RiskRefusedOrderRequestOpen(item=OPEN, reason="too big")
    assert refused.to_json() == engine_samples["risk_refused_open"]
    assert RiskRefusedOrderRequestCancel(item=_cancel("cid-5"), reason="ünïcode").to_json() == engine_samples["risk_refused_cancel"]
    check = CheckHigherThan(limit=Decimal("10"))
    verdicts = [check.check(Decimal(value)) for value in ("9.99", "10", "10.000001")]
    assert ["null" if verdict is None else verdict.to_json() for verdict in verdicts] == engine_samples["check_higher_than"]
    assert verdicts[2] == CheckFailHigherThan(limit=Decimal("10"), input=Decimal("10.000001"))


# The engine's state: barter's initial state of the example backtest, as tests/json.rs builds it
# natively the same way.

def test_engine_state_is_barters(args_daily, engine_state_sample: dict) -> None:
    state = args_daily.engine_state()
    assert state.to_json() == engine_state_sample["engine_state"]
    barters = json.loads(engine_state_sample["engine_state"])
    assert state.trading() is TradingState.from_json(json.dumps(barters["trading"]))
    connectivity = state.connectivity()
    assert connectivity.to_json() == json.dumps(barters["connectivity"], separators=(",", ":"))
    assert connectivity.exchanges[ExchangeId.BINANCE_SPOT] == ConnectivityState(market_data=Health.RECONNECTING, account=Health.RECONNECTING)


def test_engine_state_instruments_are_barters(args_daily, engine_state_sample: dict) -> None:
    state = args_daily.engine_state()
    barters = list(json.loads(engine_state_sample["engine_state"])["instruments"].values())
    instruments = state.instruments()
    assert [instrument.key for instrument in instruments] == [entry["key"] for entry in barters]
    for instrument, entry in zip(instruments, barters, strict=True):
        assert instrument.instrument.to_json() == json.dumps(entry["instrument"], separators=(",", ":"))
        assert instrument.tear_sheet.to_json() == json.dumps(entry["tear_sheet"], separators=(",", ":"))
        assert instrument.position.to_json() == json.dumps(entry["position"], separators=(",", ":"))
        assert instrument.data.to_json() == json.dumps(entry["data"], separators=(",", ":"))
        assert instrument.orders == [] == list(entry["orders"])
        assert state.instrument(instrument.key).instrument == instrument.instrument
    with pytest.raises(BarterError.Index, match="not in the engine's instruments"):
        state.instrument(InstrumentIndex(len(instruments)))


def test_engine_state_assets_are_barters(args_daily, engine_state_sample: dict) -> None:
    barters = json.loads(engine_state_sample["engine_state"])["assets"]
    assets = args_daily.engine_state().assets()
    assert [entry.asset.to_json() for entry in assets] == [json.dumps(key, separators=(",", ":")) for key, _ in barters]
    for entry, (_, state) in zip(assets, barters, strict=True):
        assert entry.state.asset.to_json() == json.dumps(state["asset"], separators=(",", ":"))
        assert entry.state.statistics.to_json() == json.dumps(state["statistics"], separators=(",", ":"))
        assert (None if entry.state.balance is None else entry.state.balance.to_json()) == (None if state["balance"] is None else json.dumps(state["balance"], separators=(",", ":")))


def test_trading_summary_generator_from_the_state_is_barters(args_daily, engine_state_sample: dict) -> None:
    start = Timestamp.from_rfc3339(engine_state_sample["time_engine_start"])
    generator = args_daily.engine_state().trading_summary_generator(Decimal(engine_state_sample["risk_free_return"]), start, start)
    assert generator.generate(SummaryInterval.DAILY).to_json() == engine_state_sample["trading_summary"]


def test_historical_clock_follows_the_events_it_processes() -> None:
    events = [EngineEvent.MARKET(MarketStreamEvent.from_json(line)) for line in DATA_PATH.read_text().splitlines()[:200]]
    times = [event[0][0].time_exchange for event in events]
    clock = HistoricalClock(times[0])
    for event in events:
        clock.process(event)
    # barter keeps the latest exchange time it saw, plus the wall-clock time since it saw it.
    assert max(times) <= clock.time() < max(times) + dt.timedelta(seconds=10)
    clock.process(events[0])  # an older event does not move it back
    assert clock.time() >= max(times)
    clock.process(EngineEvent.SHUTDOWN(Shutdown()))  # no exchange time: kept
    assert clock.time() >= max(times)


def test_live_clock_is_the_wall_clock() -> None:
    before = dt.datetime.now(dt.timezone.utc)
    now = LiveClock().time()
    assert before <= now <= dt.datetime.now(dt.timezone.utc)
    assert LiveClock.from_json(LiveClock().to_json()) == LiveClock()
