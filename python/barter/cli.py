"""``barter``: backtests and market data files from the command line (also ``python -m barter``).

    barter backtest CONFIG DATA [--strategy module:Class] [--out DIR] [--plot equity.png] [--json]
    barter data inspect FILE [--config CONFIG] [--json]
    barter data convert IN OUT --config CONFIG

``CONFIG`` is barter's backtest config JSON; market data is barter's JSON lines (``.json``,
``.jsonl``), Parquet or CSV (``.parquet``, ``.csv``: columns as ``barter.backtest.from_arrow``
reads them, instruments named as in ``CONFIG``). Exit codes: 0 done, 1 the run failed (a
strategy raised), 2 bad input (a file, a field, an option), with one line on stderr naming the
file and what in it is wrong. Built on click (commands, options, its test runner) and rich
(tables, the progress of long work).
"""

from __future__ import annotations

import importlib
import json
import pathlib
import sys
import time
from typing import Any, NoReturn

import click

from barter._ffi.barter_ffi import BarterError, InternalError

OK, FAILED, BAD_INPUT = 0, 1, 2
ROW_FILES = (".parquet", ".csv")
JSON_LINES = (".json", ".jsonl", ".ndjson")


class BadInput(click.ClickException):
    """Bad input: exit 2, one line naming the file and what is wrong."""

    exit_code = BAD_INPUT


class RunFailed(click.ClickException):
    """The run itself failed (its strategy raised): exit 1."""

    exit_code = FAILED


def _reason(error: BaseException) -> str:
    # A BarterError's fields name what is wrong (Json: line, Column: column and row).
    if isinstance(error, BarterError.Column):  # type: ignore[misc]
        where = f"column {error.column!r}" + (f", row {error.row}" if error.row is not None else "")
        return f"{where}: {error.reason}"
    if isinstance(error, BarterError.Json):  # type: ignore[misc]
        return f"line {error.line}: {error.reason}"
    # One line: a callback's error carries the Python traceback after its first line.
    return next(iter(str(getattr(error, "reason", error)).splitlines()), type(error).__name__)


def _bad(path: pathlib.Path | str, error: BaseException | str) -> NoReturn:
    raise BadInput(f"{path}: {error if isinstance(error, str) else _reason(error)}")


def _pyarrow() -> Any:
    try:
        import pyarrow
        import pyarrow.compute
        import pyarrow.csv
        import pyarrow.parquet
    except ModuleNotFoundError:
        raise BadInput("pyarrow is not installed: pip install barter[arrow]") from None
    return pyarrow


def _config(path: pathlib.Path) -> Any:
    from barter.system import BacktestConfig

    try:
        return BacktestConfig.from_file(str(path))
    except BarterError as error:
        _bad(path, error)


def _market_data(path: pathlib.Path, config: Any | None) -> Any:
    from barter.backtest import MarketDataInMemory, TimeOrder

    suffix = path.suffix.lower()
    try:
        if suffix in JSON_LINES:
            return MarketDataInMemory.from_json_lines_file(str(path))
        if suffix in ROW_FILES:
            if config is None:
                _bad(path, f"a {suffix} file names its instruments: give --config, whose instruments they are")
            instruments = config.system().indexed_instruments()
            read = MarketDataInMemory.from_parquet_file if suffix == ".parquet" else MarketDataInMemory.from_csv_file
            # Files are replayed as written, as barter replays its own JSON lines.
            return read(str(path), instruments, TimeOrder.AS_GIVEN)
    except BarterError as error:
        _bad(path, error)
    _bad(path, f"unknown kind of file {suffix!r}: expected JSON lines ({', '.join(JSON_LINES)}), .parquet or .csv")


