"""Event-time backtests (the default mode) are reproducible: the same BuyEveryTrade backtest of
barter's example data and config gives the same summary and the same fills on every run:
100 times in a row, 100 times in one ``run_backtests``, and on 8 Python threads at once, at
latency 0, 100 (the example's) and 1000; and they are the ones barter's own parts, composed
natively in tests/event_time.rs, give (its fills read from barter's audit stream).

``BacktestMode.UPSTREAM`` (barter's own ``backtest()``) races its mock's real-time latency against
the data: it is compared with native barter in test_backtest.py.
"""

from __future__ import annotations

import json
import threading
from decimal import Decimal

import pytest

from barter import Timestamp
from barter.backtest import BacktestArgsConstant, BacktestArgsDynamic, BacktestConfig, BacktestMode, BacktestResult, backtest, run_backtests
from barter.statistic import SummaryInterval
from barter.strategy import Strategy

from conftest import _written_by_rust

RUNS = 100
THREADS = 8


def _config_with_latency(config: BacktestConfig, latency_ms: int) -> BacktestConfig:
    raw = json.loads(config.to_json())
    for execution in raw["system"]["executions"]:
        execution["latency_ms"] = latency_ms
    return BacktestConfig.from_json(json.dumps(raw))


def _dynamic(id_: str) -> BacktestArgsDynamic:
    return BacktestArgsDynamic(id=id_, risk_free_return=Decimal(0), strategy=Strategy.BUY_EVERY_TRADE)


def _native_form(summary_json: str) -> dict:
    """A TradingSummary's JSON in the form tests/event_time.rs writes: instruments and assets as
    [name, tear sheet] pairs."""
    summary = json.loads(summary_json)
    return {
        "time_engine_start": summary["time_engine_start"],
        "time_engine_end": summary["time_engine_end"],
        "instruments": [[name, tear_sheet] for name, tear_sheet in summary["instruments"].items()],
        "assets": [[asset["asset"], tear_sheet] for asset, tear_sheet in summary["assets"]],
    }


@pytest.fixture(scope="module")
def event_time_reference() -> dict:
    return _written_by_rust("event_time.json", "event_time")


@pytest.mark.parametrize("latency_ms", [0, 100, 1000])
def test_buy_every_trade_gives_one_answer_however_it_runs(config, market_data, event_time_reference, latency_ms):
    args = BacktestArgsConstant.from_config(_config_with_latency(config, latency_ms), market_data, SummaryInterval.DAILY)
    first = backtest(args, _dynamic("run"))
    expected, fills = first.summary().trading_summary.to_json(), first.fills()

    # The summary and fills of barter's parts composed natively, the fills read from barter's
    # audit stream (tests/event_time.rs).
    native = event_time_reference[str(latency_ms)]
    assert json.dumps(_native_form(expected), sort_keys=True) == json.dumps(native["summary"], sort_keys=True)
    assert [json.loads(fill.to_json()) for fill in fills] == native["fills"]
    # It trades, so the answer depends on when fills land: barter's own backtest() varies here.
    assert len(fills) >= 20

    def same(result: BacktestResult) -> bool:
        return result.summary().trading_summary.to_json() == expected and result.fills() == fills

    assert all(same(backtest(args, _dynamic("run"))) for _ in range(RUNS - 1))

    batch = run_backtests(args, [_dynamic(str(index)) for index in range(RUNS)]).results()
    assert [result.summary().id for result in batch] == [str(index) for index in range(RUNS)]
    assert all(map(same, batch))

    threaded: list[BacktestResult] = []
    threads = [threading.Thread(target=lambda: threaded.append(backtest(args, _dynamic("thread")))) for _ in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(threaded) == THREADS and all(map(same, threaded))


def test_engine_times_are_the_datas(args_daily, market_data):
    summary = backtest(args_daily, BacktestArgsDynamic(id="times", risk_free_return=Decimal(0))).summary().trading_summary
    lines = market_data.to_json_lines().decode().splitlines()
    times = [Timestamp.from_rfc3339(event["Item"]["time_exchange"]).timestamp_ns() for event in map(json.loads, lines) if "Item" in event]

    # To the nanosecond: the first event's time, and the latest (the data is not sorted to the
    # nanosecond), with no wall-clock time added.
    assert summary.time_engine_start.timestamp_ns() == times[0] == market_data.time_first_event().timestamp_ns()
    assert summary.time_engine_end.timestamp_ns() == max(times)


def test_upstream_mode_is_one_argument_away(args_daily):
    dynamic = BacktestArgsDynamic(id="upstream", risk_free_return=Decimal(0))
    upstream = backtest(args_daily, dynamic, mode=BacktestMode.UPSTREAM).summary().trading_summary
    event_time = backtest(args_daily, dynamic).summary().trading_summary

    # DefaultStrategy places no orders: the modes differ only in barter's wall-clock microseconds.
    assert upstream.instruments == event_time.instruments
    assert upstream.time_engine_end >= event_time.time_engine_end
