"""Soaks of issue 16 (bounded memory), run by `cargo xtask soak` against the installed wheel.

Each soak prints one line of JSON and fails (exit 1) past its ceiling:
- `system`: a paper System whose engine processes events non-stop for `--seconds` while nobody
  reads its audit; its RSS stays under a ceiling (the audit keeps 8,192 unread ticks by default).
- `batch`: `run_backtests` of 1,000 backtests of barter's example data; peak RSS at most 1.5 GiB.
- `sequential`: 1,000 backtests one after another; RSS grows less than 5% from the 100th to the
  last (the first ones warm allocators and caches).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import threading
import time
from decimal import Decimal

from barter import Timestamp
from barter.backtest import BacktestArgsConstant, BacktestArgsDynamic, BacktestConfig, MarketDataInMemory, backtest, run_backtests
from barter.data import DataKind, MarketEvent, MarketStreamEvent, PublicTrade
from barter.engine import EngineClock, EngineEvent, LiveClock, TradingState
from barter.instrument import ExchangeId, InstrumentIndex, Side
from barter.statistic import SummaryInterval
from barter.strategy import Strategy
from barter.system import AuditMode, SystemArgs, SystemBuilder

MIB = 1024 * 1024
BARTER = os.environ["BARTER_CRATE_DIR"]
CONFIG = f"{BARTER}/examples/config/backtest_config.json"
DATA = f"{BARTER}/examples/data/binance_spot_trades_l1_btcusdt_ethusdt_solusdt.json"


def rss() -> int:
    """Resident set size now, in bytes (Linux)."""
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def peak_rss() -> int:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def report(name: str, ok: bool, **values: object) -> bool:
    print(json.dumps({"soak": name, "ok": ok, **values}), flush=True)
    return ok


def soak_system(seconds: float, ceiling_mib: int) -> bool:
    config = BacktestConfig.from_file(CONFIG)
    executions = config.system().executions()
    executions[0][0].latency_ms = 0
    args = SystemArgs(instruments=config.system().indexed_instruments(), executions=executions,
                      clock=EngineClock.LIVE(LiveClock()), strategy=Strategy.BUY_EVERY_TRADE)
    system = SystemBuilder(args).audit_mode(AuditMode.ENABLED).build().init()
    system.trading_state(TradingState.ENABLED)
    stop = threading.Event()
    sent = 0

    def feed() -> None:  # a market that never stops trading
        nonlocal sent
        while not stop.is_set():
            now = Timestamp.from_timestamp_ns(time.time_ns())
            trade = PublicTrade(id=str(sent), price=87000.0, amount=0.001, side=Side.BUY)
            system.send(EngineEvent.MARKET(MarketStreamEvent.ITEM(MarketEvent(
                time_exchange=now, time_received=now, exchange=ExchangeId.BINANCE_SPOT, instrument=InstrumentIndex(0), kind=DataKind.TRADE(trade)))))
            sent += 1

    feeder = threading.Thread(target=feed)
    start, samples = rss(), []
    feeder.start()
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        time.sleep(1)
        samples.append(rss())
    stop.set()
    feeder.join()
    audit = system.take_audit()
    engine, _ = system.shutdown()
    most = max(samples)
    return report("system", most - start < ceiling_mib * MIB, seconds=seconds, events_sent=sent, engine_events=engine.meta().sequence,
                  audit_dropped=audit.updates.dropped() if audit else None, rss_start_mib=start // MIB, rss_max_mib=most // MIB,
                  ceiling_growth_mib=ceiling_mib)


def soak_batch(count: int) -> bool:
    config = BacktestConfig.from_file(CONFIG)
    args = BacktestArgsConstant.from_config(config, MarketDataInMemory.from_json_lines_file(DATA), SummaryInterval.DAILY)
    started = time.monotonic()
    results = run_backtests(args, [BacktestArgsDynamic(id=str(i), risk_free_return=Decimal(0)) for i in range(count)])
    assert len(results.results()) == count
    return report("batch", peak_rss() <= 1536 * MIB, backtests=count, seconds=round(time.monotonic() - started, 2),
                  peak_rss_mib=peak_rss() // MIB, ceiling_mib=1536)


def soak_sequential(count: int) -> bool:
    config = BacktestConfig.from_file(CONFIG)
    args = BacktestArgsConstant.from_config(config, MarketDataInMemory.from_json_lines_file(DATA), SummaryInterval.DAILY)
    after_warmup = None
    for index in range(count):
        backtest(args, BacktestArgsDynamic(id=str(index), risk_free_return=Decimal(0), strategy=Strategy.BUY_EVERY_TRADE))
        if index == 99:
            after_warmup = rss()
    end = rss()
    growth = (end - after_warmup) / after_warmup
    return report("sequential", growth < 0.05, backtests=count, rss_after_100_mib=after_warmup // MIB, rss_end_mib=end // MIB,
                  growth_percent=round(growth * 100, 2))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("soak", choices=["system", "batch", "sequential"])
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--ceiling-mib", type=int, default=128, help="RSS growth allowed to the system soak")
    options = parser.parse_args()
    ok = {"system": lambda: soak_system(options.seconds, options.ceiling_mib), "batch": lambda: soak_batch(options.count),
          "sequential": lambda: soak_sequential(options.count)}[options.soak]()
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
