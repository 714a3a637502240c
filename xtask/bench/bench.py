"""The workloads of `cargo xtask bench`, started from Python against the installed wheel.

Prints one JSON object per measurement, like `examples/bench_native.rs`:
`{"name", "seconds": [one per repeat], "items": work items per repeat}`, or `{"name", "value"}`.
"""

from __future__ import annotations

import array
import datetime as dt
import json
import math
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import threading
import time
from decimal import Decimal
from typing import Callable

from barter.backtest import (
    BacktestArgsConstant,
    BacktestArgsDynamic,
    BacktestConfig,
    BacktestMode,
    BacktestResult,
    Frames,
    MarketDataInMemory,
    Recording,
    TimeOrder,
    backtest,
    from_arrow,
    run_backtests,
)
from barter import Timestamp
from barter.data import Level, MarketStreamEvent
from barter.instrument import ExchangeId
from barter.statistic import SummaryInterval
from barter.strategy import AlgoStrategy, Strategy, StrategyContext
from barter.instrument import InstrumentIndex

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parents[2] / "examples"))
from sma_crossover import SmaCrossover  # noqa: E402 (the example, as users run it)

REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
EXAMPLES = pathlib.Path(os.environ["BARTER_CRATE_DIR"]) / "examples"
CONFIG = EXAMPLES / "config/backtest_config.json"
DATA = EXAMPLES / "data/binance_spot_trades_l1_btcusdt_ethusdt_solusdt.json"


def measure(name: str, items: int, run: Callable[[], object], repeats: int = REPEATS) -> list[float]:
    run()  # warm-up
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
    print(json.dumps({"name": name, "seconds": seconds, "items": items}), flush=True)
    return seconds


def config_with_latency(latency_ms: int) -> BacktestConfig:
    config = json.loads(CONFIG.read_text())
    for execution in config["system"]["executions"]:
        execution["latency_ms"] = latency_ms
    return BacktestConfig.from_json(json.dumps(config))


def config_simulated(latency_ms: int) -> BacktestConfig:
    """barter's example config with its mock replaced by the bindings' simulated venue (same
    exchange, balances and latency; fees 1 and 5 bps)."""
    config = json.loads(CONFIG.read_text())
    config["system"]["executions"] = [
        {"simulated": {"exchange": mock["mocked_exchange"], "initial_state": mock["initial_state"], "latency_ms": latency_ms,
                       "fees": {"maker_bps": "1", "taker_bps": "5"}}}
        for mock in config["system"]["executions"]
    ]
    return BacktestConfig.from_json(json.dumps(config))


def per_call(name: str, call: Callable[[], object], calls: int = 20_000) -> None:
    """Mean seconds of one call, over `calls` calls per repeat."""
    seconds = []
    for repeat in range(REPEATS + 1):
        start = time.perf_counter()
        for _ in range(calls):
            call()
        if repeat:  # the first is the warm-up
            seconds.append((time.perf_counter() - start) / calls)
    print(json.dumps({"name": name, "seconds": seconds, "items": 1}), flush=True)


def columns_of(lines: list[str]) -> dict[str, object]:
    """barter's example events as the plain columns `MarketDataInMemory.from_columns` takes."""
    codes = {"kind": "B", "instrument": "q", "time_exchange": "q", "time_received": "q", "price": "d", "amount": "d", "ask_price": "d", "ask_amount": "d", "side": "B"}
    columns = {name: array.array(code) for name, code in codes.items()}
    ids = []
    nanos = lambda text: Timestamp.from_rfc3339(text).timestamp_ns()  # noqa: E731
    for line in lines:
        item = json.loads(line)["Item"]
        trade, l1 = item["kind"].get("Trade"), item["kind"].get("OrderBookL1")
        bid, ask = (l1["best_bid"], l1["best_ask"]) if l1 else (None, None)
        row = {
            "kind": 0 if trade else 1,
            "instrument": item["instrument"],
            "time_exchange": nanos(item["time_exchange"]),
            "time_received": nanos(item["time_received"]),
            "price": trade["price"] if trade else float(bid["price"]) if bid else math.nan,
            "amount": trade["amount"] if trade else float(bid["amount"]) if bid else math.nan,
            "ask_price": float(ask["price"]) if ask else math.nan,
            "ask_amount": float(ask["amount"]) if ask else math.nan,
            "side": 1 if trade and trade["side"] == "Sell" else 0,
        }
        for name, value in row.items():
            columns[name].append(value)
        ids.append(trade["id"] if trade else "")
    return {**columns, "trade_id": ids}


class WokenByNothing(AlgoStrategy):
    """A Python strategy overriding no handler: the engine never crosses into Python."""


