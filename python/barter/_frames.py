"""A backtest's results as frames: fills, orders, positions exited, the equity curve and the
summary, recorded in Rust as the backtest ran and handed over as Arrow, one crossing per table.

Every :class:`Frame` is an Arrow table underneath: ``to_arrow()`` (pyarrow), ``to_pandas()``,
``to_polars()``, and the Arrow PyCapsule interface (``pyarrow.table(frame)``,
``polars.DataFrame(frame)``). Decimals are Arrow ``decimal128`` columns, exact (pandas shows
them as ``Decimal`` objects); ``floats=True`` gives the float64 view for plotting and numpy.
Times are UTC nanoseconds (``datetime64[ns, UTC]`` in pandas).
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import enum
import json
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from barter._convert import Timestamp
from barter._bases import field_values
from barter._ffi.barter_ffi import BacktestResult, BacktestResults, BacktestSummary, MultiBacktestSummary, System

if TYPE_CHECKING:  # optional extras: imported where used
    import pandas
    import polars
    import pyarrow
    from matplotlib.figure import Figure


class Frame:
    """One table of a backtest's results (see the module's documentation)."""

    __slots__ = ("_table",)

    def __init__(self, table: pyarrow.Table) -> None:
        import pyarrow as pa

        if not isinstance(table, pa.Table):
            raise TypeError(f"table: expected a pyarrow Table, got {type(table).__name__}")
        self._table = table

    @classmethod
    def from_ipc(cls, data: bytes) -> Frame:
        """A frame from an Arrow IPC stream (as Rust writes each table)."""
        import pyarrow as pa

        if not isinstance(data, (bytes, bytearray, memoryview)):
            raise TypeError(f"data: expected bytes (an Arrow IPC stream), got {type(data).__name__}")
        try:
            return cls(pa.ipc.open_stream(data).read_all())
        except (pa.ArrowException, OSError) as error:  # pyarrow reports a bad stream as OSError too
            raise ValueError(f"data: not an Arrow IPC stream: {error}") from error

    def to_arrow(self) -> pyarrow.Table:
        """The table, as pyarrow holds it (no copy)."""
        return self._table

    def to_pandas(self, *, floats: bool = False) -> pandas.DataFrame:
        """A pandas DataFrame: ``Decimal`` objects, exact; with ``floats=True``, float64."""
        return (_as_floats(self._table) if floats else self._table).to_pandas()

    def to_polars(self, *, floats: bool = False) -> polars.DataFrame:
        """A polars DataFrame: ``Decimal`` columns, exact; with ``floats=True``, ``Float64``."""
        import polars as pl

        frame = pl.from_arrow(_as_floats(self._table) if floats else self._table)
        assert isinstance(frame, pl.DataFrame)
        return frame

    def __arrow_c_stream__(self, requested_schema: object | None = None) -> object:
        return self._table.__arrow_c_stream__(requested_schema)

    @property
    def columns(self) -> list[str]:
        return list(self._table.column_names)

    def __len__(self) -> int:
        return self._table.num_rows

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Frame) and self._table.equals(other._table)

    __hash__ = None  # type: ignore[assignment] (a table is compared by value, not hashed)

    def __repr__(self) -> str:
        return f"Frame({len(self)} rows: {', '.join(self.columns)})"

    def __reduce__(self) -> tuple[Any, ...]:
        # By value, as an Arrow IPC stream.
        import pyarrow as pa

        sink = pa.BufferOutputStream()
        with pa.ipc.new_stream(sink, self._table.schema) as writer:
            writer.write_table(self._table)
        return (Frame.from_ipc, (sink.getvalue().to_pybytes(),))


def _as_floats(table: pyarrow.Table) -> pyarrow.Table:
    import pyarrow as pa

    for index, field in enumerate(table.schema):
        if pa.types.is_decimal(field.type):
            table = table.set_column(index, field.name, table.column(index).cast(pa.float64()))
    return table


@dataclasses.dataclass(frozen=True)
class Frames:
    """A backtest's results as frames, recorded in Rust as it ran.

    - ``fills``: every fill, in the order the engine received them (time, exchange, instrument,
      side, price, quantity, fees, fees_asset, order_id, trade_id, strategy);
    - ``orders``: every open and cancel request, risk verdict and exchange answer, with its
      ``event`` and ``reason``;
    - ``positions``: every position exited, as barter's ``PositionExited`` (entry and exit
      times, side, quantity, average entry price, pnl realised with fees, fees);
    - ``equity``: each asset's balance and their ``value`` in the quote asset at mark prices
      (barter's: the L1 mid, else the last trade), on every change (or per ``Recording``
      interval);
    - ``summary``: barter's ``TradingSummary`` as one row (see :func:`summary_frame`); ``None``
      for a system (its engine's ``trading_summary_generator`` makes one).

    >>> # frames = Frames.of(backtest(args, dynamic)); frames.fills.to_pandas()
    """

    fills: Frame
    orders: Frame
    positions: Frame
    equity: Frame
    summary: Frame | None

    @classmethod
    def of(cls, result: BacktestResult | System) -> Frames:
        """The frames of a backtest's result, or of a system after its shutdown;
        ``ValueError`` if it recorded none (``BacktestMode.UPSTREAM``, ``Recording(enabled=False)``,
        or a live system built without ``SystemBuilder.recording``)."""
        if not isinstance(result, (BacktestResult, System)):
            raise TypeError(f"result: expected BacktestResult or System, got {type(result).__name__}")
        frames = result.frames()
        if frames is None:
            raise ValueError(f"this {type(result).__name__} recorded no frames: see Recording")
        return cls(
            fills=Frame.from_ipc(frames.fills),
            orders=Frame.from_ipc(frames.orders),
            positions=Frame.from_ipc(frames.positions),
            equity=Frame.from_ipc(frames.equity),
            summary=summary_frame([result.summary()]) if isinstance(result, BacktestResult) else None,
        )

    def plot(self, path: str | None = None, *, prices: Frame | None = None) -> Figure:
        """Equity curve, drawdown, and fills on each instrument's prices, one panel each
        (matplotlib, the ``plot`` extra). ``prices``: the market data's frame
        (``MarketDataInMemory.to_arrow``) to draw the fills on; without it, the fill prices
        alone. Saved to ``path`` (PNG, or any format matplotlib knows by its suffix) if given."""
        from barter._plot import plot

        return plot(self, path, prices)


def summary_frame(
    summaries: BacktestResults | MultiBacktestSummary | Iterable[BacktestSummary],
    parameters: Mapping[str, Mapping[str, Any]] | None = None,
) -> Frame:
    """barter's summaries as a frame, one row per backtest, in order: ``id``,
    ``risk_free_return``, then each backtest's ``parameters`` (by id, if given), the engine's
    start and end times, and every metric of every instrument's and asset's tear sheet, named
    ``<instrument>.<metric>`` and ``<exchange>:<asset>.<metric>`` (nested metrics joined by
    ``.``). Decimals stay exact."""
    import pyarrow as pa

    if isinstance(summaries, BacktestResults):
        summaries = summaries.summary().summaries
    elif isinstance(summaries, MultiBacktestSummary):
        summaries = summaries.summaries
    rows = []
    for index, summary in enumerate(summaries):
        if not isinstance(summary, BacktestSummary):
            raise TypeError(f"summaries[{index}]: expected BacktestSummary, got {type(summary).__name__}")
        row: dict[str, Any] = {"id": str(summary.id), "risk_free_return": summary.risk_free_return}
        row.update((parameters or {}).get(str(summary.id), {}))
        row.update(summary_metrics(summary))
        rows.append(row)
    return Frame(pa.Table.from_pylist(rows))


def summary_metrics(summary: BacktestSummary) -> dict[str, Any]:
    """A summary's columns of :func:`summary_frame` after its parameters: the engine's start and
    end times, then every tear sheet's metrics, flattened."""
    trading = summary.trading_summary
    row: dict[str, Any] = {"time_engine_start": _cell(trading.time_engine_start), "time_engine_end": _cell(trading.time_engine_end)}
    for name, tear_sheet in trading.instruments.items():
        _flatten(row, str(name), tear_sheet)
    for asset, tear_sheet in trading.assets.items():
        _flatten(row, f"{json.loads(asset.exchange.to_json())}:{asset.asset}", tear_sheet)  # barter's ExchangeId text
    return row


def _flatten(row: dict[str, Any], prefix: str, value: Any) -> None:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):  # a generated record
        for name, item in field_values(value).items():
            _flatten(row, f"{prefix}.{name}", item)
    else:
        row[prefix] = _cell(value)


def _cell(value: Any) -> Any:
    """A value as pyarrow takes it: nanosecond times as pandas-free ``pyarrow`` scalars."""
    import pyarrow as pa

    if isinstance(value, Timestamp):
        return pa.scalar(value.timestamp_ns(), type=pa.timestamp("ns", tz="UTC"))
    if isinstance(value, enum.Enum):
        return value.name.lower()
    if isinstance(value, _dt.timedelta):
        return pa.scalar(value, type=pa.duration("us"))
    return value


__all__ = ["Frame", "Frames", "summary_frame"]
