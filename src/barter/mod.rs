//! Bindings for the `barter` crate: system configuration, the engine's events and commands,
//! risk verdicts, backtests, strategies and trading statistics.
//!
//! Named after the crate it binds; inside this crate the dependency itself is always `::barter`.

pub mod audit;
pub mod backtest;
pub mod engine;
pub mod position;
pub mod risk;
pub mod statistic;
pub mod strategy;
pub mod system;
