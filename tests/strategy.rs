//! Strategies of the foreign language, run from Rust with no FFI: the SMA crossover of
//! `tests/native/sma.rs` (the twin of `examples/sma_crossover.py`) on barter's example data and
//! config, through the bindings' adapters and barter's engine, in event time.
//!
//! - It trades, and two runs give the same summary and fills.
//! - Writes the reference the Python SMA crossover must equal
//!   (`target/parity/sma_crossover.json`: barter's summary JSON and every fill).


use barter_ffi::barter::{
    backtest::{BacktestArgsDynamic, BacktestMode, backtest},
    statistic::trading_summary_to_json,
    strategy::{ForeignStrategy, algo::Wakes},
};
use crate::native::{self, barter_crate_dir, sma::SmaCrossover};
use serde_json::json;
use std::sync::Arc;

fn sma_crossover() -> BacktestArgsDynamic {
    let foreign = ForeignStrategy {
        algo: Arc::new(SmaCrossover::default()),
        wakes: Wakes { trades: true, ..Wakes::default() },
        close_positions: None,
        on_disconnect: None,
        on_trading_disabled: None,
    };
    BacktestArgsDynamic { id: "sma-crossover".into(), risk_free_return: rust_decimal::Decimal::ZERO, strategy: None, foreign_strategy: Some(foreign), risk: None }
}

#[test]
fn sma_crossover_trades_the_same_on_every_run() {
    let (args, _) = native::ffi_args(&barter_crate_dir(), 100);
    let run = || {
        let result = backtest(&args, sma_crossover(), Some(BacktestMode::EventTime), None).unwrap();
        (trading_summary_to_json(result.summary().trading_summary).unwrap(), result.fills().unwrap())
    };
    let (summary, fills) = run();
    assert!(fills.len() >= 20, "only {} fills", fills.len());
    assert_eq!(run(), (summary.clone(), fills.clone()), "a second run differs");

    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/parity");
    std::fs::create_dir_all(&dir).unwrap();
    let reference = json!({ "summary": serde_json::from_str::<serde_json::Value>(&summary).unwrap(), "fills": fills });
    std::fs::write(dir.join("sma_crossover.json"), serde_json::to_string_pretty(&reference).unwrap()).unwrap();
}
