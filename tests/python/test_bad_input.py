"""Bad input gives a typed `BarterError` carrying barter's message, never a crash or an empty result."""

from __future__ import annotations

import json
import pathlib
from decimal import Decimal

import pytest

from barter import BarterError, Timestamp
from barter.backtest import BacktestArgsConstant, BacktestArgsDynamic, BacktestConfig
from barter.backtest import MarketDataInMemory
from barter.statistic import SummaryInterval
from barter.system import SystemConfig

from conftest import CONFIG_PATH, DATA_PATH


def _config_json() -> dict:
    return json.loads(CONFIG_PATH.read_text())


def _data_lines(count: int) -> list[str]:
    with DATA_PATH.open() as lines:
        return [next(lines).rstrip("\n") for _ in range(count)]


def test_missing_config_file():
    with pytest.raises(BarterError.Io) as error:
        BacktestConfig.from_file("/nonexistent/backtest_config.json")
    assert error.value.path == "/nonexistent/backtest_config.json"
    assert "No such file" in error.value.reason


def test_malformed_config_reports_serdes_line():
    with pytest.raises(BarterError.Json) as error:
        BacktestConfig.from_json('{\n  "risk_free_return": 0.05,\n  "system": [\n')
    assert error.value.line == 4
    assert "EOF while parsing" in error.value.reason


def test_unknown_exchange_in_config():
    config = _config_json()
    config["system"]["instruments"][0]["exchange"] = "nasdaq"
    with pytest.raises(BarterError.Json) as error:
        BacktestConfig.from_json(json.dumps(config))
    assert "unknown variant `nasdaq`" in error.value.reason


def test_unknown_asset_in_mock_execution_balances(market_data):
    config = _config_json()
    config["system"]["executions"][0]["initial_state"]["balances"][0]["asset"] = "doge"
    with pytest.raises(BarterError.Index) as error:
        BacktestArgsConstant.from_config(BacktestConfig.from_json(json.dumps(config)), market_data, SummaryInterval.DAILY)
    assert "doge" in error.value.reason


def test_missing_market_data_file():
    with pytest.raises(BarterError.Io):
        MarketDataInMemory.from_json_lines_file("/nonexistent/market_data.json")


def test_bad_market_data_line_is_reported_by_number():
    lines = _data_lines(3)
    lines[2] = lines[2].replace('"time_exchange":', '"time_exchange_typo":')
    with pytest.raises(BarterError.Json) as error:
        MarketDataInMemory.from_json_lines("\n".join(lines).encode())
    assert error.value.line == 3
    assert "time_exchange" in error.value.reason


def test_market_data_that_is_not_json():
    with pytest.raises(BarterError.Json) as error:
        MarketDataInMemory.from_json_lines(b"\x00\xff not json")
    assert error.value.line == 1


@pytest.mark.parametrize("data", [b"", b"\n\n  \n"])
def test_empty_market_data_is_refused(data):
    # barter's MarketDataInMemory::new would panic on it
    with pytest.raises(BarterError.InvalidInput):
        MarketDataInMemory.from_json_lines(data)


def test_instrument_index_that_does_not_exist(config):
    lines = _data_lines(2)
    event = json.loads(lines[1])
    event["Item"]["instrument"] = 7
    market_data = MarketDataInMemory.from_json_lines("\n".join([lines[0], json.dumps(event)]).encode())
    with pytest.raises(BarterError.Index) as error:
        BacktestArgsConstant.from_config(config, market_data, SummaryInterval.DAILY)
    assert "market event 2" in error.value.reason and "InstrumentIndex(7)" in error.value.reason


def test_reconnection_of_an_exchange_that_does_not_exist(config):
    # barter's engine would panic mid-backtest on it
    market_data = MarketDataInMemory.from_json_lines("\n".join([_data_lines(1)[0], '{"Reconnecting":"kraken"}']).encode())
    with pytest.raises(BarterError.Index) as error:
        BacktestArgsConstant.from_config(config, market_data, SummaryInterval.DAILY)
    assert "market event 2" in error.value.reason and "kraken" in error.value.reason.lower()


