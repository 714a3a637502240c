//! barter-execution's errors, bound as data: they are read from order states, cancel and open
//! responses and account events. A failing call raises `BarterError.Execution` (or
//! `BarterError.Index` for a key look-up) with barter's message.

use crate::{error::BarterError, json::json_functions};
use barter_execution::error::{ConnectivityError, KeyError};
use barter_instrument::{
    asset::{AssetIndex, name::AssetNameExchange},
    exchange::ExchangeId,
    instrument::{InstrumentIndex, name::InstrumentNameExchange},
};

/// Connectivity errors, generally intermittent: `ExchangeOffline` (the `ExchangeId`, eg/ during
/// maintenance), `Timeout` (a request timed out before a response), or `Socket` (barter's
/// `SocketError` message).
#[uniffi::remote(Enum)]
pub enum ConnectivityError {
    ExchangeOffline(ExchangeId),
    Timeout,
    Socket(String),
}

pub type ApiError = barter_execution::error::ApiError<AssetIndex, InstrumentIndex>;

/// API errors of an exchange, typically an invalid request: `AssetInvalid` (asset, reason),
/// `InstrumentInvalid` (instrument, reason), `RateLimit`, `BalanceInsufficient` (asset, reason),
/// `OrderRejected` (reason), `OrderAlreadyCancelled`, `OrderAlreadyFullyFilled`.
#[uniffi::remote(Enum)]
pub enum ApiError {
    AssetInvalid(AssetIndex, String),
    InstrumentInvalid(InstrumentIndex, String),
    RateLimit,
    BalanceInsufficient(AssetIndex, String),
    OrderRejected(String),
    OrderAlreadyCancelled,
    OrderAlreadyFullyFilled,
}

pub type UnindexedApiError = barter_execution::error::UnindexedApiError;

/// API errors of an exchange, keyed by exchange names: `AssetInvalid` (asset, reason),
/// `InstrumentInvalid` (instrument, reason), `RateLimit`, `BalanceInsufficient` (asset, reason),
/// `OrderRejected` (reason), `OrderAlreadyCancelled`, `OrderAlreadyFullyFilled`.
#[uniffi::remote(Enum)]
pub enum UnindexedApiError {
    AssetInvalid(AssetNameExchange, String),
    InstrumentInvalid(InstrumentNameExchange, String),
    RateLimit,
    BalanceInsufficient(AssetNameExchange, String),
    OrderRejected(String),
    OrderAlreadyCancelled,
    OrderAlreadyFullyFilled,
}

pub type OrderError = barter_execution::error::OrderError<AssetIndex, InstrumentIndex>;

/// Why opening or cancelling an order failed: `Connectivity` (a `ConnectivityError`) or
/// `Rejected` (an `ApiError`).
#[uniffi::remote(Enum)]
pub enum OrderError {
    Connectivity(ConnectivityError),
    Rejected(ApiError),
}

pub type UnindexedOrderError = barter_execution::error::UnindexedOrderError;

/// Why opening or cancelling an order failed on an exchange: `Connectivity` or `Rejected` (an
/// `UnindexedApiError`).
#[uniffi::remote(Enum)]
pub enum UnindexedOrderError {
    Connectivity(ConnectivityError),
    Rejected(UnindexedApiError),
}

pub type ClientError = barter_execution::error::ClientError<AssetIndex, InstrumentIndex>;

/// Every error of an execution client: `Connectivity`, `Api` (an `ApiError`), `AccountSnapshot`
/// (failed to fetch one: reason) or `AccountStream` (failed to start one: reason).
#[uniffi::remote(Enum)]
pub enum ClientError {
    Connectivity(ConnectivityError),
    Api(ApiError),
    AccountSnapshot(String),
    AccountStream(String),
}

pub type UnindexedClientError = barter_execution::error::UnindexedClientError;

/// Every error of an execution client, keyed by exchange names: `Connectivity`, `Api` (an
/// `UnindexedApiError`), `AccountSnapshot` (reason) or `AccountStream` (reason).
#[uniffi::remote(Enum)]
pub enum UnindexedClientError {
    Connectivity(ConnectivityError),
    Api(UnindexedApiError),
    AccountSnapshot(String),
    AccountStream(String),
}

/// barter-execution's `KeyError`, exported as `ExecutionKeyError`: under its own name it would
/// shadow Python's builtin `KeyError` in the generated module (which catches the builtin).
pub type ExecutionKeyError = KeyError;

/// barter-execution's `KeyError`: a key look-up that failed, an `ExchangeId`, `AssetKey` or
/// `InstrumentKey` that was not indexed (with barter's message).
#[uniffi::remote(Enum)]
pub enum ExecutionKeyError {
    ExchangeId(String),
    AssetKey(String),
    InstrumentKey(String),
}

/// An execution client's failure: `BarterError.Execution` with barter's message.
impl From<UnindexedClientError> for BarterError {
    fn from(error: UnindexedClientError) -> Self {
        Self::Execution { reason: error.to_string() }
    }
}

/// A key that an `ExecutionInstrumentMap` does not hold: `BarterError.Index` with barter's message.
impl From<KeyError> for BarterError {
    fn from(error: KeyError) -> Self {
        Self::Index { reason: error.to_string() }
    }
}

json_functions!(
    ConnectivityError, ApiError, UnindexedApiError, OrderError, UnindexedOrderError, ClientError,
    UnindexedClientError, ExecutionKeyError,
);
