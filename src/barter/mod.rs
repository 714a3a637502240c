//! Bindings for the `barter` crate: system configuration, backtests, strategies and trading statistics.
//!
//! Named after the crate it binds; inside this crate the dependency itself is always `::barter`.

pub mod backtest;
pub mod position;
pub mod statistic;
pub mod strategy;
pub mod system;
