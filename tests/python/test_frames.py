"""Market data from frames (issue 14): pyarrow, pandas and polars frames, Parquet and CSV files of
barter's 50,000 example events load, event by event, as barter's own JSON-lines file; bad frames
raise ``BarterError.Column`` naming the column and row.

The frames are written out here from barter's JSON lines with the json module (times to UTC
nanoseconds by hand, instruments by name, L1 levels as the file's exact decimals), so every
expected value comes from the data, and barter's serde writes the loaded events back.
"""

from __future__ import annotations

import calendar
import json
import time
from decimal import Decimal
from typing import Any

import pandas as pd
import polars as pl
import pyarrow as pa
import pyarrow.csv
import pyarrow.parquet
import pytest

from barter.backtest import BarterError, MarketDataInMemory, TimeOrder, from_arrow
from barter.instrument import IndexedInstruments
from barter.system import BacktestConfig

from conftest import DATA_PATH

FILE = DATA_PATH.read_bytes()
ITEMS = [json.loads(line)["Item"] for line in FILE.decode().splitlines()]
LEVEL = pa.decimal128(20, 8)  # every level of the file has 8 decimal places


def _nanos(text: str) -> int:
    """RFC 3339 UTC text (``2025-03-25T23:07:00.773674205Z``) as nanoseconds since the epoch."""
    whole, _, fraction = text.removesuffix("Z").partition(".")
    return calendar.timegm(time.strptime(whole, "%Y-%m-%dT%H:%M:%S")) * 10**9 + int(fraction.ljust(9, "0"))


@pytest.fixture(scope="module")
def instruments(config: BacktestConfig) -> IndexedInstruments:
    return IndexedInstruments(config.system().instruments())


def _names(instruments: IndexedInstruments) -> list[str]:
    return [str(keyed.value.name_internal) for keyed in instruments.instruments()]


def _table(instruments: IndexedInstruments) -> pa.Table:
    """barter's example file as a table, one row per event."""
    names = _names(instruments)
    columns: dict[str, list[Any]] = {name: [] for name in (
        "time_exchange", "time_received", "exchange", "instrument", "kind", "price", "amount", "side",
        "trade_id", "bid_price", "bid_amount", "ask_price", "ask_amount",
    )}  # fmt: skip
    for item in ITEMS:
        trade, book = item["kind"].get("Trade"), item["kind"].get("OrderBookL1")
        columns["time_exchange"].append(_nanos(item["time_exchange"]))
        columns["time_received"].append(_nanos(item["time_received"]))
        columns["exchange"].append(item["exchange"])
        columns["instrument"].append(names[item["instrument"]])
        columns["kind"].append("trade" if trade else "order_book_l1")
        columns["price"].append(trade and trade["price"])
        columns["amount"].append(trade and trade["amount"])
        columns["side"].append(trade and trade["side"].lower())
        columns["trade_id"].append(trade and trade["id"])
        for side in ("bid", "ask"):
            level = book and book[f"best_{side}"]
            columns[f"{side}_price"].append(level and Decimal(level["price"]))
            columns[f"{side}_amount"].append(level and Decimal(level["amount"]))
    utc = pa.timestamp("ns", tz="UTC")
    types = {"time_exchange": utc, "time_received": utc, "price": pa.float64(), "amount": pa.float64()}
    types |= {f"{side}_{what}": LEVEL for side in ("bid", "ask") for what in ("price", "amount")}
    return pa.table({name: pa.array(values, type=types.get(name, pa.string())) for name, values in columns.items()})


@pytest.fixture(scope="module")
def table(instruments: IndexedInstruments) -> pa.Table:
    return _table(instruments)


def _load(data: Any, instruments: IndexedInstruments) -> bytes:
    # barter's file is merged from several streams, not sorted by time: keep it as given.
    return from_arrow(data, instruments, TimeOrder.AS_GIVEN).to_json_lines()


def test_the_table_holds_barters_file() -> None:
    kinds = [next(iter(item["kind"])) for item in ITEMS]
    assert (len(ITEMS), kinds.count("Trade"), kinds.count("OrderBookL1")) == (50_000, 11_032, 38_968)


def test_a_pyarrow_table_loads_as_barters_json_lines(table: pa.Table, instruments: IndexedInstruments) -> None:
    assert _load(table, instruments) == FILE
    assert _load(table.combine_chunks().to_batches()[0], instruments) == FILE
    assert _load(pa.RecordBatchReader.from_batches(table.schema, table.to_batches(max_chunksize=7_000)), instruments) == FILE


