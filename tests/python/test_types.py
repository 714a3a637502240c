"""Barter's scalar types cross exactly: Decimal, nanosecond timestamps, enums, hashable keys."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from barter import BarterError, Timestamp
from barter.backtest import BacktestConfig
from barter.data import DataKind, Level, MarketEvent, MarketStreamEvent
from barter.execution import Balance, TimeInForce
from barter.instrument import ExchangeAsset, ExchangeId, InstrumentIndex, Side

from conftest import DATA_PATH
from strategies import barter_decimals



@given(barter_decimals)
def test_decimal_round_trips_through_rust_exactly(config, value):
    returned = BacktestConfig(value, config.system()).risk_free_return()
    assert returned == value
    assert returned.as_tuple().exponent == value.as_tuple().exponent  # scale kept, not normalised


def test_decimal_extremes(config):
    for value in (Decimal("79228162514264337593543950335"), Decimal("-79228162514264337593543950335"), Decimal("0.0000000000000000000000000001")):
        assert BacktestConfig(value, config.system()).risk_free_return() == value


def test_market_data_timestamps_keep_nanoseconds(market_data):
    first = json.loads(DATA_PATH.open().readline())["Item"]["time_exchange"]
    time = market_data.time_first_event()

    assert isinstance(time, Timestamp) and time.tzinfo == dt.timezone.utc
    assert time.to_rfc3339() == first  # barter's data carries all nine digits
    assert time.nanosecond == int(first[-4:-1])


@given(st.datetimes(min_value=dt.datetime(1, 1, 2), max_value=dt.datetime(9999, 12, 30), timezones=st.just(dt.timezone.utc)), st.integers(0, 999))
def test_timestamp_text_round_trip(value, nanosecond):
    stamp = Timestamp.from_datetime(value, nanosecond)
    assert Timestamp.from_rfc3339(stamp.to_rfc3339()) == stamp
    assert stamp.nanosecond == nanosecond
    assert (stamp == value) == (nanosecond == 0)


def test_naive_datetime_is_refused():
    try:
        Timestamp.from_datetime(dt.datetime(2025, 1, 1))
    except BarterError.InvalidValue as error:
        assert "naive" in error.reason
    else:
        raise AssertionError("a naive datetime was accepted")


def test_enums_are_python_enums_with_barters_variants():
    # That they are every one of barter's exchanges: tests/python/test_data.py.
    assert ExchangeId.BINANCE_SPOT in ExchangeId
    assert [side.name for side in Side] == ["BUY", "SELL"]


def test_barters_hash_records_are_dict_keys():
    key = ExchangeAsset(exchange=ExchangeId.BINANCE_SPOT, asset="usdt")
    same = ExchangeAsset(exchange=ExchangeId.BINANCE_SPOT, asset="usdt")
    assert {key: 1}[same] == 1
    assert hash(Balance(total=Decimal(1), free=Decimal(1))) == hash(Balance(total=Decimal(1), free=Decimal(1)))
    assert repr(key) == f"ExchangeAsset(exchange={ExchangeId.BINANCE_SPOT!r}, asset='usdt')"


def test_timestamp_equal_to_a_datetime_hashes_alike():
    plain = dt.datetime(2025, 3, 25, 12, tzinfo=dt.timezone.utc)
    stamp = Timestamp.from_datetime(plain)
    assert stamp == plain and plain in {stamp} and stamp in {plain}


def test_timestamp_in_another_zone_is_the_same_instant():
    est = dt.timezone(dt.timedelta(hours=-5))
    stamp = Timestamp.from_rfc3339("2025-03-25T12:00:00.123456789Z")
    assert stamp.astimezone(est) == stamp
    assert stamp.astimezone(est).to_rfc3339() == "2025-03-25T12:00:00.123456789Z"
    assert Timestamp.from_datetime(dt.datetime(2025, 1, 1, tzinfo=est)).to_rfc3339() == "2025-01-01T05:00:00.000000000Z"


def test_timestamp_keeps_nanoseconds_through_copies_and_arithmetic():
    import copy
    import pickle

    stamp = Timestamp.from_rfc3339("2025-03-25T12:00:00.123456789Z")
    for kept in (pickle.loads(pickle.dumps(stamp)), copy.copy(stamp), copy.deepcopy(stamp), stamp + dt.timedelta(0), dt.timedelta(0) + stamp, stamp - dt.timedelta(0), stamp.replace(tzinfo=dt.timezone.utc)):
        assert isinstance(kept, Timestamp) and kept.nanosecond == 789 and kept == stamp
    assert (stamp + dt.timedelta(days=1)).to_rfc3339() == "2025-03-26T12:00:00.123456789Z"


def test_timestamps_barter_may_hold_but_datetime_cannot_are_barter_errors():
    for text in ("2016-12-31T23:59:60Z", "10000-01-01T00:00:00Z"):
        try:
            Timestamp.from_rfc3339(text)
        except BarterError.InvalidValue:
            pass
        else:
            raise AssertionError(f"{text} was accepted")


def test_decimal_text_that_barter_would_round_is_refused(config):
    import pytest

    with pytest.raises(BarterError.InvalidValue):
        BacktestConfig("1.00000000000000000000000000000001E0", config.system())
    assert BacktestConfig("1E+2", config.system()).risk_free_return() == Decimal(100)


def test_records_are_dataclasses_with_barters_fields():
    text = DATA_PATH.open().readline()
    item = json.loads(text)["Item"]
    event = MarketEvent.from_json(json.dumps(item))

    assert [field.name for field in dataclasses.fields(event)] == list(item)  # barter's fields, in its order
    assert dataclasses.asdict(event)["exchange"] is ExchangeId.BINANCE_SPOT
    moved = dataclasses.replace(event, instrument=InstrumentIndex(2))
    assert (moved.instrument, moved.kind, moved.time_exchange) == (2, event.kind, event.time_exchange)
    assert moved != event and event == MarketEvent.from_json(json.dumps(item))
    # Another type is unequal, not an AttributeError.
    assert event != "event" and event != item and not (event == 1)


def test_variants_match_by_position_and_by_name():
    text = DATA_PATH.open().readline()
    item = json.loads(text)["Item"]
    bid = item["kind"]["OrderBookL1"]["best_bid"]

    match MarketStreamEvent.from_json(text):
        case MarketStreamEvent.ITEM(MarketEvent(instrument=instrument, kind=DataKind.ORDER_BOOK_L1(book))):
            assert instrument == item["instrument"]
            assert book.best_bid == Level(price=Decimal(bid["price"]), amount=Decimal(bid["amount"]))
        case other:
            raise AssertionError(f"no case matched {other!r}")

    match TimeInForce.GOOD_UNTIL_CANCELLED(True):  # a struct variant is a dataclass: positional and by name
        case TimeInForce.GOOD_UNTIL_CANCELLED(post_only) if post_only:
            pass
        case other:
            raise AssertionError(f"no case matched {other!r}")
    assert [field.name for field in dataclasses.fields(TimeInForce.GOOD_UNTIL_CANCELLED(False))] == ["post_only"]
    # A tuple variant has no named fields, and does not claim to be a dataclass.
    assert not dataclasses.is_dataclass(DataKind.TRADE) and DataKind.TRADE.__match_args__ == ("_0",)
    assert repr(TimeInForce.FILL_OR_KILL()) == "TimeInForce.FILL_OR_KILL()"
