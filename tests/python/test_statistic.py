"""barter's positions and statistics driven from Python equal barter's native run of the same
inputs (tests/json.rs writes it to target/parity/statistic_samples.json)."""

from __future__ import annotations

import copy
import datetime as dt
import json
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from barter import BarterError, Timestamp
from barter.engine import Position, PositionExited, PositionManager, calculate_pnl_return
from barter.execution import AssetBalance, AssetFees, Balance, Trade
from barter.instrument import AssetIndex, ExchangeAsset, ExchangeId, InstrumentIndex, QuoteAsset, Side
from barter.statistic import (
    AssetTearSheetGenerator,
    CalmarRatio,
    Drawdown,
    DrawdownGenerator,
    InstrumentTearSheetGenerator,
    MeanDrawdownGenerator,
    RateOfReturn,
    SharpeRatio,
    SortinoRatio,
    SummaryInterval,
    TearSheetAssetGenerator,
    TearSheetGenerator,
    TimedBalance,
    TimedDecimal,
    TradingSummary,
    TradingSummaryGenerator,
)
from strategies import barter_decimals, timestamps

START = Timestamp.from_rfc3339("2025-03-25T00:00:00.000000001Z")

# The table of tests/json.rs: (instrument, side, price, quantity, fees, seconds after START).
TRADES = [
    (0, Side.BUY, "100", "1", "0.1", 60),
    (0, Side.BUY, "110", "1", "0.1", 120),
    (1, Side.BUY, "10", "5", "0.01", 150),
    (0, Side.SELL, "120", "0.5", "0.05", 180),
    (0, Side.SELL, "90", "1.5", "0.15", 3600),
    (1, Side.SELL, "9", "5", "0.01", 4000),
    (0, Side.SELL, "95", "2", "0.2", 7200),
    (0, Side.BUY, "80", "3", "0.3", 86400),
    (0, Side.SELL, "85", "1", "0.1", 172800),
]
# (asset, total, free, seconds after START)
BALANCES = [(0, "900", "850", 100), (1, "2", "2", 200), (0, "950", "950", 5000), (0, "800", "800", 9000), (0, "1200", "1100", 90000)]


def at(seconds: int) -> Timestamp:
    return START + dt.timedelta(seconds=seconds)


def trade(number: int, instrument: int, side: Side, price: str, quantity: str, fees: str, seconds: int) -> Trade:
    return Trade(
        id=f"trade-{number}", order_id=f"order-{number}", instrument=InstrumentIndex(instrument), strategy="strategy",
        time_exchange=at(seconds), side=side, price=Decimal(price), quantity=Decimal(quantity),
        fees=AssetFees(asset=QuoteAsset(), fees=Decimal(fees)),
    )


def optional_json(value) -> str:
    return "null" if value is None else value.to_json()


@pytest.fixture(scope="module")
def trades(statistic_samples) -> list[Trade]:
    trades = [trade(number, *row) for number, row in enumerate(TRADES)]
    assert [t.to_json() for t in trades] == statistic_samples["trades"], "the Python table is the native table"
    return trades


@pytest.fixture(scope="module")
def exits(trades, statistic_samples) -> list[PositionExited]:
    managers = [PositionManager(current=None), PositionManager(current=None)]
    exits = []
    for t, manager_json, exit_json in zip(trades, statistic_samples["managers_after"], statistic_samples["exits_after"], strict=True):
        exited = managers[t.instrument].update_from_trade(t)
        assert managers[t.instrument].to_json() == manager_json
        assert optional_json(exited) == exit_json
        exits += [exited] if exited is not None else []
    return exits


def test_position_manager_equals_native_barter(exits):
    assert len(exits) == 4
    assert all(isinstance(exited, PositionExited) for exited in exits)


def test_position_methods_equal_the_managers(trades, statistic_samples):
    # Position.from_trade and Position.update_from_trade (consuming, as in barter) give the
    # manager's states and exits.
    instrument_0 = [(t, manager, exited) for t, manager, exited in
                    zip(trades, statistic_samples["managers_after"], statistic_samples["exits_after"]) if t.instrument == 0]
    position = Position.from_trade(instrument_0[0][0])
    assert PositionManager(current=position).to_json() == instrument_0[0][1]
    for t, manager_json, exit_json in instrument_0[1:]:
        # After an exact close, the manager enters the next trade's position.
        position, exited = position.update_from_trade(t) if position is not None else (Position.from_trade(t), None)
        assert PositionManager(current=position).to_json() == manager_json
        assert optional_json(exited) == exit_json


