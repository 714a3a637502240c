//! Bindings for `barter::system::config`: the configuration of a trading system.

use crate::{
    error::{BarterError, Result},
    execution::mock::MockExecutionConfig,
    instrument::{IndexedInstruments, UnindexedInstrumentKind, UnindexedInstrumentSpec, UnindexedUnderlying},
    json::json_functions,
};
use crate::{execution::account::UnindexedAccountSnapshot, sim::execution::SimulatedExecutionConfig};
use barter::system::config::InstrumentConfig;
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
pub struct SystemConfig(pub(crate) SystemConfigData);

#[uniffi::export]
impl SystemConfig {
    #[uniffi::constructor]
    pub fn new(instruments: Vec<InstrumentConfig>, executions: Vec<ExecutionConfig>) -> Arc<Self> {
        Arc::new(Self(SystemConfigData { instruments, executions }))
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

/// The configuration of one execution of a system: barter's mock exchange (`Mock`), or the
/// bindings' simulated venue (`Simulated`: fills at the market, limit orders, exchange
/// accounting; see `SimulatedExecutionConfig`). In JSON, a mock is written as barter writes it
/// (its fields), and a simulated venue as `{"simulated": {...}}`.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Enum)]
pub enum ExecutionConfig {
    Mock(MockExecutionConfig),
    Simulated(SimulatedExecutionConfig),
}

impl From<::barter::system::config::ExecutionConfig> for ExecutionConfig {
    fn from(execution: ::barter::system::config::ExecutionConfig) -> Self {
        let ::barter::system::config::ExecutionConfig::Mock(mock) = execution;
        Self::Mock(mock)
    }
}

impl Serialize for ExecutionConfig {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> std::result::Result<S::Ok, S::Error> {
        match self {
            Self::Mock(mock) => mock.serialize(serializer),
            Self::Simulated(simulated) => std::collections::BTreeMap::from([("simulated", simulated)]).serialize(serializer),
        }
    }
}

/// The form decides the variant (barter's own enum is untagged, so it has no tag to read): an
/// object whose one key is `simulated` is a simulated venue, any other a mock. Each is then read
/// alone, so its errors name its own fields.
impl<'de> Deserialize<'de> for ExecutionConfig {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> std::result::Result<Self, D::Error> {
        use serde::de::Error;
        let value = serde_json::Value::deserialize(deserializer)?;
        match value.as_object().filter(|object| object.len() == 1).and_then(|object| object.get("simulated")) {
            Some(simulated) => serde_json::from_value(simulated.clone()).map(Self::Simulated),
            None => serde_json::from_value(value).map(Self::Mock),
        }
        .map_err(D::Error::custom)
    }
}

impl ExecutionConfig {
    /// The exchange the execution trades on (or stands for).
    pub fn exchange(&self) -> ExchangeId {
        match self {
            Self::Mock(mock) => mock.mocked_exchange,
            Self::Simulated(simulated) => simulated.exchange,
        }
    }

    /// The balances it starts with.
    pub fn initial_state(&self) -> &UnindexedAccountSnapshot {
        match self {
            Self::Mock(mock) => &mock.initial_state,
            Self::Simulated(simulated) => &simulated.initial_state,
        }
    }

    /// barter's own configs of `executions`, for barter's builders, which know only its mock.
    pub fn to_barter(executions: &[Self], for_what: &str) -> Result<Vec<::barter::system::config::ExecutionConfig>> {
        executions
            .iter()
            .map(|execution| match execution {
                Self::Mock(mock) => Ok(::barter::system::config::ExecutionConfig::Mock(mock.clone())),
                Self::Simulated(simulated) => Err(BarterError::InvalidInput {
                    reason: format!(
                        "the simulated venue of {} runs in event time (in-memory market data and BacktestMode.EVENT_TIME); {for_what} knows only barter's mock",
                        simulated.exchange.as_str()
                    ),
                }),
            })
            .collect()
    }
}

/// barter's `SystemConfig`, with the bindings' `ExecutionConfig`: the same JSON.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize)]
pub struct SystemConfigData {
    pub instruments: Vec<InstrumentConfig>,
    pub executions: Vec<ExecutionConfig>,
}

json_functions!(InstrumentConfig, ExecutionConfig);

/// A backtest configuration in the format of barter's `examples/config/backtest_config.json`:
/// the `risk_free_return` used by summary metrics, and the `system` to backtest.
#[derive(Debug, Clone, PartialEq, Deserialize, Serialize, uniffi::Object)]
#[uniffi::export(Debug, Eq)]
pub struct BacktestConfig {
    pub(crate) risk_free_return: Decimal,
    pub(crate) system: SystemConfigData,
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

    /// Theoretical return of a risk-free investment, for the summary's ratios.
    pub fn risk_free_return(&self) -> Decimal {
        self.risk_free_return
    }

    /// The configuration of the system to backtest.
    pub fn system(&self) -> Arc<SystemConfig> {
        Arc::new(SystemConfig(self.system.clone()))
    }

    /// The JSON form of this configuration, as read by `from_json`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).expect("BacktestConfig always serialises")
    }
}