def test_summary_values_from_python_that_barter_cannot_hold(args_daily):
    from barter.backtest import backtest

    summary = backtest(args_daily, BacktestArgsDynamic(id="x", risk_free_return=Decimal("0.05"))).summary().trading_summary
    next(iter(summary.instruments.values())).pnl = Decimal("1e40")
    with pytest.raises(BarterError.InvalidValue):
        summary.table()


def test_market_data_blank_lines_are_skipped_not_lost():
    lines = _data_lines(3)
    market_data = MarketDataInMemory.from_json_lines(("\n\n".join(lines) + "\n").encode())
    assert len(market_data) == 3


@pytest.mark.parametrize(
    ("value", "error"),
    [
        (Decimal("NaN"), BarterError.InvalidValue),
        (Decimal("Infinity"), BarterError.InvalidValue),
        (Decimal("1E+40"), BarterError.InvalidValue),  # beyond barter's 96-bit Decimal
        (Decimal("0." + "1" * 40), BarterError.InvalidValue),  # more digits than it holds exactly
        (0.05, TypeError),  # a float is not exact
    ],
)
def test_decimals_barter_cannot_hold_exactly(config, value, error):
    with pytest.raises(error):
        BacktestConfig(value, config.system())


def test_json_numbers_that_would_round_are_refused_naming_the_field():
    """barter's serde reads a JSON number into a Decimal through a float: a literal with more
    digits than a float holds would silently become another value (the constructor refuses the
    same value)."""
    config = json.loads(CONFIG_PATH.read_text())
    config["risk_free_return"] = 12345678901234567890123456789
    with pytest.raises(BarterError.InvalidValue, match=r"risk_free_return: 12345678901234567890123456789 would be read as 12345678901234568000000000000"):
        BacktestConfig.from_json(json.dumps(config))
    config["risk_free_return"] = 0.05
    config["system"]["executions"][0]["fees_percent"] = "literal"
    text = json.dumps(config).replace('"literal"', "0.1234567890123456789")  # json.dumps has no Decimal
    with pytest.raises(BarterError.InvalidValue, match=r"system\.executions\[0\]\.fees_percent: 0\.1234567890123456789"):
        BacktestConfig.from_json(text)
    # As a string, the Decimal is exact; numbers a float spells exactly pass as before.
    config["system"]["executions"][0]["fees_percent"] = "0.1234567890123456789"
    assert BacktestConfig.from_json(json.dumps(config)).system().executions()[0][0].fees_percent == Decimal("0.1234567890123456789")


def test_backtest_id_and_risk_free_return_are_checked(args_daily):
    from barter.backtest import backtest

    with pytest.raises(TypeError):
        backtest(args_daily, BacktestArgsDynamic(id="x", risk_free_return=0.05))


def test_system_config_round_trips_through_barters_json(config):
    system = config.system()
    assert SystemConfig.from_json(system.to_json()) == system


# --- Arguments of the wrong type: TypeError naming the argument, before the FFI (barter._check) ---


def test_a_wrong_type_raises_type_error_naming_its_path():
    from barter.data import Level, OrderBookL1
    from barter.instrument import Side

    book = OrderBookL1(last_update_time=Timestamp.from_rfc3339("2025-03-25T00:00:00Z"),
                       best_bid=Level(price=Decimal(1), amount=Side.BUY), best_ask=None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^book\.best_bid\.amount: expected Decimal, got Side <Side\.BUY"):
        book.mid_price()
    with pytest.raises(TypeError, match=r"^self: expected a value of one of barter's types, got int 1"):
        Side.to_json(1)  # type: ignore[arg-type]


def test_bools_lists_and_unit_records_take_only_their_own_type():
    """UniFFI's lowering would take 2 as a bool (a panic in Rust), iterate a str or bytes given
    for a list, and let any value stand for a record without fields."""
    from barter.engine import InstrumentFilter
    from barter.execution import OrderKind, TimeInForce
    from barter.instrument import InstrumentQuoteAsset, QuoteAsset
    from barter.integration import Value

    with pytest.raises(TypeError, match=r"^value\.post_only: expected bool, got int 2"):
        TimeInForce.GOOD_UNTIL_CANCELLED(post_only=2).to_json()  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^value\[0\]: expected bool, got int 135"):
        Value.BOOL(135).to_json()  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^exchanges: expected List\[ExchangeIndex\], got bytes b'x'"):
        InstrumentFilter.exchanges(b"x")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"^self: expected a value of one of barter's types, got str"):
        QuoteAsset.to_json("")  # type: ignore[arg-type]
    assert OrderKind.MARKET.to_json() == '"Market"' and InstrumentQuoteAsset.UNDERLYING_QUOTE.to_json() == '"UnderlyingQuote"'


