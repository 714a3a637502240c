"""The workloads of `cargo xtask bench`, started from Python against the installed wheel.

Prints one JSON object per measurement, like `examples/bench_native.rs`:
`{"name", "seconds": [one per repeat], "items": work items per repeat}`, or `{"name", "value"}`.
"""

from __future__ import annotations

import json
import os
import pathlib
import resource
import subprocess
import sys
import threading
import time
from decimal import Decimal
from typing import Callable

from barter.backtest import BacktestArgsConstant, BacktestArgsDynamic, BacktestConfig, backtest, run_backtests
from barter.data import MarketDataInMemory
from barter.statistic import SummaryInterval

REPEATS = int(sys.argv[1]) if len(sys.argv) > 1 else 5
EXAMPLES = pathlib.Path(os.environ["BARTER_CRATE_DIR"]) / "examples"
CONFIG = EXAMPLES / "config/backtest_config.json"
DATA = EXAMPLES / "data/binance_spot_trades_l1_btcusdt_ethusdt_solusdt.json"


def measure(name: str, items: int, run: Callable[[], object], repeats: int = REPEATS) -> None:
    run()  # warm-up
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        run()
        seconds.append(time.perf_counter() - start)
    print(json.dumps({"name": name, "seconds": seconds, "items": items}), flush=True)


def config_with_latency(latency_ms: int) -> BacktestConfig:
    config = json.loads(CONFIG.read_text())
    for execution in config["system"]["executions"]:
        execution["latency_ms"] = latency_ms
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


def main() -> None:
    data = DATA.read_bytes()
    market_data = MarketDataInMemory.from_json_lines(data)
    events = len(market_data)
    measure("ingest: JSON-lines file", events, lambda: MarketDataInMemory.from_json_lines_file(str(DATA)))

    for latency_ms in (100, 0):
        config = config_with_latency(latency_ms)
        args = BacktestArgsConstant.from_config(config, market_data, SummaryInterval.DAILY)
        dynamic = BacktestArgsDynamic(id="bench", risk_free_return=config.risk_free_return())
        measure(f"backtest: latency {latency_ms} ms", events, lambda: backtest(args, dynamic))

    config = config_with_latency(0)
    args = BacktestArgsConstant.from_config(config, market_data, SummaryInterval.DAILY)
    for count in (1, 10, 100):
        variations = [BacktestArgsDynamic(id=str(index), risk_free_return=config.risk_free_return()) for index in range(count)]
        measure(f"run_backtests: N={count}, latency 0 ms", count * events, lambda: run_backtests(args, variations))

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
        measure(f"threads: {threads} x {per_thread} backtests, latency 0 ms", threads * per_thread * events, run_threads)

    per_call("call: MarketDataInMemory.len (int)", market_data.len)
    per_call("call: BacktestArgsConstant.summary_interval (enum)", args.summary_interval)
    per_call("call: BacktestConfig.risk_free_return (Decimal)", config.risk_free_return)
    system = config.system()
    per_call("call: BacktestConfig(Decimal, object) (record in)", lambda: BacktestConfig(Decimal("0.05"), system), calls=5_000)

    measure("python -c pass (interpreter start)", 1, lambda: subprocess.run([sys.executable, "-c", "pass"], check=True))
    measure("python -c 'import barter'", 1, lambda: subprocess.run([sys.executable, "-c", "import barter"], check=True))
    print(json.dumps({"name": "peak RSS (MiB)", "value": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}), flush=True)


if __name__ == "__main__":
    main()