def test_a_pandas_frame_loads_as_barters_json_lines(table: pa.Table, instruments: IndexedInstruments) -> None:
    frame = table.to_pandas()
    assert str(frame["time_exchange"].dtype) == "datetime64[ns, UTC]"
    assert _load(frame, instruments) == FILE
    # Names as categoricals, as pandas users hold repeated text.
    frame["instrument"] = frame["instrument"].astype("category")
    assert _load(frame, instruments) == FILE


def test_a_polars_frame_loads_as_barters_json_lines(table: pa.Table, instruments: IndexedInstruments) -> None:
    frame = pl.from_arrow(table)
    assert isinstance(frame, pl.DataFrame)
    assert frame.schema["time_exchange"] == pl.Datetime("ns", "UTC")
    assert _load(frame, instruments) == FILE


def test_parquet_and_csv_files_load_in_rust_as_barters_json_lines(table: pa.Table, instruments: IndexedInstruments, tmp_path: Any) -> None:
    parquet, csv = tmp_path / "events.parquet", tmp_path / "events.csv"
    pyarrow.parquet.write_table(table, parquet, row_group_size=9_000)
    pyarrow.csv.write_csv(table, csv)
    assert MarketDataInMemory.from_parquet_file(str(parquet), instruments, TimeOrder.AS_GIVEN).to_json_lines() == FILE
    assert MarketDataInMemory.from_csv_file(str(csv), instruments, TimeOrder.AS_GIVEN).to_json_lines() == FILE


def test_one_kind_of_rows_needs_no_kind_column(table: pa.Table, instruments: IndexedInstruments) -> None:
    trades = table.filter(pa.compute.equal(table["kind"], "trade"))
    trades = trades.select(["time_exchange", "time_received", "instrument", "price", "amount", "side", "trade_id"])
    lines = [line for line in FILE.decode().splitlines() if '"Trade"' in line]
    assert _load(trades, instruments).decode().splitlines() == lines


def test_instruments_are_found_by_name_whatever_their_index(table: pa.Table, config: BacktestConfig) -> None:
    # barter indexes instruments in its own order: without BTC, ETH is index 0, not 1.
    all_names = _names(IndexedInstruments(config.system().instruments()))
    fewer = IndexedInstruments(config.system().instruments()[1:])
    assert _names(fewer) == all_names[1:]
    without_btc = table.filter(pa.compute.not_equal(table["instrument"], all_names[0]))
    loaded = [json.loads(line)["Item"] for line in _load(without_btc, fewer).decode().splitlines()]
    expected = [all_names[item["instrument"]] for item in ITEMS if item["instrument"] != 0]
    assert [_names(fewer)[item["instrument"]] for item in loaded] == expected
    # A name the system does not list is refused, never booked on another instrument.
    with pytest.raises(BarterError.Column) as refused:
        _load(table, fewer)
    first_btc = next(row for row, item in enumerate(ITEMS) if item["instrument"] == 0)
    assert (refused.value.column, refused.value.row) == ("instrument", first_btc)


def test_exchange_names_of_instruments_are_found_too(table: pa.Table, instruments: IndexedInstruments) -> None:
    by_exchange = {str(keyed.value.name_internal): str(keyed.value.name_exchange) for keyed in instruments.instruments()}
    renamed = table.set_column(3, "instrument", pa.array([by_exchange[name] for name in table["instrument"].to_pylist()]))
    assert _load(renamed, instruments) == FILE


def test_sorting_is_refused_unless_asked_for(table: pa.Table, instruments: IndexedInstruments) -> None:
    times = [_nanos(item["time_exchange"]) for item in ITEMS]
    first_back = next(row for row in range(1, len(times)) if times[row] < times[row - 1])
    with pytest.raises(BarterError.Column) as refused:
        from_arrow(table, instruments)
    assert (refused.value.column, refused.value.row) == ("time_exchange", first_back)
    # Sorted stably by exchange time: rows of one time keep the file's order.
    expected = [line for _, line in sorted(zip(times, FILE.decode().splitlines()), key=lambda pair: pair[0])]
    assert from_arrow(table, instruments, TimeOrder.SORT).to_json_lines().decode().splitlines() == expected


def _with(table: pa.Table, column: str, row: int, value: Any) -> pa.Table:
    values = table[column].to_pylist()
    values[row] = value
    return table.set_column(table.schema.get_field_index(column), column, pa.array(values, type=table.schema.field(column).type))


def _row(kind: str | None) -> int:
    """The first row past 20,000 (in the stream's fourth batch) of the kind a case needs."""
    return next(row for row in range(20_000, len(ITEMS)) if kind is None or kind in ITEMS[row]["kind"])


