"""barter-execution from Python: barter's JSON of every execution type, values through Rust and
back, barter's instrument map and account event indexer, and barter's mock exchange.

References are barter's own output, computed natively by tests/json.rs (`execution_samples`).
"""

from __future__ import annotations

import datetime as dt
import json
import threading
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barter import BarterError, Timestamp
from barter.execution import (
    AccountEvent,
    AccountEventIndexer,
    AccountEventKind,
    AccountSnapshot,
    ActiveOrderState,
    ApiError,
    AssetBalance,
    AssetFees,
    Balance,
    CancelInFlight,
    Cancelled,
    ClientError,
    ConnectivityError,
    ExecutionInstrumentMap,
    ExecutionKeyError,
    InactiveOrderState,
    InstrumentAccountSnapshot,
    MockExecution,
    MockExecutionConfig,
    Open,
    OpenInFlight,
    Order,
    OrderCancelResult,
    OrderError,
    OrderKey,
    OrderKind,
    OrderRequestOpen,
    OrderResponseCancel,
    OrderSnapshot,
    OrderState,
    RequestCancel,
    RequestOpen,
    TimeInForce,
    Trade,
    UnindexedAccountEvent,
    UnindexedAccountEventKind,
    UnindexedApiError,
    UnindexedAssetBalance,
    UnindexedInactiveOrderState,
    UnindexedOrder,
    UnindexedOrderError,
    UnindexedOrderKey,
    UnindexedOrderOpenResult,
    UnindexedOrderRequestCancel,
    UnindexedOrderRequestOpen,
    UnindexedOrderResponseOpen,
    UnindexedOrderState,
    UnindexedTrade,
    client_order_id_random,
    strategy_id_unknown,
)
from barter.instrument import AssetIndex, ExchangeId, ExchangeIndex, InstrumentIndex, QuoteAsset, Side
from barter.system import SystemConfig

from conftest import CONFIG_PATH
from strategies import barter_decimals, timestamps


def ts(text: str) -> Timestamp:
    return Timestamp.from_rfc3339(text)


# --- The values tests/json.rs serialised natively, built here in Python.

KEY = OrderKey(exchange=ExchangeIndex(0), instrument=InstrumentIndex(1), strategy="strategy-a", cid="cid-1")
UNINDEXED_KEY = UnindexedOrderKey(exchange=ExchangeId.BINANCE_SPOT, instrument="BTCUSDT", strategy="strategy-a", cid="cid-1")
OPEN = Open(id="7", time_exchange=ts("2025-03-25T23:07:00.123456789Z"), filled_quantity=Decimal("0.005"))
CANCELLED = Cancelled(id="7", time_exchange=ts("2025-03-25T23:08:00Z"))
REQUEST_OPEN = RequestOpen(side=Side.BUY, price=Decimal("87000.5"), quantity=Decimal("0.01"), kind=OrderKind.MARKET, time_in_force=TimeInForce.GOOD_UNTIL_CANCELLED(post_only=True))
STATES = [
    OrderState.ACTIVE(ActiveOrderState.OPEN_IN_FLIGHT(OpenInFlight())),
    OrderState.ACTIVE(ActiveOrderState.OPEN(OPEN)),
    OrderState.ACTIVE(ActiveOrderState.CANCEL_IN_FLIGHT(CancelInFlight(order=None))),
    OrderState.ACTIVE(ActiveOrderState.CANCEL_IN_FLIGHT(CancelInFlight(order=OPEN))),
    OrderState.INACTIVE(InactiveOrderState.CANCELLED(CANCELLED)),
    OrderState.INACTIVE(InactiveOrderState.FULLY_FILLED()),
    OrderState.INACTIVE(InactiveOrderState.OPEN_FAILED(OrderError.REJECTED(ApiError.BALANCE_INSUFFICIENT(AssetIndex(1), "Available Balance: 1")))),
    OrderState.INACTIVE(InactiveOrderState.OPEN_FAILED(OrderError.CONNECTIVITY(ConnectivityError.TIMEOUT()))),
    OrderState.INACTIVE(InactiveOrderState.EXPIRED()),
]
TRADE = Trade(id="t-1", order_id="7", instrument=InstrumentIndex(1), strategy="strategy-a", time_exchange=ts("2025-03-25T23:07:00.5Z"), side=Side.BUY, price=Decimal("87000.5"), quantity=Decimal("0.01"), fees=AssetFees(asset=QuoteAsset(), fees=Decimal("0.435")))
BALANCE = AssetBalance(asset=AssetIndex(1), balance=Balance(total=Decimal("10000"), free=Decimal("9000.25")), time_exchange=ts("2025-03-25T23:06:00.000000001Z"))