class CountTrades(AlgoStrategy):
    """The cheapest handler: what one call into Python costs, end to end."""

    def __init__(self) -> None:
        self.trades = 0

    def on_trade(self, ctx: StrategyContext, instrument: int, price: float, amount: float, side: object) -> None:
        self.trades += 1


class ViewReads(AlgoStrategy):
    """At its 1,000th trade, times each read of the view `calls` times (the state then holds
    prices, an L1 book and a balance)."""

    def __init__(self, calls: int) -> None:
        self.calls, self.trades, self.seconds = calls, 0, {}

    def on_trade(self, ctx: StrategyContext, instrument: int, price: float, amount: float, side: object) -> None:
        self.trades += 1
        if self.trades != 1_000:
            return
        usdt = ctx.asset_index(ExchangeId.BINANCE_SPOT, "usdt")
        reads = {
            "time": ctx.time, "trading": ctx.trading, "price": lambda: ctx.price(instrument),
            "order_book_l1": lambda: ctx.order_book_l1(instrument), "last_trade": lambda: ctx.last_trade(instrument),
            "position": lambda: ctx.position(instrument), "orders": lambda: ctx.orders(instrument),
            "balance": lambda: ctx.balance(usdt), "instrument (all of it)": lambda: ctx.instrument(instrument),
        }
        for name, read in reads.items():
            start = time.perf_counter()
            for _ in range(self.calls):
                read()
            self.seconds[name] = (time.perf_counter() - start) / self.calls


def python_strategies(args: BacktestArgsConstant, config: BacktestConfig) -> None:
    """Strategies written in Python, on barter's example data (latency 100 ms, event time)."""
    events = 50_000
    rate = config.risk_free_return()
    run = lambda strategy: backtest(args, BacktestArgsDynamic(id="bench", risk_free_return=rate, strategy=strategy))  # noqa: E731
    measure("backtest: event time, SMA crossover, latency 100 ms", events, lambda: run(SmaCrossover()))
    measure("backtest: event time, Python strategy woken by nothing, latency 100 ms", events, lambda: run(WokenByNothing()))
    counter = CountTrades()
    measure("backtest: event time, Python strategy called on each trade, latency 100 ms", events, lambda: run(CountTrades()))
    run(counter)
    print(json.dumps({"name": "Python strategy: trades that called it (of 50,000 events)", "value": counter.trades}), flush=True)
    for repeat in range(REPEATS + 1):
        reads = ViewReads(2_000)
        run(reads)
        if repeat == 0:
            samples = {name: [] for name in reads.seconds}
        else:
            for name, seconds in reads.seconds.items():
                samples[name].append(seconds)
    for name, seconds in samples.items():
        print(json.dumps({"name": f"view read: StrategyContext.{name}", "seconds": seconds, "items": 1}), flush=True)
    for threads in (1, 2, 4):
        def run_threads() -> None:
            pool = [threading.Thread(target=lambda: run(SmaCrossover())) for _ in range(threads)]
            for thread in pool:
                thread.start()
            for thread in pool:
                thread.join()
        measure(f"threads: {threads} x SMA crossover in Python, event time, latency 100 ms", threads * events, run_threads)
    batch = lambda: run_backtests(args, [BacktestArgsDynamic(id=str(i), risk_free_return=rate, strategy=SmaCrossover()) for i in range(8)])  # noqa: E731
    measure("run_backtests: event time, 8 x SMA crossover in Python, latency 100 ms", 8 * events, batch)