BAD_CELLS = [
    ("instrument", None, "binancespot-doge_usdt", "is not one of the system's instruments"),
    ("instrument", None, None, "null"),
    ("exchange", None, "kraken", "is not one of the system's exchanges"),
    ("kind", None, "candle", "is neither"),
    ("price", "Trade", float("nan"), "is not a finite number"),
    ("price", "Trade", -1.0, "is not a finite number >= 0"),
    ("amount", "Trade", -0.5, "is not a finite number >= 0"),
    ("side", "Trade", "hold", "is neither"),
    ("side", "Trade", None, "needs its side"),
    ("bid_price", "OrderBookL1", Decimal("-1"), "negative"),
    ("ask_amount", "OrderBookL1", None, "null where ask_price is given"),
    ("time_exchange", None, None, "null"),
    ("time_received", None, 1_700_000_000, "outside"),  # seconds where nanoseconds are meant
]


@pytest.mark.parametrize(("column", "kind", "value", "reason"), BAD_CELLS, ids=[f"{c}-{v}" for c, _, v, _ in BAD_CELLS])
def test_a_bad_cell_names_its_column_and_row(
    table: pa.Table, instruments: IndexedInstruments, column: str, kind: str | None, value: Any, reason: str
) -> None:
    row = _row(kind)
    bad = _with(table, column, row, value)
    # In a stream of several batches, rows count from the table's first.
    with pytest.raises(BarterError.Column) as refused:
        from_arrow(pa.RecordBatchReader.from_batches(bad.schema, bad.to_batches(max_chunksize=6_000)), instruments, TimeOrder.AS_GIVEN)
    assert (refused.value.column, refused.value.row) == (column, row)
    assert reason in refused.value.reason


def _retyped(table: pa.Table, column: str, array: pa.Array) -> pa.Table:
    return table.set_column(table.schema.get_field_index(column), column, array)


def test_times_in_a_wrong_unit_or_zone_are_refused(table: pa.Table, instruments: IndexedInstruments) -> None:
    nanos = table["time_exchange"].cast(pa.int64())
    seconds = pa.compute.divide(nanos, 10**9)
    cases = {
        "seconds as int64": (_retyped(table, "time_exchange", seconds), 0, "outside"),
        "milliseconds typed as nanoseconds": (
            _retyped(table, "time_exchange", pa.compute.divide(nanos, 10**6).cast(pa.timestamp("ns", tz="UTC"))), 0, "outside"
        ),
        "naive": (_retyped(table, "time_exchange", table["time_exchange"].cast(pa.timestamp("ns"))), None, "without a time zone"),
        "a float": (_retyped(table, "time_exchange", nanos.cast(pa.float64(), safe=False)), None, "expected a timestamp"),
    }
    for case, (bad, row, reason) in cases.items():
        with pytest.raises(BarterError.Column) as refused:
            from_arrow(bad, instruments, TimeOrder.AS_GIVEN)
        assert (refused.value.column, refused.value.row) == ("time_exchange", row), case
        assert reason in refused.value.reason, case
    # Any unit with a zone is read: microseconds lose only what they never held.
    micros = table.slice(0, 3).select(["time_exchange", "instrument", "bid_price", "bid_amount", "ask_price", "ask_amount"])
    micros = _retyped(micros, "time_exchange", micros["time_exchange"].cast(pa.timestamp("us", tz="Europe/Paris"), safe=False))
    loaded = [json.loads(line)["Item"] for line in _load(micros, instruments).decode().splitlines()]
    assert [item["time_exchange"] for item in loaded] == [ITEMS[row]["time_exchange"][:26] + "Z" for row in range(3)]


def test_a_missing_column_is_named(table: pa.Table, instruments: IndexedInstruments) -> None:
    for column in ("instrument", "time_exchange"):
        with pytest.raises(BarterError.Column) as refused:
            from_arrow(table.drop_columns([column]), instruments, TimeOrder.AS_GIVEN)
        assert (refused.value.column, refused.value.row) == (column, None)
        assert "missing" in refused.value.reason
    with pytest.raises(BarterError.Column) as refused:
        from_arrow(table.drop_columns(["kind"]), instruments, TimeOrder.AS_GIVEN)
    assert refused.value.column == "kind"


def test_what_is_not_a_table_is_a_type_error(instruments: IndexedInstruments) -> None:
    with pytest.raises(TypeError, match="expected an Arrow table"):
        from_arrow([{"instrument": "x"}], instruments)
    with pytest.raises(BarterError.InvalidInput, match="table"):
        MarketDataInMemory.from_arrow_ipc(b"not arrow", instruments, TimeOrder.SORTED)
