//! Bindings for `barter-instrument`: exchanges, assets, instruments, their names and indexes.
//!
//! `ExchangeId` and `Side` are declared in `udl/barter_ffi.udl` (flat enums read best there).

use crate::error::Result;
use barter_instrument::{
    asset::{AssetIndex, name::{AssetNameExchange, AssetNameInternal}},
    exchange::{ExchangeId, ExchangeIndex},
    instrument::{InstrumentIndex, name::{InstrumentNameExchange, InstrumentNameInternal}},
};

/// barter's index keys cross as integers (`barter.instrument.InstrumentIndex`, ..., `int`
/// subclasses in Python, usable as dict keys).
macro_rules! index_type {
    ($index:ident) => {
        uniffi::custom_type!($index, u64, {
            remote,
            lower: |index| index.0 as u64,
            try_lift: |index| Ok($index(usize::try_from(index)?)),
        });
    };
}

index_type!(ExchangeIndex);
index_type!(AssetIndex);
index_type!(InstrumentIndex);

uniffi::custom_type!(InstrumentNameInternal, String, {
    remote,
    lower: |name| name.0.to_string(),
    try_lift: |name| Ok(InstrumentNameInternal::new(name)),
});

uniffi::custom_type!(AssetNameInternal, String, {
    remote,
    lower: |name| name.name().to_string(),
    try_lift: |name| Ok(AssetNameInternal::new(name)),
});

uniffi::custom_type!(InstrumentNameExchange, String, {
    remote,
    lower: |name| name.name().to_string(),
    try_lift: |name| Ok(InstrumentNameExchange::new(name)),
});

uniffi::custom_type!(AssetNameExchange, String, {
    remote,
    lower: |name| name.name().to_string(),
    try_lift: |name| Ok(AssetNameExchange::new(name)),
});

pub type ExchangeAsset = barter_instrument::asset::ExchangeAsset<AssetNameInternal>;

/// Unique identifier for an Asset on an exchange, eg/ `ExchangeAsset(exchange=ExchangeId.BINANCE_SPOT, asset="usdt")`.
#[uniffi::remote(Record)]
pub struct ExchangeAsset {
    pub exchange: ExchangeId,
    pub asset: AssetNameInternal,
}

/// barter's index of a system's exchanges, assets and instruments: the keys (`ExchangeIndex`,
/// `AssetIndex`, `InstrumentIndex`) the engine and its market data use. Built by
/// `SystemConfig.indexed_instruments()`.
#[derive(Debug, uniffi::Object)]
pub struct IndexedInstruments(pub(crate) barter_instrument::index::IndexedInstruments);

#[uniffi::export]
impl IndexedInstruments {
    /// The system's exchanges, in `ExchangeIndex` order.
    pub fn exchanges(&self) -> Vec<ExchangeId> {
        self.0.exchanges().iter().map(|keyed| keyed.value).collect()
    }

    /// Number of indexed instruments: valid `InstrumentIndex`es are `0..num_instruments()`.
    pub fn num_instruments(&self) -> u64 {
        self.0.instruments().len() as u64
    }

    pub fn find_exchange_index(&self, exchange: ExchangeId) -> Result<ExchangeIndex> {
        Ok(self.0.find_exchange_index(exchange)?)
    }

    pub fn find_exchange(&self, index: ExchangeIndex) -> Result<ExchangeId> {
        Ok(self.0.find_exchange(index)?)
    }

    pub fn find_asset_index(&self, exchange: ExchangeId, name: AssetNameInternal) -> Result<AssetIndex> {
        Ok(self.0.find_asset_index(exchange, &name)?)
    }

    pub fn find_instrument_index(&self, exchange: ExchangeId, name: InstrumentNameInternal) -> Result<InstrumentIndex> {
        Ok(self.0.find_instrument_index(exchange, &name)?)
    }

    /// The internal name of the instrument at `index`.
    pub fn find_instrument_name(&self, index: InstrumentIndex) -> Result<InstrumentNameInternal> {
        Ok(self.0.find_instrument(index)?.name_internal.clone())
    }

    /// barter's serde JSON of the whole index.
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string(&self.0)?)
    }
}

// barter's JSON names of exchanges and sides (`"binance_spot"`, `"Buy"`), from barter-macro's
// and serde's derives.
crate::json::json_functions!(ExchangeId, exchange_id_from_json, exchange_id_to_json);
crate::json::json_functions!(barter_instrument::Side, side_from_json, side_to_json);
