"""barter-data's market events from Python: barter's JSON, values through Rust and back, bulk loading.

The JSON references are barter's own serde output: its example data file (tests/json.rs checks
that every line is what barter's serde writes) and `data_samples` (written by tests/json.rs).
"""

from __future__ import annotations

import array
import json
import math
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from barter import BarterError, Timestamp
from barter.backtest import MarketDataInMemory
from barter.data import (
    Candle,
    DataError,
    DataKind,
    Level,
    Liquidation,
    MarketEvent,
    MarketStreamEvent,
    OrderBook,
    OrderBookEvent,
    OrderBookL1,
    PublicTrade,
    SubKind,
    Subscription,
    exchange_supports_instrument_kind,
    exchange_supports_instrument_kind_sub_kind,
)
from barter.instrument import (
    ExchangeId,
    IndexError,
    InstrumentIndex,
    MarketDataFutureContract,
    MarketDataInstrument,
    MarketDataInstrumentKind,
    MarketDataOptionContract,
    OptionExercise,
    OptionKind,
    Side,
)

from conftest import DATA_PATH
from strategies import barter_decimals, timestamps

LINES = DATA_PATH.read_text().splitlines()


def ts(text: str) -> Timestamp:
    return Timestamp.from_rfc3339(text)


def test_every_event_of_barters_file_round_trips_through_python_to_barters_json() -> None:
    for number, line in enumerate(LINES, 1):
        event = MarketStreamEvent.from_json(line)
        assert event.to_json() == line, f"line {number}"


def test_events_read_as_barter_wrote_them() -> None:
    trade_line = next(line for line in LINES if '"Trade"' in line)
    event = MarketStreamEvent.from_json(trade_line)
    raw = json.loads(trade_line)["Item"]
    assert isinstance(event, MarketStreamEvent.ITEM)
    item = event[0]
    assert item.exchange is ExchangeId.BINANCE_SPOT
    assert item.instrument == InstrumentIndex(raw["instrument"])
    assert item.time_received == ts(raw["time_received"])
    trade = item.kind[0]
    assert trade == PublicTrade(id=raw["kind"]["Trade"]["id"], price=raw["kind"]["Trade"]["price"], amount=raw["kind"]["Trade"]["amount"], side=Side[raw["kind"]["Trade"]["side"].upper()])


def _samples() -> dict[str, object]:
    """The values tests/json.rs serialised natively, built here in Python."""
    return {
        "candle": DataKind.CANDLE(Candle(close_time=ts("2025-03-25T23:07:59.999999999Z"), open=87232.0, high=87300.5, low=87100.25, close=87250.75, volume=12.5, trade_count=42)),
        "liquidation": DataKind.LIQUIDATION(Liquidation(side=Side.SELL, price=87000.5, quantity=0.25, time=ts("2025-03-25T23:07:01.5Z"))),
        # Unsorted, as given to barter's OrderBook::new: barter sorts them.
        "order_book_snapshot": DataKind.ORDER_BOOK(OrderBookEvent.SNAPSHOT(_book())),
        "order_book_update": DataKind.ORDER_BOOK(OrderBookEvent.UPDATE(OrderBook(sequence=8, time_engine=None, bids=[], asks=[Level(price=Decimal("87234"), amount=Decimal("0"))]))),
        "candle_event": MarketStreamEvent.ITEM(MarketEvent(
            time_exchange=ts("2025-03-25T23:08:00Z"),
            time_received=ts("2025-03-25T23:08:00.000123Z"),
            exchange=ExchangeId.KRAKEN,
            instrument=InstrumentIndex(2),
            kind=DataKind.CANDLE(Candle(close_time=ts("2025-03-25T23:07:59.999999999Z"), open=87232.0, high=87300.5, low=87100.25, close=87250.75, volume=12.5, trade_count=42)),
        )),
        "reconnecting": MarketStreamEvent.RECONNECTING(ExchangeId.KRAKEN),
        "l1": _l1(),
    }


