//! Components of the bindings' own, for what barter lacks: each plugs into one of barter's
//! extension points and leaves barter's code as it is.
//!
//! - [`event_time`]: backtests and replaying systems whose only clock is the market data's (an
//!   engine clock, a venue clock, a paced market stream, and a runtime whose time moves only with
//!   the data), so a backtest gives the same result on every run.
//! - [`venue`] and [`execution`]: a simulated venue that fills at the market (the L1 book or the
//!   last trade, at the instant an order arrives), rests limit orders, and keeps an exchange's
//!   accounts; an `ExecutionClient` barter adds as any exchange's, shown the market by a tap on
//!   the market stream.

pub mod event_time;
pub mod execution;
pub mod venue;
