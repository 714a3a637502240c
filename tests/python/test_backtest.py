"""A backtest from Python equals barter's native one (the reference written by tests/parity.rs)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from decimal import Decimal

import pytest

from barter import Timestamp
from barter.backtest import BacktestArgsConstant, BacktestArgsDynamic, backtest, run_backtests
from barter.instrument import ExchangeAsset, ExchangeId
from barter.statistic import SummaryInterval, TearSheet, TearSheetAsset, TradingSummary

ENGINE_TIME_TOLERANCE = dt.timedelta(milliseconds=1)  # barter's clock adds wall-clock time


def _decimal(value: str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _drawdown(value: dict | None):
    if value is None:
        return None
    return (Decimal(value["value"]), Timestamp.from_rfc3339(value["time_start"]), Timestamp.from_rfc3339(value["time_end"]))


def _tear_sheet_values(tear_sheet: TearSheet) -> dict:
    def drawdown(d):
        return None if d is None else (d.value, d.time_start, d.time_end)

    return {
        "pnl": tear_sheet.pnl,
        "pnl_return": tear_sheet.pnl_return.value,
        "sharpe_ratio": tear_sheet.sharpe_ratio.value,
        "sortino_ratio": tear_sheet.sortino_ratio.value,
        "calmar_ratio": tear_sheet.calmar_ratio.value,
        "pnl_drawdown": drawdown(tear_sheet.pnl_drawdown),
        "pnl_drawdown_mean": None if tear_sheet.pnl_drawdown_mean is None else (tear_sheet.pnl_drawdown_mean.mean_drawdown, tear_sheet.pnl_drawdown_mean.mean_drawdown_ms),
        "pnl_drawdown_max": drawdown(tear_sheet.pnl_drawdown_max),
        "win_rate": None if tear_sheet.win_rate is None else tear_sheet.win_rate.value,
        "profit_factor": None if tear_sheet.profit_factor is None else tear_sheet.profit_factor.value,
    }


def _reference_tear_sheet_values(reference: dict) -> dict:
    mean = reference["pnl_drawdown_mean"]
    return {
        "pnl": Decimal(reference["pnl"]),
        **{metric: Decimal(reference[metric]["value"]) for metric in ("pnl_return", "sharpe_ratio", "sortino_ratio", "calmar_ratio")},
        "pnl_drawdown": _drawdown(reference["pnl_drawdown"]),
        "pnl_drawdown_mean": None if mean is None else (Decimal(mean["mean_drawdown"]), mean["mean_drawdown_ms"]),
        "pnl_drawdown_max": _drawdown(reference["pnl_drawdown_max"]),
        "win_rate": None if reference["win_rate"] is None else Decimal(reference["win_rate"]["value"]),
        "profit_factor": None if reference["profit_factor"] is None else Decimal(reference["profit_factor"]["value"]),
    }


def _asset_values(tear_sheet: TearSheetAsset) -> dict:
    balance = tear_sheet.balance_end
    return {
        "balance_end": None if balance is None else (balance.total, balance.free),
        "drawdown": None if tear_sheet.drawdown is None else (tear_sheet.drawdown.value, tear_sheet.drawdown.time_start, tear_sheet.drawdown.time_end),
        "drawdown_mean": None if tear_sheet.drawdown_mean is None else (tear_sheet.drawdown_mean.mean_drawdown, tear_sheet.drawdown_mean.mean_drawdown_ms),
        "drawdown_max": None if tear_sheet.drawdown_max is None else (tear_sheet.drawdown_max.value, tear_sheet.drawdown_max.time_start, tear_sheet.drawdown_max.time_end),
    }


def _reference_asset_values(reference: dict) -> dict:
    balance, mean = reference["balance_end"], reference["drawdown_mean"]
    return {
        "balance_end": None if balance is None else (Decimal(balance["total"]), Decimal(balance["free"])),
        "drawdown": _drawdown(reference["drawdown"]),
        "drawdown_mean": None if mean is None else (Decimal(mean["mean_drawdown"]), mean["mean_drawdown_ms"]),
        "drawdown_max": _drawdown(reference["drawdown_max"]),
    }


def assert_matches_native(summary: TradingSummary, native: dict, time_tolerance: dt.timedelta = ENGINE_TIME_TOLERANCE) -> None:
    for key in ("time_engine_start", "time_engine_end"):
        delta = abs(getattr(summary, key) - Timestamp.from_rfc3339(native[key]))
        assert delta < time_tolerance, f"{key} differs by {delta}"

    # Instruments: same names, in barter's order, and every metric exactly equal.
    assert list(summary.instruments) == [entry["instrument"] for entry in native["instruments"]]
    for entry in native["instruments"]:
        assert _tear_sheet_values(summary.instruments[entry["instrument"]]) == _reference_tear_sheet_values(entry["tear_sheet"])

    # Assets: keyed by ExchangeAsset, in barter's order.
    expected_keys = [ExchangeAsset(exchange=ExchangeId[entry["exchange"].upper()], asset=entry["asset"]) for entry in native["assets"]]
    assert list(summary.assets) == expected_keys
    for key, entry in zip(expected_keys, native["assets"]):
        assert _asset_values(summary.assets[key]) == _reference_asset_values(entry["tear_sheet"])


def test_backtest_equals_native_barter(args_daily, config, native_summary):
    summary = backtest(args_daily, BacktestArgsDynamic(id="python", risk_free_return=config.risk_free_return()))

    assert summary.id == "python"
    assert summary.risk_free_return == Decimal(native_summary["risk_free_return"])
    assert_matches_native(summary.trading_summary, native_summary)


def test_summary_balances_are_the_configs_initial_balances(args_daily, config):
    summary = backtest(args_daily, BacktestArgsDynamic(id="balances", risk_free_return=config.risk_free_return()))

    # DefaultStrategy places no orders, so every asset ends with the balance the config starts it with.
    execution = json.loads(config.system().to_json())["executions"][0]
    for balance in execution["initial_state"]["balances"]:
        key = ExchangeAsset(exchange=ExchangeId[execution["mocked_exchange"].upper()], asset=balance["asset"])
        end = summary.trading_summary.assets[key].balance_end
        assert (end.total, end.free) == (Decimal(str(balance["balance"]["total"])), Decimal(str(balance["balance"]["free"])))


@pytest.mark.parametrize("interval", list(SummaryInterval))
def test_summary_interval_is_selectable(config, market_data, interval):
    args = BacktestArgsConstant.from_config(config, market_data, interval)
    summary = backtest(args, BacktestArgsDynamic(id=interval.name, risk_free_return=Decimal("0.05")))

    tear_sheet = summary.trading_summary.instruments["binancespot-btc_usdt"]
    assert args.summary_interval() == interval
    assert {tear_sheet.sharpe_ratio.interval, tear_sheet.sortino_ratio.interval, tear_sheet.calmar_ratio.interval, tear_sheet.pnl_return.interval} == {interval}


def test_run_backtests_returns_every_summary_in_input_order(args_daily, native_summary):
    ids = [f"variation-{index}" for index in range(5)]
    multi = run_backtests(args_daily, [BacktestArgsDynamic(id=id_, risk_free_return=Decimal("0.05")) for id_ in ids])

    assert multi.num_backtests == 5
    assert [summary.id for summary in multi.summaries] == ids
    assert isinstance(multi.duration, dt.timedelta) and multi.duration > dt.timedelta(0)
    # Concurrent backtests share the cores: each one's engine times also carry the others'
    # wall-clock time, so they agree within the batch's duration.
    for summary in multi.summaries:
        assert_matches_native(summary.trading_summary, native_summary, time_tolerance=multi.duration)


def test_backtests_run_from_several_python_threads(args_daily, native_summary):
    results: dict[int, object] = {}

    def run(index: int) -> None:
        results[index] = backtest(args_daily, BacktestArgsDynamic(id=str(index), risk_free_return=Decimal("0.05")))

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
    summary = backtest(args_daily, BacktestArgsDynamic(id="print", risk_free_return=Decimal("0.05"))).trading_summary

    table = summary.table()
    summary.print_summary()

    assert "Instrument TearSheets" in table and "Asset TearSheets" in table
    assert "binancespot-btc_usdt" in table and "binance_spot_usdt" in table
    assert table in capsys.readouterr().out
