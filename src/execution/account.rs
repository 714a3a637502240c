//! barter-execution's account events and snapshots.

use crate::{
    custom::Timestamp,
    execution::{
        balance::{AssetBalance, SnapshotAssetBalance, SnapshotUnindexedAssetBalance, UnindexedAssetBalance},
        order::{BarterOrderResponseCancel, BarterUnindexedOrderResponseCancel, Order, SnapshotOrder, SnapshotUnindexedOrder, UnindexedOrder},
        trade::{Trade, UnindexedTrade},
    },
    json::json_functions,
};
use barter_instrument::{
    asset::{AssetIndex, name::AssetNameExchange},
    exchange::{ExchangeId, ExchangeIndex},
    instrument::{InstrumentIndex, name::InstrumentNameExchange},
};

pub type AccountEvent = barter_execution::AccountEvent<ExchangeIndex, AssetIndex, InstrumentIndex>;

/// An event of the account at the `exchange` (index): its `kind` is an `AccountEventKind`.
#[uniffi::remote(Record)]
pub struct AccountEvent {
    pub exchange: ExchangeIndex,
    pub kind: AccountEventKind,
}

pub type UnindexedAccountEvent = barter_execution::UnindexedAccountEvent;

/// An event of the account at the `exchange` (`ExchangeId`), as an execution client streams it:
/// its `kind` is an `UnindexedAccountEventKind`.
#[uniffi::remote(Record)]
pub struct UnindexedAccountEvent {
    pub exchange: ExchangeId,
    pub kind: UnindexedAccountEventKind,
}

pub type AccountEventKind = barter_execution::AccountEventKind<ExchangeIndex, AssetIndex, InstrumentIndex>;

/// What happened to an account: `Snapshot` (a full `AccountSnapshot`, replacing all state),
/// `BalanceSnapshot` (one `AssetBalance`, replacing its balance), `OrderSnapshot` (an `Order`,
/// upserted if more recent; also the response to an open request), `OrderCancelled` (the
/// `OrderResponseCancel` to a cancel request), or `Trade` (a partial or full fill).
#[uniffi::remote(Enum)]
pub enum AccountEventKind {
    Snapshot(AccountSnapshot),
    BalanceSnapshot(SnapshotAssetBalance),
    OrderSnapshot(SnapshotOrder),
    OrderCancelled(BarterOrderResponseCancel),
    Trade(Trade),
}

pub type UnindexedAccountEventKind =
    barter_execution::AccountEventKind<ExchangeId, AssetNameExchange, InstrumentNameExchange>;

/// What happened to an account on an exchange (exchange names): `Snapshot`, `BalanceSnapshot`,
/// `OrderSnapshot`, `OrderCancelled` or `Trade`, as `AccountEventKind`.
#[uniffi::remote(Enum)]
pub enum UnindexedAccountEventKind {
    Snapshot(UnindexedAccountSnapshot),
    BalanceSnapshot(SnapshotUnindexedAssetBalance),
    OrderSnapshot(SnapshotUnindexedOrder),
    OrderCancelled(BarterUnindexedOrderResponseCancel),
    Trade(UnindexedTrade),
}

pub type AccountSnapshot = barter_execution::AccountSnapshot<ExchangeIndex, AssetIndex, InstrumentIndex>;

/// The state of the account at the `exchange` (index): asset `balances` and, per instrument,
/// its orders (`instruments`).
#[uniffi::remote(Record)]
pub struct AccountSnapshot {
    pub exchange: ExchangeIndex,
    pub balances: Vec<AssetBalance>,
    pub instruments: Vec<InstrumentAccountSnapshot>,
}

pub type UnindexedAccountSnapshot = barter_execution::UnindexedAccountSnapshot;

/// The state of an account on the `exchange` (`ExchangeId`): asset `balances` and, per
/// instrument, its orders (`instruments`); a mock exchange's initial state is one.
#[uniffi::remote(Record)]
pub struct UnindexedAccountSnapshot {
    pub exchange: ExchangeId,
    pub balances: Vec<UnindexedAssetBalance>,
    pub instruments: Vec<UnindexedInstrumentAccountSnapshot>,
}

pub type InstrumentAccountSnapshot =
    barter_execution::InstrumentAccountSnapshot<ExchangeIndex, AssetIndex, InstrumentIndex>;

/// The `orders` of the account for the `instrument` (index).
#[uniffi::remote(Record)]
pub struct InstrumentAccountSnapshot {
    pub instrument: InstrumentIndex,
    pub orders: Vec<Order>,
}

pub type UnindexedInstrumentAccountSnapshot =
    barter_execution::InstrumentAccountSnapshot<ExchangeId, AssetNameExchange, InstrumentNameExchange>;

/// The `orders` of the account for the `instrument` (`InstrumentNameExchange`).
#[uniffi::remote(Record)]
pub struct UnindexedInstrumentAccountSnapshot {
    pub instrument: InstrumentNameExchange,
    pub orders: Vec<UnindexedOrder>,
}

/// barter's `AccountSnapshot::time_most_recent`: the latest exchange time of its balances and
/// orders, if any.
#[uniffi::export]
pub fn account_snapshot_time_most_recent(snapshot: AccountSnapshot) -> Option<Timestamp> {
    snapshot.time_most_recent()
}

/// barter's `AccountSnapshot::time_most_recent` of an account snapshot on an exchange.
#[uniffi::export]
pub fn unindexed_account_snapshot_time_most_recent(snapshot: UnindexedAccountSnapshot) -> Option<Timestamp> {
    snapshot.time_most_recent()
}

json_functions!(
    AccountEvent, UnindexedAccountEvent, AccountEventKind, UnindexedAccountEventKind,
    AccountSnapshot, UnindexedAccountSnapshot, InstrumentAccountSnapshot,
    UnindexedInstrumentAccountSnapshot,
);
