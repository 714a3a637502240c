"""``barter``: backtests and market data files from the command line (also ``python -m barter``).

    barter backtest CONFIG DATA [--strategy module:Class] [--out DIR] [--plot equity.png] [--json]
    barter sweep CONFIG DATA --grid grid.toml [--strategy module:Class] [--processes N | --scheduler ADDRESS]
                 [--out results.parquet] [--json]
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

import contextlib
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
    """A built-in ``Strategy`` by name, or ``module:Class`` (a Python strategy's class)."""
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
        return getattr(importlib.import_module(module_name), class_name)
    except Exception as error:  # noqa: BLE001 (any failure of the user's module is bad input, shown in one line)
        raise BadInput(f"--strategy {spec!r}: {type(error).__name__}: {error}") from None


def _made(spec: str, strategy: Any) -> Any:
    """The strategy of a single backtest: a Python strategy's class made with no arguments."""
    from barter.strategy import Strategy

    if isinstance(strategy, Strategy):
        return strategy
    try:
        return strategy()
    except Exception as error:  # noqa: BLE001 (as above)
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
    from barter.statistic import SummaryInterval

    backtest_config = _config(config)
    strategy = _made(strategy_spec, _strategy(strategy_spec))
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
    console.print(summary.trading_summary.table(), highlight=False)
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


def _grid(path: pathlib.Path) -> tuple[Any, str | None]:
    """A sweep's grid file (TOML): ``[grid]`` (names to lists of values) or ``[[variants]]``, and
    an optional ``strategy``. Decimal parameters (``risk_free_return``, ``notional``...) are
    written as strings and given to the strategy as ``Decimal``."""
    from decimal import Decimal, InvalidOperation

    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        raise BadInput("grid files are TOML, read with tomllib: Python 3.11 or later") from None

    try:
        document = tomllib.loads(path.read_text())
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as error:
        _bad(path, str(error))
    if ("grid" in document) == ("variants" in document):
        _bad(path, "expected one of a [grid] table (names to lists of values) or [[variants]]")
    strategy = document.get("strategy")
    if strategy is not None and not isinstance(strategy, str):
        _bad(path, "strategy: expected a string (a built-in name or module:Class)")

    def value(name: str, item: Any) -> Any:
        if isinstance(item, float):
            _bad(path, f"{name}: {item!r} is a float; write decimals as strings (\"{item}\") to keep them exact")
        if isinstance(item, str):
            try:
                return Decimal(item)
            except InvalidOperation:
                return item
        return item

    if "grid" in document:
        grid = document["grid"]
        if not isinstance(grid, dict) or not all(isinstance(values, list) and values for values in grid.values()):
            _bad(path, "[grid]: expected each parameter to have a non-empty list of values")
        return {name: [value(name, item) for item in values] for name, values in grid.items()}, strategy
    variants = document["variants"]
    if not isinstance(variants, list) or not all(isinstance(variant, dict) for variant in variants):
        _bad(path, "[[variants]]: expected tables of parameter values")
    return [{name: value(name, item) for name, item in variant.items()} for variant in variants], strategy


@main.command()
@click.argument("config", type=click.Path(exists=True, dir_okay=False, path_type=pathlib.Path))
@click.argument("data", type=click.Path(exists=True, dir_okay=False, path_type=pathlib.Path))
@click.option("--grid", "grid_path", type=click.Path(exists=True, dir_okay=False, path_type=pathlib.Path), required=True,
              help="TOML: a [grid] of parameter lists (every combination) or [[variants]], and the strategy (module:Class).")
@click.option("--strategy", "strategy_spec", help="module:Class of a Python AlgoStrategy taking the parameters (overrides the grid file's).")
@click.option("--processes", type=click.IntRange(min=1), help="Run on a pool of this many local processes.")
@click.option("--scheduler", help="Run on the Dask cluster at this address (tcp://host:8786; the `dask` extra).")
@click.option("--out", type=click.Path(dir_okay=False, path_type=pathlib.Path), help="Write the results frame (one row per run) as Parquet.")
@click.option("--checkpoint", type=click.Path(file_okay=False, path_type=pathlib.Path),
              help="Save each run to this directory as it finishes; run again with it to resume an interrupted sweep.")
@click.option("--json", "as_json", is_flag=True, help="Print the rows as JSON (no progress bar).")
def sweep(config: pathlib.Path, data: pathlib.Path, grid_path: pathlib.Path, strategy_spec: str | None, processes: int | None,
          scheduler: str | None, out: pathlib.Path | None, checkpoint: pathlib.Path | None, as_json: bool) -> None:
    """Backtest DATA once per variant of a parameter grid, in event time, with a progress bar."""
    import barter
    from barter import backtest as bt
    from barter.statistic import SummaryInterval

    grid, grid_strategy = _grid(grid_path)
    spec = strategy_spec or grid_strategy
    if spec is None:
        _bad(grid_path, "no strategy: give strategy = \"module:Class\" in the file or --strategy")
    strategy = _strategy(spec)
    if processes is not None and scheduler is not None:
        raise BadInput("--processes and --scheduler: give one")
    backtest_config = _config(config)
    market_data = _market_data(data, backtest_config)
    try:
        args = bt.BacktestArgsConstant.from_config(backtest_config, market_data, SummaryInterval.DAILY)
    except BarterError as error:
        _bad(data, error)
    with contextlib.ExitStack() as stack:
        executor: Any = None if processes is None else barter.Processes(processes)
        if scheduler is not None:
            try:
                import distributed
            except ModuleNotFoundError:
                raise BadInput("--scheduler: dask is not installed: pip install barter[dask]") from None
            try:
                executor = stack.enter_context(distributed.Client(scheduler, timeout=10))
            except OSError as error:
                raise BadInput(f"--scheduler {scheduler!r}: {error}") from None
        started = time.perf_counter()
        try:
            runs = barter.sweep(args, grid, strategy=strategy, risk_free_return=backtest_config.risk_free_return(),
                                executor=executor, progress=not as_json, checkpoint=checkpoint)
        except TypeError as error:  # a grid parameter the strategy does not take
            _bad(grid_path, str(error))
        except ValueError as error:  # a checkpoint of another sweep
            raise BadInput(str(error)) from None
    seconds = time.perf_counter() - started
    table = runs.frame().to_arrow()
    if out is not None:
        _pyarrow().parquet.write_table(table, out)
    if as_json:
        click.echo(json.dumps({"runs": len(runs), "failed": len(runs.failed()), "seconds": round(seconds, 6), "rows": table.to_pylist(),
                               "written": [str(out)] if out else []}, default=str))
    else:
        _show_sweep(table, len(runs), seconds, out)
    if runs.failed():
        raise RunFailed(f"{len(runs.failed())} of {len(runs)} runs failed; first: run {runs.failed()[0].index}: {runs.failed()[0].error}")


def _show_sweep(table: Any, runs: int, seconds: float, out: pathlib.Path | None) -> None:
    from rich.console import Console
    from rich.table import Table

    headline = [name for name in table.column_names if name.endswith(".pnl") or name == "error"]
    parameters = table.column_names[2 : table.column_names.index("error")]
    shown = Table(title=f"{runs} runs in {seconds:.2f}s")
    for name in ["run", *parameters, *headline]:
        shown.add_column(name, justify="left" if name == "error" else "right")
    for row in table.select(["run", *parameters, *headline]).to_pylist():
        shown.add_row(*("" if value is None else str(value) for value in row.values()))
    console = Console()
    console.print(shown)
    if out is not None:
        console.print(f"written: {out}")


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
