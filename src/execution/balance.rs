//! barter-execution's balances: `Balance`, and `AssetBalance` per asset key.

use crate::{
    custom::Timestamp,
    error::{BarterError, Result},
    json::json_functions,
};
use barter_instrument::asset::{AssetIndex, name::AssetNameExchange};
use barter_integration::collection::snapshot::Snapshot;
use rust_decimal::Decimal;

pub type Balance = barter_execution::balance::Balance;

/// Balance of an asset: `total` held and the `free` part available to trade (`used = total - free`).
#[uniffi::remote(Record)]
pub struct Balance {
    pub total: Decimal,
    pub free: Decimal,
}

pub type AssetBalance = barter_execution::balance::AssetBalance<AssetIndex>;

/// The `balance` of the asset at `asset` (an `AssetIndex`), as of `time_exchange`.
#[uniffi::remote(Record)]
pub struct AssetBalance {
    pub asset: AssetIndex,
    pub balance: Balance,
    pub time_exchange: Timestamp,
}

pub type UnindexedAssetBalance = barter_execution::balance::AssetBalance<AssetNameExchange>;

/// The `balance` of the asset named `asset` on the exchange (`AssetNameExchange`), as of
/// `time_exchange`.
#[uniffi::remote(Record)]
pub struct UnindexedAssetBalance {
    pub asset: AssetNameExchange,
    pub balance: Balance,
    pub time_exchange: Timestamp,
}

/// barter-integration's `Snapshot<AssetBalance>` (a newtype, transparent in barter's JSON)
/// crosses as the `AssetBalance` it wraps.
pub type SnapshotAssetBalance = Snapshot<AssetBalance>;

uniffi::custom_type!(SnapshotAssetBalance, AssetBalance, {
    remote,
    lower: |snapshot| snapshot.0,
    try_lift: |balance| Ok(Snapshot(balance)),
});

/// barter-integration's `Snapshot<UnindexedAssetBalance>` crosses as the balance it wraps.
pub type SnapshotUnindexedAssetBalance = Snapshot<UnindexedAssetBalance>;

uniffi::custom_type!(SnapshotUnindexedAssetBalance, UnindexedAssetBalance, {
    remote,
    lower: |snapshot| snapshot.0,
    try_lift: |balance| Ok(Snapshot(balance)),
});

/// barter's `Balance::used`: `total - free` (an error where that is beyond Decimal's range).
#[uniffi::export]
pub fn balance_used(balance: Balance) -> Result<Decimal> {
    // barter's `used` panics on overflow: refuse the balances it cannot subtract first.
    balance
        .total
        .checked_sub(balance.free)
        .ok_or_else(|| BarterError::invalid_value(format!("{} - {} overflows Decimal", balance.total, balance.free)))?;
    Ok(balance.used())
}

json_functions!(
    Balance, AssetBalance, UnindexedAssetBalance,
);