def order(state: OrderState) -> Order:
    return Order(key=KEY, side=Side.SELL, price=Decimal("2059.10"), quantity=Decimal("-0.5"), kind=OrderKind.LIMIT, time_in_force=TimeInForce.IMMEDIATE_OR_CANCEL(), state=state)


SNAPSHOT = AccountSnapshot(exchange=ExchangeIndex(0), balances=[BALANCE], instruments=[InstrumentAccountSnapshot(instrument=InstrumentIndex(1), orders=[order(STATES[1]), order(STATES[4])])])
KINDS = [
    AccountEventKind.SNAPSHOT(SNAPSHOT),
    AccountEventKind.BALANCE_SNAPSHOT(BALANCE),
    AccountEventKind.ORDER_SNAPSHOT(order(STATES[1])),
    AccountEventKind.ORDER_CANCELLED(OrderResponseCancel(key=KEY, state=OrderCancelResult.OK(CANCELLED))),
    AccountEventKind.ORDER_CANCELLED(OrderResponseCancel(key=KEY, state=OrderCancelResult.ERR(OrderError.CONNECTIVITY(ConnectivityError.EXCHANGE_OFFLINE(ExchangeId.BINANCE_SPOT))))),
    AccountEventKind.TRADE(TRADE),
]
CLIENT_ERRORS = [
    ClientError.CONNECTIVITY(ConnectivityError.SOCKET("closed")),
    ClientError.API(ApiError.ASSET_INVALID(AssetIndex(2), "bad asset")),
    ClientError.API(ApiError.INSTRUMENT_INVALID(InstrumentIndex(3), "bad instrument")),
    ClientError.API(ApiError.RATE_LIMIT()),
    ClientError.API(ApiError.ORDER_REJECTED("no")),
    ClientError.API(ApiError.ORDER_ALREADY_CANCELLED()),
    ClientError.API(ApiError.ORDER_ALREADY_FULLY_FILLED()),
    ClientError.ACCOUNT_SNAPSHOT("snapshot failed"),
    ClientError.ACCOUNT_STREAM("stream failed"),
]
KEY_ERRORS = [ExecutionKeyError.EXCHANGE_ID("e"), ExecutionKeyError.ASSET_KEY("a"), ExecutionKeyError.INSTRUMENT_KEY("i")]
UNINDEXED_TRADE_EVENT = UnindexedAccountEvent(exchange=ExchangeId.BINANCE_SPOT, kind=UnindexedAccountEventKind.TRADE(UnindexedTrade(
    id="t-1", order_id="7", instrument="BTCUSDT", strategy="strategy-a", time_exchange=TRADE.time_exchange, side=Side.BUY, price=TRADE.price, quantity=TRADE.quantity, fees=TRADE.fees,
)))
UNINDEXED_FAILED_EVENT = UnindexedAccountEvent(exchange=ExchangeId.BINANCE_SPOT, kind=UnindexedAccountEventKind.ORDER_SNAPSHOT(UnindexedOrder(
    key=UNINDEXED_KEY, side=Side.BUY, price=Decimal(1), quantity=Decimal(2), kind=OrderKind.MARKET, time_in_force=TimeInForce.FILL_OR_KILL(),
    state=UnindexedOrderState.INACTIVE(UnindexedInactiveOrderState.OPEN_FAILED(
        UnindexedOrderError.REJECTED(UnindexedApiError.BALANCE_INSUFFICIENT("usdt", "short")))),
)))


