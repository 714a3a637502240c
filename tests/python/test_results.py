"""A backtest's results as frames (issue 14): fills, orders, positions, equity and summary,
recorded in Rust as the backtest ran, agree with the result's own fills, its refusals and
barter's ``TradingSummary`` (``tests/event_time.rs`` checks the same frames against barter's
audit stream, field by field); they come out exact as pyarrow, pandas and polars; they plot.
"""

from __future__ import annotations

import copy
import datetime as dt
import decimal
import pickle
from collections import defaultdict
from decimal import Decimal

import matplotlib.image
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest

from barter.backtest import (
    BacktestArgsDynamic,
    BacktestMode,
    BacktestResult,
    Frame,
    Frames,
    Recording,
    backtest,
    run_backtests,
    summary_frame,
)
from barter.statistic import SummaryInterval

from conftest import REPO
from test_strategy import BuyEveryTrade, MaxNotional, SmaCrossover

DYNAMIC = {"id": "sma", "risk_free_return": Decimal(0)}


@pytest.fixture(scope="module")
def result(args_daily) -> BacktestResult:
    return backtest(args_daily, BacktestArgsDynamic(**DYNAMIC, strategy=SmaCrossover()))


@pytest.fixture(scope="module")
def frames(result: BacktestResult) -> Frames:
    return Frames.of(result)


def test_fills_are_the_results_fills_exactly(result: BacktestResult, frames: Frames) -> None:
    fills = frames.fills.to_arrow().to_pylist()
    expected = result.fills()
    assert len(fills) == len(expected) >= 20
    for row, fill in zip(fills, expected, strict=True):
        assert (row["price"], row["quantity"], row["fees"]) == (fill.price, fill.quantity, fill.fees.fees)
        assert row["time"].value == fill.time_exchange.timestamp_ns()  # nanoseconds kept
        assert (row["side"], row["order_id"], row["trade_id"]) == (fill.side.name.lower(), str(fill.order_id), str(fill.id))
    assert set(frames.fills.to_arrow()["instrument"].to_pylist()) <= {"binancespot-btc_usdt", "binancespot-eth_usdt", "binancespot-sol_usdt"}


def test_positions_sum_to_barters_tear_sheets(result: BacktestResult, frames: Frames) -> None:
    positions = frames.positions.to_pandas()
    assert len(positions) >= 5
    summary = result.summary().trading_summary
    for name, tear_sheet in summary.instruments.items():
        with decimal.localcontext(prec=60):  # exact, as barter's 96-bit sums are here
            pnl = sum(positions.loc[positions["instrument"] == str(name), "pnl_realised"], Decimal(0))
        assert pnl == tear_sheet.pnl, name
    assert (positions["time_exit"] >= positions["time_enter"]).all()
    assert positions["trades"].sum() <= len(result.fills())


def test_equity_ends_at_barters_balances(result: BacktestResult, frames: Frames) -> None:
    equity = frames.equity.to_arrow()
    last = {name: equity[name][-1].as_py() for name in equity.column_names}
    for asset, tear_sheet in result.summary().trading_summary.assets.items():
        assert last[str(asset.asset)] == tear_sheet.balance_end.total, asset
    times = equity["time"].to_pylist()
    assert times == sorted(times)
    # Value in USDT at mark prices: USDT itself counts at par.
    assert last["value"] is not None and last["value"] >= last["usdt"]


def test_every_open_request_is_answered(frames: Frames) -> None:
    orders = frames.orders.to_pandas()
    requested = orders[orders["event"] == "open_requested"]
    answered = orders[orders["event"].isin(["filled", "opened", "open_refused_by_exchange"])]
    assert len(requested) >= 20
    assert sorted(requested["client_order_id"]) == sorted(answered["client_order_id"])
    assert (requested["kind"] == "market").all() and requested["reason"].isna().all()


def test_risk_refusals_are_orders_with_their_reason(args_daily) -> None:
    result = backtest(args_daily, BacktestArgsDynamic(**DYNAMIC, strategy=BuyEveryTrade(), risk=MaxNotional(Decimal(500))))
    orders = Frames.of(result).orders.to_pandas()
    refused = orders[orders["event"] == "open_refused_by_risk"]
    assert list(refused["reason"]) == [item.reason for item in result.opens_refused()]
    assert list(refused["client_order_id"]) == [str(item.item.key.cid) for item in result.opens_refused()]
    assert len(orders[orders["event"] == "open_requested"]) + len(refused) == 11_032  # one order per public trade


