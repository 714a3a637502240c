//! Bindings for `barter-execution`: asset balances.

use rust_decimal::Decimal;

pub type Balance = barter_execution::balance::Balance;

/// Balance of an asset: `total` held and the `free` part available to trade (`used = total - free`).
#[uniffi::remote(Record)]
pub struct Balance {
    pub total: Decimal,
    pub free: Decimal,
}