def _strategy(spec: str) -> Any:
    """A built-in ``Strategy`` by name, or ``module:Class`` (a Python strategy, made with no arguments)."""
    from barter.strategy import Strategy

    if ":" not in spec:
        try:
            return Strategy[spec.upper()]
        except KeyError:
            names = ", ".join(member.name.lower() for member in Strategy)
            raise BadInput(f"--strategy {spec!r}: not a built-in strategy ({names}) nor module:Class") from None
    module_name, _, class_name = spec.partition(":")
    sys.path.insert(0, str(pathlib.Path.cwd()))
    try:
        return getattr(importlib.import_module(module_name), class_name)()
    except Exception as error:  # noqa: BLE001 (any failure of the user's module is bad input, shown in one line)
        raise BadInput(f"--strategy {spec!r}: {type(error).__name__}: {error}") from None


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="barter")
def main() -> None:
    """barter-rs from the command line: backtests on barter's engine, and market data files."""


@main.command()
@click.argument("config", type=click.Path(exists=True, dir_okay=False, path_type=pathlib.Path))
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=pathlib.Path))
@click.option("--strategy", "strategy_spec", default="default", show_default=True,
              help="A built-in strategy (default, buy_every_trade) or module:Class of a Python AlgoStrategy.")
@click.option("--out", type=click.Path(file_okay=False, path_type=pathlib.Path),
              help="A folder for the results as Parquet: fills, orders, positions, equity and summary.")
@click.option("--plot", type=click.Path(dir_okay=False, path_type=pathlib.Path), help="Draw equity, drawdown and fills to this image (PNG).")
@click.option("--json", "as_json", is_flag=True, help="Print the result as JSON (barter's summary, counts, files written).")
def backtest(config: pathlib.Path, data: pathlib.Path, strategy_spec: str, out: pathlib.Path | None, plot: pathlib.Path | None, as_json: bool) -> None:
    """Backtest DATA (market data) with the system of CONFIG (barter's backtest config JSON), in event time."""
    from barter import backtest as bt
    from barter.statistic import SummaryInterval, trading_summary_table

    backtest_config = _config(config)
    strategy = _strategy(strategy_spec)
    market_data = _market_data(data, backtest_config)
    try:
        args = bt.BacktestArgsConstant.from_config(backtest_config, market_data, SummaryInterval.DAILY)
    except BarterError as error:
        _bad(data, error)
    dynamic = bt.BacktestArgsDynamic(id=strategy_spec, risk_free_return=backtest_config.risk_free_return(), strategy=strategy)
    started = time.perf_counter()
    try:
        result = bt.backtest(args, dynamic)
    except (BarterError, InternalError) as error:
        raise RunFailed(f"the backtest failed: {_reason(error)}") from None
    seconds = time.perf_counter() - started
    frames = bt.Frames.of(result)
    written = _write(frames, out, plot, market_data, backtest_config)
    summary = result.summary()
    if as_json:
        report = {
            "events": market_data.len(),
            "seconds": round(seconds, 6),
            "fills": len(frames.fills),
            "positions": len(frames.positions),
            "summary": json.loads(summary.trading_summary.to_json()),
            "written": [str(path) for path in written],
        }
        click.echo(json.dumps(report, default=str))
        return
    from rich.console import Console

    console = Console()
    console.print(trading_summary_table(summary.trading_summary), highlight=False)
    console.print(f"{market_data.len():,} events in {seconds:.3f}s: {len(frames.fills)} fills, {len(frames.positions)} positions exited")
    for path in written:
        console.print(f"written: {path}")


def _write(frames: Any, out: pathlib.Path | None, plot: pathlib.Path | None, market_data: Any, config: Any) -> list[pathlib.Path]:
    written: list[pathlib.Path] = []
    if out is not None:
        pa = _pyarrow()
        out.mkdir(parents=True, exist_ok=True)
        for name in ("fills", "orders", "positions", "equity", "summary"):
            path = out / f"{name}.parquet"
            pa.parquet.write_table(getattr(frames, name).to_arrow(), path)
            written.append(path)
    if plot is not None:
        from barter.backtest import Frame

        prices = Frame.from_ipc(market_data.to_arrow_ipc(config.system().indexed_instruments()))
        frames.plot(str(plot), prices=prices)
        written.append(plot)
    return written