def _book() -> OrderBook:
    level = lambda price, amount: Level(price=Decimal(price), amount=Decimal(amount))  # noqa: E731
    return OrderBook(
        sequence=7,
        time_engine=ts("2025-03-25T23:07:00.000000001Z"),
        bids=[level("87231.5", "0.5"), level("87232.00", "1.25")],
        asks=[level("87233.1", "2"), level("87232.01", "0.001")],
    )


def _l1() -> OrderBookL1:
    return OrderBookL1(
        last_update_time=ts("2025-03-25T23:07:00.5Z"),
        best_bid=Level(price=Decimal("87231.5"), amount=Decimal("0.5")),
        best_ask=Level(price=Decimal("87232.01"), amount=Decimal("1.75")),
    )


@pytest.mark.parametrize("name", ["candle", "liquidation", "order_book_snapshot", "order_book_update", "candle_event", "reconnecting", "l1"])
def test_values_built_in_python_write_barters_json(name: str, data_samples: dict[str, str]) -> None:
    value = _samples()[name]
    assert value.to_json() == data_samples[name]
    if name.startswith("order_book"):
        # barter's own quirk, natively too: OrderBookSide skips `side` when it serialises but
        # requires it when it deserialises, so barter cannot read the order books it writes.
        with pytest.raises(BarterError.Json, match=r"OrderBook\.(Snapshot|Update)\.bids: missing field `side`"):
            type(value).from_json(data_samples[name])
    else:
        assert type(value).from_json(data_samples[name]) == value


def test_mid_prices_are_barters(data_samples: dict[str, str]) -> None:
    assert _l1().mid_price() == Decimal(data_samples["l1_mid_price"])
    assert _l1().volume_weighed_mid_price() == Decimal(data_samples["l1_volume_weighed_mid_price"])
    assert _book().mid_price() == Decimal(data_samples["book_mid_price"])
    assert _book().volume_weighed_mid_price() == Decimal(data_samples["book_volume_weighed_mid_price"])
    assert OrderBookL1(last_update_time=ts("2025-01-01T00:00:00Z"), best_bid=None, best_ask=_l1().best_ask).mid_price() is None


def test_values_compare_by_value_and_levels_hash() -> None:
    assert _samples()["candle_event"] == _samples()["candle_event"]
    assert _samples()["candle"] != _samples()["liquidation"]
    assert {Level(price=Decimal("1.0"), amount=Decimal("2")): 1}[Level(price=Decimal("1.0"), amount=Decimal("2"))] == 1
    assert repr(_samples()["reconnecting"]) == f"MarketStreamEvent.RECONNECTING({ExchangeId.KRAKEN!r})"


# --- Properties: any value barter can hold survives Python → Rust → Python and barter's JSON.

trades = st.builds(PublicTrade, id=st.text(), price=st.floats(allow_nan=False, allow_infinity=False), amount=st.floats(allow_nan=False, allow_infinity=False), side=st.sampled_from(Side))
levels = st.builds(Level, price=barter_decimals, amount=barter_decimals)
events = st.builds(
    MarketEvent,
    time_exchange=timestamps,
    time_received=timestamps,
    exchange=st.sampled_from(ExchangeId),
    instrument=st.integers(min_value=0, max_value=2**32).map(InstrumentIndex),
    kind=st.one_of(
        trades.map(DataKind.TRADE),
        st.builds(OrderBookL1, last_update_time=timestamps, best_bid=st.none() | levels, best_ask=st.none() | levels).map(DataKind.ORDER_BOOK_L1),
        st.builds(Liquidation, side=st.sampled_from(Side), price=st.floats(allow_nan=False, allow_infinity=False), quantity=st.floats(allow_nan=False, allow_infinity=False), time=timestamps).map(DataKind.LIQUIDATION),
    ),
)


@given(events)
def test_any_market_event_round_trips_through_barters_json(event: MarketEvent) -> None:
    assert MarketEvent.from_json(event.to_json()) == event


@given(levels)
def test_any_level_keeps_its_exact_decimals(level: Level) -> None:
    back = Level.from_json(level.to_json())
    assert (back.price, back.amount) == (level.price, level.amount)


