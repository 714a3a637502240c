//! Bindings for `barter::system::config`: the configuration of a trading system.

use crate::{
    error::{BarterError, Result},
    execution::mock::MockExecutionConfig,
    instrument::{IndexedInstruments, UnindexedInstrumentKind, UnindexedInstrumentSpec, UnindexedUnderlying},
    json::json_functions,
};
use barter::system::config::{ExecutionConfig, InstrumentConfig};
use barter_instrument::{
    exchange::ExchangeId,
    instrument::{name::InstrumentNameExchange, quote::InstrumentQuoteAsset},
};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
use std::sync::Arc;

/// Top-level configuration for a full trading system: every instrument it tracks and every
/// execution (for backtests, a mock exchange) it trades through. Barter's JSON format.
#[derive(Debug, Clone, PartialEq, uniffi::Object)]
#[uniffi::export(Debug, Eq)]
pub struct SystemConfig(pub(crate) ::barter::system::config::SystemConfig);

#[uniffi::export]
impl SystemConfig {
    #[uniffi::constructor]
    pub fn new(instruments: Vec<InstrumentConfig>, executions: Vec<ExecutionConfig>) -> Arc<Self> {
        Arc::new(Self(::barter::system::config::SystemConfig { instruments, executions }))
    }

    /// Parse barter's JSON form of a `SystemConfig`.
    #[uniffi::constructor]
    pub fn from_json(json: &str) -> Result<Arc<Self>> {
        crate::json::from_json(json.as_bytes()).map(|config| Arc::new(Self(config)))
    }

    /// The instruments the system tracks.
    pub fn instruments(&self) -> Vec<InstrumentConfig> {
        self.0.instruments.clone()
    }

    /// The executions the system trades through.
    pub fn executions(&self) -> Vec<ExecutionConfig> {
        self.0.executions.clone()
    }

    /// barter's index of the system's exchanges, assets and instruments (`IndexedInstruments::new`).
    pub fn indexed_instruments(&self) -> Arc<IndexedInstruments> {
        let instruments = barter_instrument::index::IndexedInstruments::new(self.0.instruments.clone());
        Arc::new(IndexedInstruments(instruments))
    }

    /// Barter's JSON form of this `SystemConfig`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.0).expect("SystemConfig always serialises")
    }
}

/// The configuration of one instrument of a system, as barter's config files describe it:
/// assets by their names on the exchange. Its internal name is
/// `{exchange}-{base}_{quote}`, lowercase (barter's `InstrumentNameInternal::new_from_exchange_underlying`).
#[uniffi::remote(Record)]
pub struct InstrumentConfig {
    pub exchange: ExchangeId,
    pub name_exchange: InstrumentNameExchange,
    pub underlying: UnindexedUnderlying,
    pub quote: InstrumentQuoteAsset,
    pub kind: UnindexedInstrumentKind,
    pub spec: Option<UnindexedInstrumentSpec>,
}

/// The configuration of one execution of a system: for now barter has its mock exchange.
#[uniffi::remote(Enum)]
pub enum ExecutionConfig {
    Mock(MockExecutionConfig),
}

json_functions!(InstrumentConfig, ExecutionConfig);

/// A backtest configuration in the format of barter's `examples/config/backtest_config.json`:
/// the `risk_free_return` used by summary metrics, and the `system` to backtest.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, uniffi::Object)]
#[uniffi::export(Debug, Eq)]
pub struct BacktestConfig {
    pub(crate) risk_free_return: Decimal,
    pub(crate) system: ::barter::system::config::SystemConfig,
}

#[uniffi::export]
impl BacktestConfig {
    /// Fallible so that a `risk_free_return` barter's `Decimal` cannot hold raises `BarterError`.
    #[uniffi::constructor]
    pub fn new(risk_free_return: Decimal, system: &SystemConfig) -> Result<Arc<Self>> {
        Ok(Arc::new(Self {
            risk_free_return,
            system: system.0.clone(),
        }))
    }

    /// Parse a backtest configuration from JSON text.
    #[uniffi::constructor]
    pub fn from_json(json: &str) -> Result<Arc<Self>> {
        crate::json::from_json(json.as_bytes()).map(Arc::new)
    }

    /// Read and parse a backtest configuration file.
    #[uniffi::constructor]
    pub fn from_file(path: &str) -> Result<Arc<Self>> {
        let json = std::fs::read_to_string(path).map_err(|error| BarterError::io(path, error))?;
        Self::from_json(&json)
    }

    pub fn risk_free_return(&self) -> Decimal {
        self.risk_free_return
    }

    pub fn system(&self) -> Arc<SystemConfig> {
        Arc::new(SystemConfig(self.system.clone()))
    }

    /// The JSON form of this configuration, as read by `from_json`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("BacktestConfig always serialises")
    }
}
