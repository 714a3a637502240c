"""A backtest from Python equals barter's native one (the reference written by tests/parity.rs)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from decimal import Decimal

import pytest

from barter import Timestamp
from barter.backtest import BacktestArgsConstant, BacktestArgsDynamic, BacktestMode, backtest, run_backtests
from barter.instrument import ExchangeAsset, ExchangeId
from barter.statistic import SummaryInterval, TradingSummary

ENGINE_TIME_TOLERANCE = dt.timedelta(milliseconds=10)  # barter's clock adds wall-clock time (upstream mode)


def _native_form(native: dict) -> dict:
    """tests/parity.rs's reference (shared with the Kotlin test: both maps as lists, intervals
    null as barter's unit intervals write them, the interval by name) in TradingSummary's JSON
    form: instruments by name, assets as [ExchangeAsset, TearSheetAsset] pairs."""
    def tear_sheet(values: dict) -> dict:
        return {key: {**value, "interval": native["interval"]} if isinstance(value, dict) and "interval" in value else value
                for key, value in values.items()}

    return {
        "time_engine_start": native["time_engine_start"],
        "time_engine_end": native["time_engine_end"],
        "instruments": {entry["instrument"]: tear_sheet(entry["tear_sheet"]) for entry in native["instruments"]},
        "assets": [[{"exchange": entry["exchange"], "asset": entry["asset"]}, entry["tear_sheet"]] for entry in native["assets"]],
    }


def assert_matches_native(summary: TradingSummary, native: dict, time_tolerance: dt.timedelta = ENGINE_TIME_TOLERANCE) -> None:
    actual, expected = json.loads(summary.to_json()), _native_form(native)
    # barter's clock adds wall-clock time to the engine times: within the tolerance; everything
    # else (every metric, in barter's order) exactly.
    for key in ("time_engine_start", "time_engine_end"):
        delta = abs(Timestamp.from_rfc3339(actual.pop(key)) - Timestamp.from_rfc3339(expected.pop(key)))
        assert delta < time_tolerance, f"{key} differs by {delta}"
    # The reference went through serde_json::Value, which sorts object keys: field order aside
    # (instruments and assets keep barter's order).
    assert list(actual["instruments"]) == list(expected["instruments"])
    assert json.dumps(actual, sort_keys=True) == json.dumps(expected, sort_keys=True)


@pytest.mark.parametrize("mode", [BacktestMode.UPSTREAM, BacktestMode.EVENT_TIME])
def test_backtest_equals_native_barter(args_daily, config, native_summary, mode):
    # DefaultStrategy places no orders, so event time changes only the engine times (exact, the
    # data's, where barter's clock adds wall-clock microseconds).
    result = backtest(args_daily, BacktestArgsDynamic(id="python", risk_free_return=config.risk_free_return()), mode=mode)
    summary = result.summary()

    # Event time records every fill (none: DefaultStrategy places no orders); barter's own
    # backtest() returns only its summary.
    assert result.fills() == ([] if mode == BacktestMode.EVENT_TIME else None)

    assert summary.id == "python"
    assert summary.risk_free_return == Decimal(native_summary["risk_free_return"])
    assert_matches_native(summary.trading_summary, native_summary)


def test_summary_balances_are_the_configs_initial_balances(args_daily, config):
    summary = backtest(args_daily, BacktestArgsDynamic(id="balances", risk_free_return=config.risk_free_return())).summary()

    # DefaultStrategy places no orders, so every asset ends with the balance the config starts it with.
    execution = json.loads(config.system().to_json())["executions"][0]
    for balance in execution["initial_state"]["balances"]:
        key = ExchangeAsset(exchange=ExchangeId[execution["mocked_exchange"].upper()], asset=balance["asset"])
        end = summary.trading_summary.assets[key].balance_end
        assert (end.total, end.free) == (Decimal(str(balance["balance"]["total"])), Decimal(str(balance["balance"]["free"])))


@pytest.mark.parametrize("interval", list(SummaryInterval))
def test_summary_interval_is_selectable(config, market_data, interval):
    args = BacktestArgsConstant.from_config(config, market_data, interval)
    summary = backtest(args, BacktestArgsDynamic(id=interval.name, risk_free_return=Decimal("0.05"))).summary()

    tear_sheet = summary.trading_summary.instruments["binancespot-btc_usdt"]
    assert args.summary_interval() == interval
    assert {tear_sheet.sharpe_ratio.interval, tear_sheet.sortino_ratio.interval, tear_sheet.calmar_ratio.interval, tear_sheet.pnl_return.interval} == {interval}


@pytest.mark.parametrize("mode", [BacktestMode.UPSTREAM, BacktestMode.EVENT_TIME])
def test_run_backtests_returns_every_summary_in_input_order(args_daily, native_summary, mode):
    ids = [f"variation-{index}" for index in range(5)]
    results = run_backtests(args_daily, [BacktestArgsDynamic(id=id_, risk_free_return=Decimal("0.05")) for id_ in ids], mode=mode)
    multi = results.summary()

    assert multi.num_backtests == 5
    assert [summary.id for summary in multi.summaries] == ids
    assert isinstance(multi.duration, dt.timedelta) and multi.duration == results.duration() > dt.timedelta(0)
    assert [result.summary() for result in results.results()] == multi.summaries
    # Concurrent backtests share the cores: each one's engine times also carry the others'
    # wall-clock time, so they agree within the batch's duration.
    for summary in multi.summaries:
        assert_matches_native(summary.trading_summary, native_summary, time_tolerance=multi.duration)


def test_backtests_run_from_several_python_threads(args_daily, native_summary):
    results: dict[int, object] = {}

    def run(index: int) -> None:
        results[index] = backtest(args_daily, BacktestArgsDynamic(id=str(index), risk_free_return=Decimal("0.05"))).summary()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(4)]
    start = dt.datetime.now(dt.timezone.utc)
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = dt.datetime.now(dt.timezone.utc) - start

    assert sorted(results) == [0, 1, 2, 3]
    for index, summary in results.items():
        assert summary.id == str(index)
        assert_matches_native(summary.trading_summary, native_summary, time_tolerance=elapsed)


def test_summary_prints_barters_tables(args_daily, capsys):
    summary = backtest(args_daily, BacktestArgsDynamic(id="print", risk_free_return=Decimal("0.05"))).summary().trading_summary

    table = summary.table()
    summary.print_summary()

    assert "Instrument TearSheets" in table and "Asset TearSheets" in table
    assert "binancespot-btc_usdt" in table and "binance_spot_usdt" in table
    assert table in capsys.readouterr().out
