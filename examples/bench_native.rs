//! Native barter on the workloads of `cargo xtask bench`, which runs it beside the same work
//! started from Python (`xtask/bench/bench.py`). Prints one JSON object per measurement:
//! `{"name", "seconds": [one per repeat], "items": work items per repeat}`.

#[path = "../tests/native/mod.rs"]
mod native;

use barter::statistic::time::Daily;
use barter_ffi::barter::{
    backtest::{self as ffi_backtest, BacktestArgsDynamic, BacktestMode, Recording},
    strategy::{ForeignStrategy, Strategy, algo::Wakes},
};
use rust_decimal::Decimal;
use serde_json::json;
use std::time::Instant;

fn main() {
    let repeats: usize = std::env::args().nth(1).map_or(5, |arg| arg.parse().expect("repeats"));
    let dir = native::barter_crate_dir();
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let measure = |name: &str, items: usize, mut run: Box<dyn FnMut() + '_>| {
        run(); // warm-up
        let seconds: Vec<f64> = (0..repeats)
            .map(|_| {
                let start = Instant::now();
                run();
                start.elapsed().as_secs_f64()
            })
            .collect();
        println!("{}", json!({ "name": name, "seconds": seconds, "items": items }));
    };

    let events = native::load_events(&dir);
    let num_events = events.len();
    measure("ingest: JSON-lines file", num_events, Box::new(|| drop(native::load_events(&dir))));

    for latency_ms in [100, 0] {
        let config = native::load_config(&dir, Some(latency_ms));
        let args = native::args_constant(config.system, events.clone(), Daily);
        measure(&format!("backtest: upstream, latency {latency_ms} ms"), num_events, Box::new(|| {
            runtime
                .block_on(barter::backtest::backtest(args.clone(), native::args_dynamic("bench", config.risk_free_return)))
                .unwrap();
        }));
    }

    // The bindings' event-time backtest, called from Rust: what the Python rows of the same name
    // add is the FFI; set beside the upstream rows, what event time costs.
    for (latency_ms, strategy) in [(100, Strategy::Default), (0, Strategy::Default), (100, Strategy::BuyEveryTrade)] {
        let (args, risk_free_return) = native::ffi_args(&dir, latency_ms);
        let label = if strategy == Strategy::Default { String::new() } else { format!("{strategy:?}, ") };
        measure(&format!("backtest: event time, {label}latency {latency_ms} ms"), num_events, Box::new(|| {
            ffi_backtest::backtest(&args, dynamic("bench", risk_free_return, Some(strategy)), Some(BacktestMode::EventTime), None).unwrap();
        }));
    }
    // What recording the frames costs (issue 14: at most 1.1x): the row above records them.
    let (args, risk_free_return) = native::ffi_args(&dir, 100);
    measure("backtest: event time, BuyEveryTrade, latency 100 ms, recording off", num_events, Box::new(|| {
        let off = Recording { enabled: false, equity_interval: None };
        ffi_backtest::backtest(&args, dynamic("bench", risk_free_return, Some(Strategy::BuyEveryTrade)), Some(BacktestMode::EventTime), Some(off)).unwrap();
    }));

    // The SMA crossover in Rust (tests/native/sma.rs), on the adapters a Python strategy uses,
    // with no FFI: beside the same strategy in Python (examples/sma_crossover.py).
    let (args, risk_free_return) = native::ffi_args(&dir, 100);
    measure("backtest: event time, SMA crossover, latency 100 ms", num_events, Box::new(|| {
        let foreign = ForeignStrategy {
            algo: std::sync::Arc::new(native::sma::SmaCrossover::default()),
            wakes: Wakes { trades: true, ..Wakes::default() },
            close_positions: None,
            on_disconnect: None,
            on_trading_disabled: None,
        };
        let dynamic = BacktestArgsDynamic { foreign_strategy: Some(foreign), ..dynamic("bench", risk_free_return, None) };
        ffi_backtest::backtest(&args, dynamic, Some(BacktestMode::EventTime), None).unwrap();
    }));

    // The bindings' own Rust strategy that trades, in barter's own backtest(): no FFI in between.
    let (args, risk_free_return) = native::ffi_args(&dir, 0);
    measure("backtest: upstream, BuyEveryTrade, latency 0 ms", num_events, Box::new(|| {
        ffi_backtest::backtest(&args, dynamic("bench", risk_free_return, Some(Strategy::BuyEveryTrade)), Some(BacktestMode::Upstream), None).unwrap();
    }));

    let config = native::load_config(&dir, Some(0));
    let args = native::args_constant(config.system, events, Daily);
    for count in [1, 10, 100] {
        measure(&format!("run_backtests: upstream, N={count}, latency 0 ms"), count * num_events, Box::new(|| {
            let variations = (0..count).map(|index| native::args_dynamic(&index.to_string(), config.risk_free_return));
            runtime.block_on(barter::backtest::run_backtests(args.clone(), variations)).unwrap();
        }));
    }

    let (args, risk_free_return) = native::ffi_args(&dir, 0);
    measure("run_backtests: event time, N=100, latency 0 ms", 100 * num_events, Box::new(|| {
        let variations = (0..100).map(|index| dynamic(&index.to_string(), risk_free_return, None)).collect();
        ffi_backtest::run_backtests(&args, variations, Some(BacktestMode::EventTime), None).unwrap();
    }));

    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let peak_kib = status.lines().find_map(|line| line.strip_prefix("VmHWM:")).map_or(0, |value| value.trim().trim_end_matches(" kB").parse().unwrap_or(0));
    println!("{}", json!({ "name": "peak RSS (MiB)", "value": peak_kib as f64 / 1024.0 }));
}

/// The bindings' backtest inputs for a built-in strategy.
fn dynamic(id: &str, risk_free_return: Decimal, strategy: Option<Strategy>) -> BacktestArgsDynamic {
    BacktestArgsDynamic { id: id.into(), risk_free_return, strategy, foreign_strategy: None, risk: None }
}