def test_frames_are_exact_in_pandas_and_polars_and_floats_on_request(frames: Frames) -> None:
    fills = frames.fills.to_pandas()
    assert str(fills["time"].dtype) == "datetime64[ns, UTC]"
    assert isinstance(fills["price"].iloc[0], Decimal)
    assert fills["price"].iloc[0] == frames.fills.to_arrow()["price"][0].as_py()
    assert fills["price"].dtype == object and frames.fills.to_pandas(floats=True)["price"].dtype == "float64"
    polars = frames.fills.to_polars()
    assert isinstance(polars.schema["price"], pl.Decimal) and polars.schema["time"] == pl.Datetime("ns", "UTC")
    assert frames.fills.to_polars(floats=True).schema["price"] == pl.Float64
    # The Arrow PyCapsule interface: any Arrow library reads a frame as it is.
    assert pa.table(frames.fills).equals(frames.fills.to_arrow())
    assert len(pl.DataFrame(frames.equity)) == len(frames.equity)


def test_frames_pickle_and_copy_by_value(result: BacktestResult, frames: Frames) -> None:
    assert pickle.loads(pickle.dumps(frames)) == frames
    assert copy.deepcopy(frames.orders) == frames.orders
    assert Frames.of(pickle.loads(pickle.dumps(result))) == frames


def test_recording_can_be_off_or_sampled_by_interval_or_on_every_change(args_daily, frames: Frames) -> None:
    off = backtest(args_daily, BacktestArgsDynamic(**DYNAMIC, strategy=SmaCrossover()), recording=Recording(enabled=False))
    assert off.frames() is None and off.fills()  # fills are always kept
    with pytest.raises(ValueError, match="BacktestResult recorded no frames"):
        Frames.of(off)
    upstream = backtest(args_daily, BacktestArgsDynamic(**DYNAMIC), mode=BacktestMode.UPSTREAM)
    assert upstream.frames() is None

    by_minute = backtest(args_daily, BacktestArgsDynamic(**DYNAMIC, strategy=SmaCrossover()), recording=Recording(enabled=True, equity_interval=dt.timedelta(minutes=1)))
    sampled = Frames.of(by_minute).equity.to_pandas()
    every_change = Recording(enabled=True, equity_interval=dt.timedelta(0))
    every = Frames.of(backtest(args_daily, BacktestArgsDynamic(**DYNAMIC, strategy=SmaCrossover()), recording=every_change)).equity.to_pandas()
    # By default, once per second of event time: as sampled here by minute.
    per_second = frames.equity.to_pandas()
    assert len(sampled) < len(per_second) < len(every)
    assert per_second["time"].dt.floor("s").is_unique
    assert 1 < len(sampled) < len(every)
    assert sampled["time"].dt.floor("min").is_unique  # at most one row per minute
    # Each sample is the state the minute's last change left: the last row of that minute when
    # every change is recorded.
    last_of_minute = every.groupby(every["time"].dt.floor("min")).tail(1).reset_index(drop=True)
    shown = [column for column in every.columns if column != "time"]
    assert sampled[shown].reset_index(drop=True).equals(last_of_minute[shown])


def test_summaries_are_one_row_per_backtest_with_parameters(args_daily, result: BacktestResult) -> None:
    batch = run_backtests(
        args_daily,
        [BacktestArgsDynamic(id=f"rf-{rate}", risk_free_return=Decimal(rate)) for rate in ("0", "0.05")],
        recording=Recording(enabled=False),
    )
    frame = summary_frame(batch, parameters={"rf-0": {"rate": 0.0}, "rf-0.05": {"rate": 0.05}}).to_pandas()
    assert list(frame["id"]) == ["rf-0", "rf-0.05"] and list(frame["rate"]) == [0.0, 0.05]
    assert list(frame["risk_free_return"]) == [Decimal("0"), Decimal("0.05")]
    one = Frames.of(result).summary.to_arrow().to_pylist()
    assert len(one) == 1
    summary = result.summary().trading_summary
    for name, tear_sheet in summary.instruments.items():
        assert one[0][f"{name}.pnl"] == tear_sheet.pnl
        assert one[0][f"{name}.sharpe_ratio.value"] == tear_sheet.sharpe_ratio.value
    assert one[0]["time_engine_end"].value == summary.time_engine_end.timestamp_ns()


def test_the_plot_has_its_panels_and_is_not_blank(frames: Frames, market_data, args_daily, tmp_path) -> None:
    path = tmp_path / "equity.png"
    instruments = args_daily.system().indexed_instruments()
    figure = frames.plot(str(path), prices=Frame.from_ipc(market_data.to_arrow_ipc(instruments)))
    titles = [axes.get_title() for axes in figure.axes]
    traded = sorted(set(frames.fills.to_arrow()["instrument"].to_pylist()))
    assert titles == ["Equity (value in the quote asset at mark prices)", "Drawdown"] + [f"{name}: fills on prices" for name in traded]
    image = matplotlib.image.imread(path)
    assert image.shape[:2] == (1000, 1200)
    # Each panel holds more than its background: lines and markers were drawn.
    height = image.shape[0]
    for axes in figure.axes:
        box = axes.get_window_extent()
        panel = image[int(height - box.y1) : int(height - box.y0), int(box.x0) : int(box.x1), :3]
        assert panel.std() > 0.05, axes.get_title()