def summary_generator(risk_free_return: Decimal = Decimal("0.0001")) -> TradingSummaryGenerator:
    return TradingSummaryGenerator(
        risk_free_return, START, START,
        [InstrumentTearSheetGenerator(instrument=name, generator=TearSheetGenerator.init(START))
         for name in ("binancespot-btc_usdt", "binancespot-eth_usdt")],
        [AssetTearSheetGenerator(asset=ExchangeAsset(exchange=ExchangeId.BINANCE_SPOT, asset="usdt"),
                                 generator=TearSheetAssetGenerator.init(TimedBalance(value=Balance(total=Decimal("1000"), free=Decimal("1000")), time=START))),
         AssetTearSheetGenerator(asset=ExchangeAsset(exchange=ExchangeId.BINANCE_SPOT, asset="btc"),
                                 generator=TearSheetAssetGenerator.init(TimedBalance(value=Balance(total=Decimal("1"), free=Decimal("0.5")), time=START)))],
    )


@pytest.fixture(scope="module")
def balances(statistic_samples) -> list[AssetBalance]:
    balances = [AssetBalance(asset=AssetIndex(asset), balance=Balance(total=Decimal(total), free=Decimal(free)), time_exchange=at(seconds))
                for asset, total, free, seconds in BALANCES]
    assert [b.to_json() for b in balances] == statistic_samples["balances"]
    return balances


def test_trading_summary_generator_equals_native_barter(exits, balances, statistic_samples):
    generator = summary_generator()
    for exited in exits:
        generator.update_from_position(exited)
    for balance in balances:
        generator.update_from_balance(balance)
    generator.update_time_now(at(200000))
    assert generator.to_json() == statistic_samples["generator_before_generate"]

    summary = generator.generate(SummaryInterval.DAILY)

    assert summary.to_json() == statistic_samples["summary"]
    assert generator.to_json() == statistic_samples["generator_after_generate"]
    assert generator.instruments() == ["binancespot-btc_usdt", "binancespot-eth_usdt"]
    assert TradingSummaryGenerator.from_json(statistic_samples["generator_before_generate"]).generate(SummaryInterval.DAILY) == summary


def test_trading_summary_json_form_round_trips_and_to_dict_is_plain_python(statistic_samples):
    summary = TradingSummary.from_json(statistic_samples["summary"])
    form = json.loads(statistic_samples["summary"])

    assert summary.to_json() == statistic_samples["summary"]
    plain = summary.to_dict()
    usdt = ExchangeAsset(exchange=ExchangeId.BINANCE_SPOT, asset="usdt")
    assert list(plain["assets"]) == [usdt, ExchangeAsset(exchange=ExchangeId.BINANCE_SPOT, asset="btc")]
    assert plain["assets"][usdt]["balance_end"] == {"total": Decimal(form["assets"][0][1]["balance_end"]["total"]), "free": Decimal(form["assets"][0][1]["balance_end"]["free"])}
    tear_sheet = plain["instruments"]["binancespot-btc_usdt"]
    assert tear_sheet["pnl"] == Decimal(form["instruments"]["binancespot-btc_usdt"]["pnl"])
    assert tear_sheet["sharpe_ratio"] == {"value": Decimal(form["instruments"]["binancespot-btc_usdt"]["sharpe_ratio"]["value"]), "interval": SummaryInterval.DAILY}
    assert plain["time_engine_end"] == Timestamp.from_rfc3339(form["time_engine_end"])


def test_trading_summary_json_errors_name_the_field(statistic_samples):
    form = json.loads(statistic_samples["summary"])
    form["assets"][1][1]["balance_end"]["total"] = "not a number"
    with pytest.raises(BarterError.Json, match=r"assets\[1\]\[1\]\.balance_end\.total"):
        TradingSummary.from_json(json.dumps(form))
    form = json.loads(statistic_samples["summary"])
    form["assets"].append(form["assets"][0])
    with pytest.raises(BarterError.InvalidInput, match="repeated"):
        TradingSummary.from_json(json.dumps(form))


def test_tear_sheet_generator_equals_the_summarys(exits, statistic_samples):
    generator = TearSheetGenerator.init(START)
    for exited in exits:
        if exited.instrument == 0:
            generator.update_from_position(exited)
    generator_state = json.loads(statistic_samples["generator_before_generate"])["instruments"]["binancespot-btc_usdt"]
    assert json.loads(generator.to_json())["pnl_returns"] == generator_state["pnl_returns"]
    assert generator.pnl_returns().to_json() == json.dumps(generator_state["pnl_returns"], separators=(",", ":"))