def _pairs(samples: dict) -> list[tuple[str, object, str]]:
    return [
        ("order_request_open", OrderRequestOpen(key=KEY, state=REQUEST_OPEN), samples["order_request_open"]),
        ("unindexed_order_request_cancel", UnindexedOrderRequestCancel(key=UNINDEXED_KEY, state=RequestCancel(id="7")), samples["unindexed_order_request_cancel"]),
        *((f"order {n}", order(state), text) for n, (state, text) in enumerate(zip(STATES, samples["orders"], strict=True))),
        *((f"account_event {n}", AccountEvent(exchange=ExchangeIndex(0), kind=kind), text) for n, (kind, text) in enumerate(zip(KINDS, samples["account_events"], strict=True))),
        *((f"client_error {n}", error, text) for n, (error, text) in enumerate(zip(CLIENT_ERRORS, samples["client_errors"], strict=True))),
        *((f"key_error {n}", error, text) for n, (error, text) in enumerate(zip(KEY_ERRORS, samples["key_errors"], strict=True))),
        ("unindexed_trade_event", UNINDEXED_TRADE_EVENT, samples["unindexed_trade_event"]),
        ("unindexed_failed_event", UNINDEXED_FAILED_EVENT, samples["unindexed_failed_event"]),
    ]


def test_values_built_in_python_write_barters_json_and_read_it_back(execution_samples: dict) -> None:
    for name, value, text in _pairs(execution_samples):
        assert value.to_json() == text, name
        assert type(value).from_json(text) == value, name


def test_barters_methods(execution_samples: dict) -> None:
    assert BALANCE.balance.used() == Decimal(execution_samples["balance_used"])
    assert TRADE.value_quote() == Decimal(execution_samples["trade_value_quote"])
    assert SNAPSHOT.time_most_recent() == ts(json.loads(execution_samples["snapshot_time_most_recent"]))
    assert STATES[1].time_exchange() == OPEN.time_exchange and STATES[0].time_exchange() is None
    assert OrderSnapshot is Order


def test_ids_are_barters() -> None:
    cid = client_order_id_random()
    assert isinstance(cid, str) and len(cid) == 23 and cid != client_order_id_random()
    assert strategy_id_unknown() == "unknown"


def test_records_barter_hashes_are_dict_keys() -> None:
    same = OrderKey(exchange=ExchangeIndex(0), instrument=InstrumentIndex(1), strategy="strategy-a", cid="cid-1")
    assert {KEY: 1}[same] == 1
    assert len({OPEN, Open(id="7", time_exchange=OPEN.time_exchange, filled_quantity=Decimal("0.005"))}) == 1


# --- barter's instrument map and account event indexer, over the example config's instruments.

@pytest.fixture(scope="module")
def instruments():
    return SystemConfig.from_json(json.dumps(json.loads(CONFIG_PATH.read_text())["system"])).indexed_instruments()


def test_indexer_gives_barters_indexed_events(instruments, execution_samples: dict) -> None:
    indexer = AccountEventIndexer(ExecutionInstrumentMap(instruments, ExchangeId.BINANCE_SPOT))
    assert indexer.account_event(UNINDEXED_TRADE_EVENT).to_json() == execution_samples["indexed_trade_event"]
    assert indexer.account_event(UNINDEXED_FAILED_EVENT).to_json() == execution_samples["indexed_failed_event"]
    request = OrderRequestOpen(key=OrderKey(exchange=ExchangeIndex(0), instrument=InstrumentIndex(0), strategy="strategy-a", cid="cid-1"), state=REQUEST_OPEN)
    assert indexer.order_request_open(request).to_json() == execution_samples["indexed_order_request_open"]


