//! Bindings for `barter-execution`: balances, orders, trades and the mock exchange.

use rust_decimal::Decimal;

/// Balance of an asset: `total` held and the `free` part available to trade (`used = total - free`).
pub type Balance = barter_execution::balance::Balance;

#[uniffi::remote(Record)]
pub struct Balance {
    pub total: Decimal,
    pub free: Decimal,
}
