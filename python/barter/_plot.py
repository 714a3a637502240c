"""Pictures of a backtest's frames with matplotlib (the ``plot`` extra): equity curve, drawdown,
and fills on each instrument's prices. Drawn on a ``Figure`` of its own (no pyplot state), so
it works in scripts, threads and notebooks alike."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

    from barter._frames import Frame, Frames

#: Inches, at matplotlib's default 100 dpi: 1200 x 1000 pixels.
SIZE = (12.0, 10.0)


def plot(frames: Frames, path: str | None, prices: Frame | None) -> Figure:
    from matplotlib.figure import Figure

    equity = frames.equity.to_pandas(floats=True)
    fills = frames.fills.to_pandas(floats=True)
    instruments = sorted(set(fills["instrument"]))
    figure = Figure(figsize=SIZE, layout="constrained")
    value_axes, drawdown_axes, *price_axes = figure.subplots(
        2 + max(len(instruments), 1), 1, sharex=True, height_ratios=[3, 1.5] + [2] * max(len(instruments), 1)
    )

    value = equity.dropna(subset=["value"])
    value_axes.plot(value["time"], value["value"], color="tab:blue", linewidth=1)
    value_axes.set_title("Equity (value in the quote asset at mark prices)")
    value_axes.grid(alpha=0.3)

    drawdown = value["value"] / value["value"].cummax() - 1
    drawdown_axes.fill_between(value["time"], drawdown, 0, color="tab:red", alpha=0.4, step="post")
    drawdown_axes.set_title("Drawdown")
    drawdown_axes.yaxis.set_major_formatter(lambda fraction, _: f"{fraction:.1%}")
    drawdown_axes.grid(alpha=0.3)

    market = prices.to_pandas(floats=True) if prices is not None else None
    for axes, instrument in zip(price_axes, instruments or ["no fills"]):
        axes.set_title(f"{instrument}: fills on prices" if market is not None else f"{instrument}: fills")
        axes.grid(alpha=0.3)
        if market is not None:
            rows = market[market["instrument"] == instrument]
            trades = rows[rows["kind"] == "trade"]
            if len(trades):
                axes.plot(trades["time_exchange"], trades["price"], color="0.6", linewidth=0.6, label="trades")
            else:
                books = rows.dropna(subset=["bid_price", "ask_price"])
                axes.plot(books["time_exchange"], (books["bid_price"] + books["ask_price"]) / 2, color="0.6", linewidth=0.6, label="L1 mid")
        of = fills[fills["instrument"] == instrument]
        for side, marker, color in (("buy", "^", "tab:green"), ("sell", "v", "tab:red")):
            sided = of[of["side"] == side]
            axes.scatter(sided["time"], sided["price"], marker=marker, color=color, s=18, label=side, zorder=3)
        axes.legend(loc="upper left", fontsize="small")
    if path is not None:
        figure.savefig(path)
    return figure