def test_instrument_map_look_ups(instruments) -> None:
    binance = ExecutionInstrumentMap(instruments, ExchangeId.BINANCE_SPOT)
    assert binance.exchange() is ExchangeId.BINANCE_SPOT and binance.exchange_index() == ExchangeIndex(0)
    # barter's map holds every indexed asset and instrument, and the exchange's names of them.
    assert binance.instruments() == [keyed.value for keyed in instruments.instruments()]
    assert binance.assets() == [keyed.value for keyed in instruments.assets()]
    assert sorted(binance.exchange_instruments()) == sorted(instrument.name_exchange for instrument in binance.instruments())
    assert sorted(binance.exchange_assets()) == sorted(asset.asset.name_exchange for asset in binance.assets())
    for name in binance.exchange_instruments():
        assert binance.find_instrument_name_exchange(binance.find_instrument_index(name)) == name
    for name in binance.exchange_assets():
        assert binance.find_asset_name_exchange(binance.find_asset_index(name)) == name
    assert binance.find_exchange_id(ExchangeIndex(0)) is ExchangeId.BINANCE_SPOT
    with pytest.raises(BarterError.Index, match="DOGEUSDT"):
        binance.find_instrument_index("DOGEUSDT")
    with pytest.raises(BarterError.Index, match="ExchangeId"):
        binance.find_exchange_id(ExchangeIndex(5))
    with pytest.raises(BarterError.Index, match="kraken|Kraken"):
        ExecutionInstrumentMap(instruments, ExchangeId.KRAKEN)
    with pytest.raises(BarterError.Index, match="ExecutionInstrumentMap does not contain"):
        AccountEventIndexer(binance).order_key(UnindexedOrderKey(exchange=ExchangeId.BINANCE_SPOT, instrument="nope", strategy="s", cid="c"))


# --- barter's mock exchange, through barter's mock execution client.