@main.group()
def data() -> None:
    """Market data files: inspect, convert."""


@data.command()
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=pathlib.Path))
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=pathlib.Path), help="barter's config whose instruments the file names.")
@click.option("--json", "as_json", is_flag=True, help="Print as JSON.")
def inspect(file: pathlib.Path, config: pathlib.Path | None, as_json: bool) -> None:
    """Counts, time range and instruments of a market data FILE."""
    pa = _pyarrow()
    pc = pa.compute

    backtest_config = _config(config) if config is not None else None
    market_data = _market_data(file, backtest_config)
    if backtest_config is not None:
        table = pa.ipc.open_stream(market_data.to_arrow_ipc(backtest_config.system().indexed_instruments())).read_all()
        instruments = table["instrument"]
    else:  # JSON lines without a config: barter's instrument indexes
        lines = [json.loads(line)["Item"] for line in market_data.to_json_lines().decode().splitlines() if '"Item"' in line]
        table = pa.table({
            "time_exchange": pa.array([item["time_exchange"] for item in lines]).cast(pa.timestamp("ns", tz="UTC")),
            "kind": [("trade" if "Trade" in item["kind"] else "order_book_l1") for item in lines],
        })
        instruments = pa.array([f"index {item['instrument']}" for item in lines])
    times = table["time_exchange"]
    report = {
        "file": str(file),
        "events": market_data.len(),
        "kinds": {str(kind["values"]): int(kind["counts"]) for kind in pc.value_counts(table["kind"]).to_pylist()},
        "instruments": {str(entry["values"]): int(entry["counts"]) for entry in pc.value_counts(instruments).to_pylist()},
        "time_first": str(pc.min(times).as_py()) if len(table) else None,
        "time_last": str(pc.max(times).as_py()) if len(table) else None,
    }
    if as_json:
        click.echo(json.dumps(report))
        return
    from rich.console import Console
    from rich.table import Table

    shown = Table(title=str(file), show_header=False)
    for key in ("events", "time_first", "time_last"):
        shown.add_row(key, f"{report[key]:,}" if isinstance(report[key], int) else str(report[key]))
    for group in ("kinds", "instruments"):
        for name, count in sorted(report[group].items()):
            shown.add_row(f"{group[:-1]} {name}", f"{count:,}")
    Console().print(shown)


@data.command()
@click.argument("source", type=click.Path(exists=True, dir_okay=False, path_type=pathlib.Path))
@click.argument("target", type=click.Path(dir_okay=False, path_type=pathlib.Path))
@click.option("--config", type=click.Path(exists=True, dir_okay=False, path_type=pathlib.Path), required=True,
              help="barter's config whose instruments name the rows.")
def convert(source: pathlib.Path, target: pathlib.Path, config: pathlib.Path) -> None:
    """Convert market data between barter's JSON lines, Parquet and CSV (by the files' suffixes)."""
    pa = _pyarrow()

    backtest_config = _config(config)
    market_data = _market_data(source, backtest_config)
    suffix = target.suffix.lower()
    if suffix in JSON_LINES:
        target.write_bytes(market_data.to_json_lines())
    elif suffix in ROW_FILES:
        table = pa.ipc.open_stream(market_data.to_arrow_ipc(backtest_config.system().indexed_instruments())).read_all()
        (pa.parquet.write_table if suffix == ".parquet" else pa.csv.write_csv)(table, target)
    else:
        _bad(target, f"unknown kind of file {suffix!r}: expected JSON lines ({', '.join(JSON_LINES)}), .parquet or .csv")
    click.echo(f"{market_data.len():,} events: {source} -> {target}")


__all__ = ["main"]
