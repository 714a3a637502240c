//! Bindings for `barter-execution`: balances, orders and their states, trades, account events
//! and snapshots, barter-execution's errors (as data), the instrument map and account event
//! indexer, and barter's mock execution client driving barter's `MockExchange`.
//!
//! barter-execution's types are generic over their keys. As in barter, the plain name is the
//! engine's indexed instantiation (`ExchangeIndex`, `AssetIndex`, `InstrumentIndex`: `Order`,
//! `AccountEvent`, ...) and the `Unindexed` prefix the instantiation keyed by exchange names
//! (`ExchangeId`, `AssetNameExchange`, `InstrumentNameExchange`: `UnindexedOrder`, ...), which
//! execution clients and the mock exchange speak.

pub mod account;
pub mod balance;
pub mod error;
pub mod map;
pub mod mock;
pub mod order;
pub mod trade;

// The bindings' other modules use barter-execution's balances.
pub use balance::Balance;