def test_drawdown_generator_equals_native_barter(balances, statistic_samples):
    generator = DrawdownGenerator.init(TimedDecimal(value=Decimal("1000"), time=START))
    drawdowns = [generator.update(TimedDecimal(value=b.balance.total, time=b.time_exchange)) for b in balances if b.asset == 0]

    assert [optional_json(d) for d in drawdowns] == statistic_samples["drawdowns"]
    assert optional_json(generator.generate()) == statistic_samples["drawdown_generate"]


def test_metrics_equal_native_barter(statistic_samples):
    risk_free, mean, std_dev, max_drawdown = Decimal("0.0001"), Decimal("0.0123"), Decimal("0.045"), Decimal("0.2")
    daily, annual = SummaryInterval.DAILY, SummaryInterval.ANNUAL365
    metrics = statistic_samples["metrics"]

    assert RateOfReturn.calculate(mean, daily).scale(annual).to_json() == metrics["rate_of_return"]
    assert SharpeRatio.calculate(risk_free, mean, std_dev, daily).scale(annual).to_json() == metrics["sharpe_ratio"]
    assert SortinoRatio.calculate(risk_free, mean, std_dev, daily).scale(annual).to_json() == metrics["sortino_ratio"]
    assert CalmarRatio.calculate(risk_free, mean, max_drawdown, daily).scale(annual).to_json() == metrics["calmar_ratio"]


def test_drawdown_duration_is_barters(statistic_samples):
    drawdown = Drawdown.from_json(next(d for d in statistic_samples["drawdowns"] if d != "null"))
    assert drawdown.duration_ns() == (drawdown.time_end.timestamp_ns() - drawdown.time_start.timestamp_ns())
    assert drawdown.duration() == drawdown.time_end - drawdown.time_start


def test_what_barter_cannot_compute_is_a_typed_error():
    biggest = Decimal("79228162514264337593543950335")
    with pytest.raises(BarterError.InvalidValue, match="SharpeRatio::calculate"):
        SharpeRatio.calculate(Decimal("-79228162514264337593543950335"), biggest, Decimal("0.5"), SummaryInterval.DAILY)
    with pytest.raises(BarterError.InvalidValue, match="calculate_pnl_return"):
        calculate_pnl_return(Decimal(1), Decimal(0), Decimal(1))
    zero = trade(0, 0, Side.BUY, "1", "0", "0", 0)
    with pytest.raises(BarterError.InvalidValue, match="update_from_trade"):
        Position.from_trade(zero).update_from_trade(zero)


def test_updates_of_unknown_keys_are_index_errors(exits, balances):
    generator = summary_generator()
    unknown = copy.copy(exits[0])
    unknown.instrument = InstrumentIndex(2)
    with pytest.raises(BarterError.Index, match="instrument"):
        generator.update_from_position(unknown)
    balance = copy.copy(balances[0])
    balance.asset = AssetIndex(2)
    with pytest.raises(BarterError.Index, match="asset"):
        generator.update_from_balance(balance)


@settings(max_examples=200, deadline=None)
@given(points=st.lists(st.tuples(barter_decimals, timestamps), min_size=1, max_size=8))
def test_drawdown_generator_fails_whole_or_not_at_all(points):
    generator = DrawdownGenerator()
    for value, time in points:
        before = generator.to_json()
        try:
            generator.update(TimedDecimal(value=value, time=time))
        except BarterError.InvalidValue:
            assert generator.to_json() == before, "a failed update leaves barter's state as it was"


@settings(max_examples=200, deadline=None)
@given(rows=st.lists(st.tuples(st.sampled_from([Side.BUY, Side.SELL]), barter_decimals, barter_decimals, barter_decimals), min_size=1, max_size=4))
def test_position_manager_updates_or_raises_typed_errors(rows):
    manager = PositionManager(current=None)
    for number, (side, price, quantity, fees) in enumerate(rows):
        before = manager.to_json()
        t = Trade(id=str(number), order_id="o", instrument=InstrumentIndex(0), strategy="s", time_exchange=START,
                  side=side, price=price, quantity=quantity, fees=AssetFees(asset=QuoteAsset(), fees=fees))
        try:
            manager.update_from_trade(t)
        except BarterError.InvalidValue:
            assert manager.to_json() == before


@settings(max_examples=100, deadline=None)
@given(drawdowns=st.lists(st.tuples(barter_decimals, timestamps, timestamps), min_size=1, max_size=5))
def test_mean_drawdown_generator_counts_what_it_took(drawdowns):
    generator = MeanDrawdownGenerator()
    taken = 0
    for value, start, end in drawdowns:
        try:
            generator.update(Drawdown(value=value, time_start=start, time_end=end))
            taken += 1
        except BarterError.InvalidValue:
            pass
    assert generator.count() == taken