def _strip_times(value: object) -> object:
    if isinstance(value, dict):
        return {key: None if key == "time_exchange" else _strip_times(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_strip_times(item) for item in value]
    return value


def same_but_times(python_json: str, native_json: str) -> bool:
    """barter's JSON equal except `time_exchange`, which barter's mock takes from the wall clock."""
    return _strip_times(json.loads(python_json)) == _strip_times(json.loads(native_json))


def _request(instrument: str, cid: str, side: Side, price: str, quantity: str, kind: OrderKind) -> UnindexedOrderRequestOpen:
    return UnindexedOrderRequestOpen(
        key=UnindexedOrderKey(exchange=ExchangeId.BINANCE_SPOT, instrument=instrument, strategy="strategy-a", cid=cid),
        state=RequestOpen(side=side, price=Decimal(price), quantity=Decimal(quantity), kind=kind, time_in_force=TimeInForce.IMMEDIATE_OR_CANCEL()),
    )


@pytest.fixture()
def mock_config(execution_samples: dict) -> MockExecutionConfig:
    config = MockExecutionConfig.from_json(execution_samples["mock_execution_config"])
    assert config.latency_ms == 0 and config.mocked_exchange is ExchangeId.BINANCE_SPOT
    return config


def test_mock_session_is_barters(mock_config: MockExecutionConfig, instruments, execution_samples: dict) -> None:
    native = execution_samples["mock_session"]
    mock = MockExecution(mock_config, instruments)
    events = mock.account_stream([], [])
    before = Timestamp.from_datetime(dt.datetime.now(dt.timezone.utc))

    buy = mock.open_order(_request("BTCUSDT", "cid-1", Side.BUY, "87000.5", "0.01", OrderKind.MARKET))
    assert same_but_times(buy.to_json(), native["buy"])
    assert isinstance(buy.state, UnindexedOrderOpenResult.OK) and buy.state[0].time_exchange >= before
    buy_events = [next(events), next(events)]
    assert same_but_times(json.dumps([json.loads(event.to_json()) for event in buy_events]), native["buy_events"])
    sell = mock.open_order(_request("ETHUSDT", "cid-2", Side.SELL, "2059.1", "0.5", OrderKind.MARKET))
    assert same_but_times(sell.to_json(), native["sell"])
    sell_events = [events.next(5.0), events.next(5.0)]
    assert same_but_times(json.dumps([json.loads(event.to_json()) for event in sell_events]), native["sell_events"])

    for name, request in [
        ("limit", _request("BTCUSDT", "cid-3", Side.BUY, "87000", "0.01", OrderKind.LIMIT)),
        ("too_big", _request("BTCUSDT", "cid-4", Side.BUY, "87000", "1000", OrderKind.MARKET)),
        ("unknown", _request("DOGEUSDT", "cid-5", Side.BUY, "1", "1", OrderKind.MARKET)),
    ]:
        response = mock.open_order(request)
        assert response.to_json() == native[name], name  # refusals carry no time
        assert isinstance(response.state, UnindexedOrderOpenResult.ERR)
    cancel = mock.cancel_order(UnindexedOrderRequestCancel(key=UNINDEXED_KEY, state=RequestCancel(id="0")))
    assert cancel.to_json() == native["cancel"]

    balances = sorted(mock.fetch_balances(["usdt", "btc"]), key=lambda balance: balance.asset)
    assert same_but_times(json.dumps([json.loads(b.to_json()) for b in balances]), native["balances"])
    assert [o.to_json() for o in mock.fetch_open_orders(["BTCUSDT"])] == [json.dumps(o) for o in json.loads(native["open_orders"])]
    trades = mock.fetch_trades(ts("2000-01-01T00:00:00Z"))
    assert same_but_times(json.dumps([json.loads(t.to_json()) for t in trades]), native["trades"])
    assert mock.fetch_trades(Timestamp.from_datetime(dt.datetime.now(dt.timezone.utc) + dt.timedelta(days=1))) == []
    snapshot = mock.account_snapshot([], [])
    snapshot.balances.sort(key=lambda balance: balance.asset)
    assert same_but_times(snapshot.to_json(), native["snapshot"])


def test_mock_fills_at_the_requests_price_with_fees(mock_config: MockExecutionConfig, instruments) -> None:
    """barter's documented fill rule, on values barter's mock reports: the quote balance falls by
    price * quantity * (1 + fees_percent), and the trade's fees are price * quantity * fees_percent."""
    mock = MockExecution(mock_config, instruments)
    events = mock.account_stream([], [])
    usdt_before = next(b for b in mock_config.initial_state.balances if b.asset == "usdt").balance.free
    mock.open_order(_request("BTCUSDT", "cid-1", Side.BUY, "87000.5", "0.01", OrderKind.MARKET))
    balance_event, trade_event = next(events), next(events)
    assert isinstance(balance_event.kind, UnindexedAccountEventKind.BALANCE_SNAPSHOT)
    assert isinstance(trade_event.kind, UnindexedAccountEventKind.TRADE)
    balance, trade = balance_event.kind[0], trade_event.kind[0]
    value = Decimal("87000.5") * Decimal("0.01")
    assert (trade.price, trade.quantity, trade.value_quote()) == (Decimal("87000.5"), Decimal("0.01"), value)
    assert trade.fees.fees == value * mock_config.fees_percent
    assert balance.asset == "usdt" and balance.balance.free == usdt_before - value - trade.fees.fees


def test_account_stream_times_out_and_ends_with_the_exchange(mock_config: MockExecutionConfig, instruments) -> None:
    mock = MockExecution(mock_config, instruments)
    events = mock.account_stream([], [])
    assert events.next(0.05) is None and not events.ended()
    with pytest.raises(BarterError.InvalidValue):
        events.next(-1.0)
    del mock  # stops barter's mock exchange: the stream ends
    assert list(events) == [] and events.ended()


def test_calls_from_threads_share_one_mock_exchange(mock_config: MockExecutionConfig, instruments) -> None:
    mock = MockExecution(mock_config, instruments)
    responses = []
    threads = [threading.Thread(target=lambda n=n: responses.append(mock.open_order(_request("BTCUSDT", f"cid-{n}", Side.BUY, "1", "0.01", OrderKind.MARKET)))) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(response.state[0].id for response in responses) == [str(n) for n in range(8)]  # barter's order id sequence
    assert len(mock.fetch_trades(ts("2000-01-01T00:00:00Z"))) == 8


def test_mock_of_an_exchange_without_instruments_is_refused(mock_config: MockExecutionConfig, instruments) -> None:
    with pytest.raises(BarterError.Index, match="kraken|Kraken"):
        MockExecution(MockExecutionConfig(mocked_exchange=ExchangeId.KRAKEN, initial_state=mock_config.initial_state, latency_ms=0, fees_percent=Decimal(0)), instruments)


# --- Properties: any value barter can hold survives Python → Rust → Python and barter's JSON.

names = st.text()
opens = st.builds(Open, id=names, time_exchange=timestamps, filled_quantity=barter_decimals)
time_in_force = st.one_of(st.booleans().map(lambda post_only: TimeInForce.GOOD_UNTIL_CANCELLED(post_only=post_only)), st.just(TimeInForce.GOOD_UNTIL_END_OF_DAY()), st.just(TimeInForce.FILL_OR_KILL()), st.just(TimeInForce.IMMEDIATE_OR_CANCEL()))
api_errors = st.one_of(
    st.builds(UnindexedApiError.ASSET_INVALID, names, names),
    st.builds(UnindexedApiError.INSTRUMENT_INVALID, names, names),
    st.builds(UnindexedApiError.BALANCE_INSUFFICIENT, names, names),
    st.builds(UnindexedApiError.ORDER_REJECTED, names),
    st.just(UnindexedApiError.RATE_LIMIT()),
)
states = st.one_of(
    opens.map(lambda open_: UnindexedOrderState.ACTIVE(ActiveOrderState.OPEN(open_))),
    st.builds(Cancelled, id=names, time_exchange=timestamps).map(lambda c: UnindexedOrderState.INACTIVE(UnindexedInactiveOrderState.CANCELLED(c))),
    api_errors.map(lambda e: UnindexedOrderState.INACTIVE(UnindexedInactiveOrderState.OPEN_FAILED(UnindexedOrderError.REJECTED(e)))),
)
orders = st.builds(
    UnindexedOrder,
    key=st.builds(UnindexedOrderKey, exchange=st.sampled_from(ExchangeId), instrument=names, strategy=names, cid=names),
    side=st.sampled_from(Side), price=barter_decimals, quantity=barter_decimals, kind=st.sampled_from(OrderKind), time_in_force=time_in_force, state=states,
)
balances = st.builds(UnindexedAssetBalance, asset=names, balance=st.builds(Balance, total=barter_decimals, free=barter_decimals), time_exchange=timestamps)
events = st.builds(UnindexedAccountEvent, exchange=st.sampled_from(ExchangeId), kind=st.one_of(orders.map(UnindexedAccountEventKind.ORDER_SNAPSHOT), balances.map(UnindexedAccountEventKind.BALANCE_SNAPSHOT)))


@given(events)
def test_any_account_event_round_trips_through_barters_json(event: UnindexedAccountEvent) -> None:
    assert UnindexedAccountEvent.from_json(event.to_json()) == event


@given(orders)
def test_any_order_keeps_exact_decimals_and_nanoseconds(order_: UnindexedOrder) -> None:
    back = UnindexedOrder.from_json(order_.to_json())
    assert (back.price.as_tuple(), back.quantity.as_tuple()) == (order_.price.as_tuple(), order_.quantity.as_tuple())
    assert back.state == order_.state


# --- Bad input: a typed BarterError naming the field, never a crash.

def test_malformed_json_names_the_line_and_field() -> None:
    with pytest.raises(BarterError.Json) as error:
        Order.from_json('{"key":\n nope}')
    assert error.value.line == 2
    text = json.loads(order(STATES[1]).to_json())
    text["kind"] = "Stop"
    with pytest.raises(BarterError.Json, match=r"kind: unknown variant `Stop`"):
        Order.from_json(json.dumps(text))
    text = json.loads(order(STATES[1]).to_json())
    text["key"]["instrument"] = -1
    with pytest.raises(BarterError.Json, match=r"key\.instrument: invalid value: integer `-1`"):
        Order.from_json(json.dumps(text))
    with pytest.raises(BarterError.Json, match=r"state\.Active\.Open\.filled_quantity"):
        Order.from_json(order(STATES[1]).to_json().replace('"0.005"', '"nope"'))


def test_values_barter_cannot_hold_are_refused() -> None:
    with pytest.raises(BarterError.Index):
        OrderKey(exchange=ExchangeIndex(-1), instrument=InstrumentIndex(0), strategy="s", cid="c")
    for bad in (Decimal("NaN"), Decimal("1E+40"), Decimal("0." + "1" * 40)):
        with pytest.raises(BarterError.InvalidValue):
            Balance(total=bad, free=Decimal(0)).to_json()
    with pytest.raises(TypeError):
        Balance(total=1.5, free=Decimal(0)).to_json()
    with pytest.raises(BarterError.InvalidValue, match="overflows"):
        Balance(total=Decimal("79228162514264337593543950335"), free=Decimal("-1")).used()