def sweeps(args: BacktestArgsConstant) -> None:
    """Sweep throughput (issue 17), in backtests per second: a grid of the Python SMA crossover and
    of the built-in BuyEveryTrade, in this process, on local processes and on a Dask LocalCluster
    (built once; each sweep scatters its data). The pools start with each sweep, as users run them."""
    import barter
    from distributed import Client, LocalCluster

    python_grid = {"fast": [5, 10, 15, 20], "slow": [40, 50, 60, 80], "notional": [Decimal(500), Decimal(1000)]}  # 32 runs
    builtin_grid = {"risk_free_return": [Decimal(rate) / 100 for rate in range(16)]}
    medians: dict[str, float] = {}

    def timed(name: str, runs: int, run: Callable[[], object]) -> None:
        seconds = measure(name, runs, run, repeats=3)
        medians[name] = sorted(seconds)[len(seconds) // 2]

    def python_sweep(executor: object) -> None:
        assert not barter.sweep(args, python_grid, strategy=SmaCrossover, executor=executor).failed()  # type: ignore[arg-type]

    def builtin_sweep(executor: object) -> None:
        assert not barter.sweep(args, builtin_grid, strategy=Strategy.BUY_EVERY_TRADE, executor=executor).failed()  # type: ignore[arg-type]

    timed("sweep: 32 x SMA crossover in Python, in-process", 32, lambda: python_sweep(None))
    timed("sweep: 16 x BuyEveryTrade, in-process", 16, lambda: builtin_sweep(None))
    for workers in (1, 2):
        timed(f"sweep: 32 x SMA crossover in Python, {workers} processes", 32, lambda: python_sweep(barter.Processes(workers)))
        timed(f"sweep: 16 x BuyEveryTrade, {workers} processes", 16, lambda: builtin_sweep(barter.Processes(workers)))
        with LocalCluster(n_workers=workers, threads_per_worker=1, host="127.0.0.1", dashboard_address=None, silence_logs=50) as cluster, Client(cluster) as client:
            timed(f"sweep: 32 x SMA crossover in Python, Dask LocalCluster of {workers}", 32, lambda: python_sweep(client))
            timed(f"sweep: 16 x BuyEveryTrade, Dask LocalCluster of {workers}", 16, lambda: builtin_sweep(client))
    for where in ("{} processes", "Dask LocalCluster of {}"):
        one, two = (medians[f"sweep: 32 x SMA crossover in Python, {where.format(n)}"] for n in (1, 2))
        print(json.dumps({"name": f"sweep speed-up, 2 workers over 1, Python SMA: {where.format('n')}", "value": round(one / two, 3)}), flush=True)


def frames_ingest(market_data: MarketDataInMemory) -> None:
    """Market data in from Arrow, pandas, polars and Parquet (issue 14: at least 3M rows/s)."""
    import pandas  # noqa: F401 (to_pandas needs it)
    import polars as pl
    import pyarrow as pa
    import pyarrow.parquet

    instruments = BacktestConfig.from_file(str(CONFIG)).system().indexed_instruments()
    table = pa.ipc.open_stream(market_data.to_arrow_ipc(instruments)).read_all()
    rows = table.num_rows
    # barter's example file is not sorted by time: kept as given, as barter replays it.
    measure("ingest: pyarrow Table (from_arrow)", rows, lambda: from_arrow(table, instruments, TimeOrder.AS_GIVEN))
    frame = table.to_pandas()
    measure("ingest: pandas DataFrame (from_arrow)", rows, lambda: from_arrow(frame, instruments, TimeOrder.AS_GIVEN))
    polars = pl.from_arrow(table)
    measure("ingest: polars DataFrame (from_arrow)", rows, lambda: from_arrow(polars, instruments, TimeOrder.AS_GIVEN))
    with tempfile.TemporaryDirectory() as directory:
        path = f"{directory}/events.parquet"
        pyarrow.parquet.write_table(table, path)
        measure("ingest: Parquet file, read in Rust", rows, lambda: MarketDataInMemory.from_parquet_file(path, instruments, TimeOrder.AS_GIVEN))
    measure("export: market data to a pyarrow Table", rows, lambda: pa.ipc.open_stream(market_data.to_arrow_ipc(instruments)).read_all())


def frames_to_pandas(result: BacktestResult) -> None:
    frames = Frames.of(result)
    for frame in (frames.fills, frames.orders, frames.positions, frames.equity):
        frame.to_pandas()


def main() -> None:
    data = DATA.read_bytes()
    market_data = MarketDataInMemory.from_json_lines(data)
    events = len(market_data)
    measure("ingest: JSON-lines file", events, lambda: MarketDataInMemory.from_json_lines_file(str(DATA)))
    lines = data.decode().splitlines()
    columns = columns_of(lines)
    measure("ingest: columns from Python, one call", events, lambda: MarketDataInMemory.from_columns(ExchangeId.BINANCE_SPOT, **columns))
    objects = [MarketStreamEvent.from_json(line) for line in lines[:10_000]]
    measure("ingest: one object per event (10k events)", len(objects), lambda: MarketDataInMemory.from_events(objects))
    frames_ingest(market_data)

    for latency_ms in (100, 0):
        config = config_with_latency(latency_ms)
        args = BacktestArgsConstant.from_config(config, market_data, SummaryInterval.DAILY)
        dynamic = BacktestArgsDynamic(id="bench", risk_free_return=config.risk_free_return())
        measure(f"backtest: upstream, latency {latency_ms} ms", events, lambda: backtest(args, dynamic, mode=BacktestMode.UPSTREAM))
        measure(f"backtest: event time, latency {latency_ms} ms", events, lambda: backtest(args, dynamic))

    config = config_with_latency(100)
    args = BacktestArgsConstant.from_config(config, market_data, SummaryInterval.DAILY)
    trading = BacktestArgsDynamic(id="bench", risk_free_return=config.risk_free_return(), strategy=Strategy.BUY_EVERY_TRADE)
    measure("backtest: event time, BuyEveryTrade, latency 100 ms", events, lambda: backtest(args, trading))
    # What recording fills, orders, positions and equity costs (issue 14: at most 1.1x).
    off = Recording(enabled=False)
    measure("backtest: event time, BuyEveryTrade, latency 100 ms, recording off", events, lambda: backtest(args, trading, recording=off))
    every = Recording(enabled=True, equity_interval=dt.timedelta(0))
    measure("backtest: event time, BuyEveryTrade, latency 100 ms, equity on every change", events, lambda: backtest(args, trading, recording=every))
    quiet = BacktestArgsDynamic(id="bench", risk_free_return=config.risk_free_return())
    measure("backtest: event time, latency 100 ms, recording off", events, lambda: backtest(args, quiet, recording=off))
    sma = lambda: BacktestArgsDynamic(id="bench", risk_free_return=Decimal(0), strategy=SmaCrossover())  # noqa: E731
    measure("backtest: event time, SMA crossover, latency 100 ms, recording off", events, lambda: backtest(args, sma(), recording=off))
    measure("frames: a BuyEveryTrade result's built and read as pandas (fills, orders, positions, equity)", 1, lambda: frames_to_pandas(backtest(args, trading)))

    # The simulated venue against barter's mock, on the same work (issue 13: at most 1.2x).
    simulated = BacktestArgsConstant.from_config(config_simulated(100), market_data, SummaryInterval.DAILY)
    quiet = BacktestArgsDynamic(id="bench", risk_free_return=config.risk_free_return())
    measure("backtest: event time, simulated venue, latency 100 ms", events, lambda: backtest(simulated, quiet))
    measure("backtest: event time, BuyEveryTrade, simulated venue, latency 100 ms", events, lambda: backtest(simulated, trading))

    python_strategies(args, config)
    sweeps(args)

    config = config_with_latency(0)
    args = BacktestArgsConstant.from_config(config, market_data, SummaryInterval.DAILY)
    trading = BacktestArgsDynamic(id="bench", risk_free_return=config.risk_free_return(), strategy=Strategy.BUY_EVERY_TRADE)
    measure("backtest: upstream, BuyEveryTrade, latency 0 ms", events, lambda: backtest(args, trading, mode=BacktestMode.UPSTREAM))

    for count in (1, 10, 100):
        variations = [BacktestArgsDynamic(id=str(index), risk_free_return=config.risk_free_return()) for index in range(count)]
        measure(f"run_backtests: upstream, N={count}, latency 0 ms", count * events, lambda: run_backtests(args, variations, mode=BacktestMode.UPSTREAM))
    measure("run_backtests: event time, N=100, latency 0 ms", 100 * events, lambda: run_backtests(args, variations))

    # Python threads each running backtests: throughput grows only if the GIL is released.
    per_thread = 4
    for threads in (1, 2, 4):
        def run_threads() -> None:
            def work() -> None:
                for index in range(per_thread):
                    backtest(args, BacktestArgsDynamic(id=str(index), risk_free_return=Decimal("0.05")))
            pool = [threading.Thread(target=work) for _ in range(threads)]
            for thread in pool:
                thread.start()
            for thread in pool:
                thread.join()
        measure(f"threads: {threads} x {per_thread} backtests, event time, latency 0 ms", threads * per_thread * events, run_threads)

    per_call("call: MarketDataInMemory.len (int)", market_data.len)
    per_call("call: BacktestArgsConstant.summary_interval (enum)", args.summary_interval)
    per_call("call: BacktestConfig.risk_free_return (Decimal)", config.risk_free_return)
    system = config.system()
    indexed = system.indexed_instruments()
    name = indexed.instruments()[-1].value.name_internal  # barter searches linearly: the last is the slowest
    per_call("call: IndexedInstruments.find_instrument_index (look-up)", lambda: indexed.find_instrument_index(ExchangeId.BINANCE_SPOT, name))
    per_call("build: ExchangeId enum member by name (Python only)", lambda: ExchangeId["BINANCE_SPOT"])
    per_call("build: Level record (Python only)", lambda: Level(price=Decimal("2059.1"), amount=Decimal("33.0914")))
    level = Level(price=Decimal("2059.1"), amount=Decimal("33.0914"))
    event = MarketStreamEvent.from_json(lines[0])
    per_call("call: Level.to_json (record in, str out)", level.to_json)
    per_call("call: MarketStreamEvent.to_json (nested record in, str out)", event.to_json)
    per_call("call: BacktestConfig(Decimal, object) (record in)", lambda: BacktestConfig(Decimal("0.05"), system), calls=5_000)

    measure("python -c pass (interpreter start)", 1, lambda: subprocess.run([sys.executable, "-c", "pass"], check=True))
    measure("python -c 'import barter'", 1, lambda: subprocess.run([sys.executable, "-c", "import barter"], check=True))
    print(json.dumps({"name": "peak RSS (MiB)", "value": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)


if __name__ == "__main__":
    main()