# --- Bad input: a typed exception naming what is wrong, never a crash.

def test_malformed_json_names_the_line() -> None:
    with pytest.raises(BarterError.Json) as error:
        MarketEvent.from_json('{"time_exchange":\n nope}')
    assert error.value.line == 2


def test_unknown_names_are_reported_with_their_field() -> None:
    line = LINES[0].replace('"binance_spot"', '"nope"')
    with pytest.raises(BarterError.Json, match=r"Item\.exchange: unknown variant `nope`"):
        MarketStreamEvent.from_json(line)
    with pytest.raises(BarterError.Json, match=r"Item\.instrument: invalid value: integer `-1`"):
        MarketStreamEvent.from_json(LINES[0].replace('"instrument":1', '"instrument":-1'))


def test_bad_values_raise_typed_errors() -> None:
    with pytest.raises(BarterError.Index, match="InstrumentIndex -1"):
        InstrumentIndex(-1)
    with pytest.raises(BarterError.InvalidValue):
        Level(price=Decimal("NaN"), amount=Decimal(1)).to_json()
    with pytest.raises(BarterError.InvalidValue):
        Level(price=Decimal("1e40"), amount=Decimal(1)).to_json()
    with pytest.raises(TypeError):
        Level(price=1.5, amount=Decimal(1)).to_json()


# --- Bulk loading: barter's JSON lines, columns of plain values, and events one by one.

def test_json_lines_written_back_are_barters_file() -> None:
    assert MarketDataInMemory.from_json_lines_file(str(DATA_PATH)).to_json_lines() == DATA_PATH.read_bytes()


def _columns(lines: list[str]) -> dict[str, object]:
    columns: dict[str, array.array] = {name: array.array(code) for name, code in [
        ("kind", "B"), ("instrument", "q"), ("time_exchange", "q"), ("time_received", "q"), ("price", "d"),
        ("amount", "d"), ("ask_price", "d"), ("ask_amount", "d"), ("side", "B"),
    ]}
    ids = []
    for line in lines:
        item = MarketStreamEvent.from_json(line)[0]
        trade = isinstance(item.kind, DataKind.TRADE)
        kind = item.kind[0]
        bid, ask = (None, None) if trade else (kind.best_bid, kind.best_ask)
        columns["kind"].append(0 if trade else 1)
        columns["instrument"].append(item.instrument)
        columns["time_exchange"].append(item.time_exchange.timestamp_ns())
        columns["time_received"].append(item.time_received.timestamp_ns())
        columns["price"].append(kind.price if trade else float(bid.price) if bid else math.nan)
        columns["amount"].append(kind.amount if trade else float(bid.amount) if bid else math.nan)
        columns["ask_price"].append(math.nan if trade or not ask else float(ask.price))
        columns["ask_amount"].append(math.nan if trade or not ask else float(ask.amount))
        columns["side"].append(0 if not trade or kind.side is Side.BUY else 1)
        ids.append(kind.id if trade else "")
    return {**columns, "trade_id": ids}


def test_columns_load_the_same_events_as_barters_json_lines() -> None:
    lines = LINES[:2000]
    data = MarketDataInMemory.from_columns(ExchangeId.BINANCE_SPOT, **_columns(lines))
    assert len(data) == len(lines)
    loaded = [MarketStreamEvent.from_json(line) for line in data.to_json_lines().decode().splitlines()]
    # Equal values; L1 Decimals come from floats, so "2059.10000000" reads back as 2059.1.
    assert loaded == [MarketStreamEvent.from_json(line) for line in lines]


def test_events_one_by_one_load_as_barters_json_lines() -> None:
    events = [MarketStreamEvent.from_json(line) for line in LINES[:100]]
    assert MarketDataInMemory.from_events(events).to_json_lines().decode().splitlines() == LINES[:100]