def test_a_decimal_barter_cannot_hold_is_refused_before_the_call():
    """Refused in Python with the reason, also by functions without an error type, where Rust
    could only have panicked (InternalError)."""
    from barter.statistic import ProfitFactor

    for value, reason in [(Decimal("1E+30"), "out of barter's Decimal range"), (Decimal("79228162514264337593543950336"), "out of barter's Decimal range"),
                          (Decimal("1E-29"), "more than barter's 28 fractional digits")]:
        with pytest.raises(BarterError.InvalidValue, match=reason):
            ProfitFactor.calculate(value, Decimal(1))
    # Trailing zeros past 28 digits are not digits barter lacks: the value is kept.
    assert ProfitFactor.calculate(Decimal("2." + "0" * 40), Decimal(1)) == ProfitFactor.calculate(Decimal(2), Decimal(1))


def test_a_time_finer_than_a_nanosecond_or_not_an_int_is_refused():
    from barter.data import MarketStreamEvent

    for value, kind in [(1.742944020773674e18, "float"), (True, "bool"), ("1742944020773674205", "str")]:
        with pytest.raises(TypeError, match=f"^nanoseconds: expected an int, got {kind}"):
            Timestamp.from_timestamp_ns(value)  # type: ignore[arg-type]
    with pytest.raises(BarterError.InvalidValue, match="is not RFC 3339"):
        Timestamp.from_rfc3339("2025-03-25T23:07:00.7736742051Z")
    stamp = Timestamp.from_rfc3339("2025-03-25T23:07:00.773674205Z")
    # A float nanosecond was kept, then failed far away when the timestamp was written.
    for nanosecond, kind in [(1.5, "float"), (True, "bool"), ("5", "str")]:
        with pytest.raises(TypeError, match=f"^nanosecond: expected an int, got {kind}"):
            Timestamp.from_datetime(stamp, nanosecond)  # type: ignore[arg-type]
        with pytest.raises(TypeError, match=f"^nanosecond: expected an int, got {kind}"):
            stamp.replace(nanosecond=nanosecond)  # type: ignore[arg-type]
    with pytest.raises(BarterError.InvalidValue, match="nanosecond 1000 is not within 0..=999"):
        stamp.replace(nanosecond=1000)
    with pytest.raises(TypeError, match="^value: expected an aware datetime, got str"):
        Timestamp.from_datetime("2025-03-25T23:07:00Z")  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="^text: expected RFC 3339 str, got int"):
        Timestamp.from_rfc3339(1742944020773674205)  # type: ignore[arg-type]
    assert stamp.replace(nanosecond=7).to_rfc3339() == "2025-03-25T23:07:00.773674007Z"
    # barter's serde (chrono) would drop the tenth digit: refused, naming the field.
    line = DATA_PATH.read_text().splitlines()[0]
    finer = line.replace('"time_exchange":"2025-03-25T23:07:00.773674205Z"', '"time_exchange":"2025-03-25T23:07:00.7736742051Z"')
    assert finer != line
    with pytest.raises(BarterError.InvalidValue, match=r"Item\.time_exchange: timestamp .* 10 fractional digits"):
        MarketStreamEvent.from_json(finer)
    with pytest.raises(BarterError.Json, match="more than 9 fractional digits"):
        MarketDataInMemory.from_json_lines(finer.encode())


def test_to_json_refuses_a_float_barter_would_write_as_null():
    from barter.data import Candle

    candle = Candle(close_time=Timestamp.from_rfc3339("2025-03-25T00:00:00Z"), open=float("nan"), high=1.0, low=1.0, close=1.0, volume=1.0, trade_count=1)
    with pytest.raises(BarterError.InvalidValue, match="cannot be read back"):
        candle.to_json()