def test_bad_columns_name_the_column_and_row() -> None:
    columns = _columns(LINES[:3])
    cases = [
        ({"price": columns["price"][:2]}, "price", None, "16 bytes, but 3 rows need 24"),
        ({"kind": [1, 7, 1]}, "kind", 1, "7 is neither"),
        ({"instrument": [-4, 0, 0]}, "instrument", 0, "-4 is negative"),
        ({"trade_id": ["a", "b"]}, "trade_id", None, "2 ids for 3 rows"),
    ]
    for change, column, row, reason in cases:
        with pytest.raises(BarterError.Column) as raised:
            MarketDataInMemory.from_columns(ExchangeId.BINANCE_SPOT, **{**columns, **change})
        assert (raised.value.column, raised.value.row) == (column, row)
        assert raised.value.reason.startswith(reason)
    with pytest.raises(BarterError.InvalidInput, match="no market event"):
        MarketDataInMemory.from_events([])


# Subscriptions: barter's JSON, and which exchanges barter's connectors support.

def _market_data_kinds() -> list[MarketDataInstrumentKind]:
    expiry = Timestamp.from_rfc3339("2026-06-26T08:00:00Z")
    return [
        MarketDataInstrumentKind.SPOT(),
        MarketDataInstrumentKind.PERPETUAL(),
        MarketDataInstrumentKind.FUTURE(MarketDataFutureContract(expiry=expiry)),
        MarketDataInstrumentKind.OPTION(MarketDataOptionContract(kind=OptionKind.PUT, exercise=OptionExercise.AMERICAN, expiry=expiry, strike=Decimal("95000.5"))),
    ]


def test_subscriptions_built_in_python_are_barters(instrument_samples: dict) -> None:
    kinds = _market_data_kinds()
    for kind, expected in zip(kinds, instrument_samples["market_data_instruments"], strict=True):
        instrument = MarketDataInstrument(base="btc", quote="usdt", kind=kind)
        assert instrument.to_json() == expected and MarketDataInstrument.from_json(expected) == instrument
    subscription = Subscription(exchange=ExchangeId.OKX, instrument=MarketDataInstrument(base="btc", quote="usd", kind=kinds[3]), kind=SubKind.PUBLIC_TRADES)
    assert subscription.to_json() == instrument_samples["subscription"]
    assert {subscription: 1}[Subscription.from_json(instrument_samples["subscription"])] == 1
    # barter's alias "type" for the kind is read too.
    assert Subscription.from_json(instrument_samples["subscription"].replace('"kind":"PublicTrades"', '"type":"PublicTrades"')) == subscription


def test_exchange_support_is_barters_for_every_exchange(instrument_samples: dict) -> None:
    supports = instrument_samples["supports"]
    assert set(supports) == {json.loads(exchange.to_json()) for exchange in ExchangeId}
    for exchange in ExchangeId:
        for kind, expected in zip(_market_data_kinds(), supports[json.loads(exchange.to_json())], strict=True):
            assert exchange_supports_instrument_kind(exchange, kind) is expected["any"], (exchange, kind)
            assert [exchange_supports_instrument_kind_sub_kind(exchange, kind, sub_kind) for sub_kind in SubKind] == expected["sub_kinds"], (exchange, kind)


def test_data_errors_read_and_write_barters_json(instrument_samples: dict) -> None:
    errors = [DataError.from_json(sample["json"]) for sample in instrument_samples["data_errors"]]
    assert [error.to_json() for error in errors] == [sample["json"] for sample in instrument_samples["data_errors"]]
    assert errors[6] == DataError.UNSUPPORTED(exchange=ExchangeId.KRAKEN, sub_kind=SubKind.LIQUIDATIONS)
    assert repr(errors[6]) == f"DataError.UNSUPPORTED(exchange={ExchangeId.KRAKEN!r}, sub_kind={SubKind.LIQUIDATIONS!r})"
    assert errors[0] == DataError.INDEX(IndexError.INSTRUMENT_INDEX("InstrumentIndex(9)"))
    with pytest.raises(BarterError.Json, match=r"Unsupported\.sub_kind: unknown variant `Trades`"):
        DataError.from_json('{"Unsupported":{"exchange":"kraken","sub_kind":"Trades"}}')
