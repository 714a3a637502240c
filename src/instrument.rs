//! Bindings for `barter-instrument`: exchanges, assets, instruments, their names and indexes.
//!
//! `ExchangeId` and `Side` are declared in `udl/barter_ffi.udl` (flat enums read best there).
//!
//! Generic types are exported once per instantiation barter uses, following barter's own
//! naming (`UnindexedOrder`, `UnindexedAccountEvent`): the plain name keys assets by the engine's
//! `AssetIndex` (`Instrument`, `InstrumentKind`, ... as `IndexedInstruments` holds them), the
//! `Unindexed` name keys them by `AssetNameExchange` (as `InstrumentConfig` describes them).

use crate::{
    custom::Timestamp,
    error::Result,
    json::{from_json, json_functions},
};
use barter_instrument::{
    Side,
    asset::{
        Asset, AssetId, AssetIndex, AssetKind, QuoteAsset,
        name::{AssetNameExchange, AssetNameInternal},
    },
    exchange::{ExchangeId, ExchangeIndex},
    index::error::IndexError,
    instrument::{
        InstrumentId, InstrumentIndex,
        kind::option::{OptionExercise, OptionKind},
        market_data::{
            MarketDataInstrument,
            kind::{MarketDataFutureContract, MarketDataInstrumentKind, MarketDataOptionContract},
        },
        name::{InstrumentNameExchange, InstrumentNameInternal},
        quote::InstrumentQuoteAsset,
        spec::{InstrumentSpecNotional, InstrumentSpecPrice},
    },
};
use rust_decimal::Decimal;

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

/// barter's `u64` ids of assets and instruments cross as `int` (barter's API takes none yet).
macro_rules! id_type {
    ($id:ident) => {
        uniffi::custom_type!($id, u64, {
            remote,
            lower: |id| id.0,
            try_lift: |id| Ok($id(id)),
        });
    };
}

id_type!(AssetId);
id_type!(InstrumentId);

/// barter's names of assets and instruments cross as `str`.
macro_rules! name_type {
    ($name:ident) => {
        uniffi::custom_type!($name, String, {
            remote,
            lower: |name| name.name().to_string(),
            try_lift: |name| Ok($name::new(name)),
        });
    };
}

name_type!(InstrumentNameInternal);
name_type!(InstrumentNameExchange);
name_type!(AssetNameInternal);
name_type!(AssetNameExchange);

/// An asset: its barter-internal name (eg/ "btc") and its name on the exchange (eg/ "BTC").
#[uniffi::remote(Record)]
pub struct Asset {
    pub name_internal: AssetNameInternal,
    pub name_exchange: AssetNameExchange,
}

/// The quote asset of an instrument, as a key (no fields): eg/ for btc_usdt_spot it means usdt.
#[uniffi::remote(Record)]
pub struct QuoteAsset {}

/// The kind of an asset.
#[uniffi::remote(Enum)]
pub enum AssetKind {
    Crypto,
    Fiat,
}

pub type ExchangeAsset = barter_instrument::asset::ExchangeAsset<AssetNameInternal>;

/// Unique identifier for an Asset on an exchange, eg/ `ExchangeAsset(exchange=ExchangeId.BINANCE_SPOT, asset="usdt")`.
#[uniffi::remote(Record)]
pub struct ExchangeAsset {
    pub exchange: ExchangeId,
    pub asset: AssetNameInternal,
}

pub type ExchangeAssetNames = barter_instrument::asset::ExchangeAsset<Asset>;

/// An asset on an exchange with both its names, as `IndexedInstruments` holds it (barter's
/// `ExchangeAsset<Asset>`).
#[uniffi::remote(Record)]
pub struct ExchangeAssetNames {
    pub exchange: ExchangeId,
    pub asset: Asset,
}

pub type KeyedExchange = barter_instrument::Keyed<ExchangeIndex, ExchangeId>;

/// An exchange with its `ExchangeIndex` (barter's `Keyed<ExchangeIndex, ExchangeId>`).
#[uniffi::remote(Record)]
pub struct KeyedExchange {
    pub key: ExchangeIndex,
    pub value: ExchangeId,
}

pub type KeyedAsset = barter_instrument::Keyed<AssetIndex, ExchangeAssetNames>;

/// An exchange asset with its `AssetIndex` (barter's `Keyed<AssetIndex, ExchangeAsset<Asset>>`).
#[uniffi::remote(Record)]
pub struct KeyedAsset {
    pub key: AssetIndex,
    pub value: ExchangeAssetNames,
}

pub type KeyedInstrument = barter_instrument::Keyed<InstrumentIndex, Instrument>;

/// An instrument with its `InstrumentIndex` (barter's `Keyed<InstrumentIndex, Instrument<..>>`).
#[uniffi::remote(Record)]
pub struct KeyedInstrument {
    pub key: InstrumentIndex,
    pub value: Instrument,
}

pub type Instrument = barter_instrument::instrument::Instrument<KeyedExchange, AssetIndex>;

/// Comprehensive Instrument model, containing all the data required to subscribe to market data
/// and generate correct orders. As the engine holds it: the exchange with its `ExchangeIndex`,
/// assets by `AssetIndex`.
#[uniffi::remote(Record)]
pub struct Instrument {
    pub exchange: KeyedExchange,
    pub name_internal: InstrumentNameInternal,
    pub name_exchange: InstrumentNameExchange,
    pub underlying: Underlying,
    pub quote: InstrumentQuoteAsset,
    pub kind: InstrumentKind,
    pub spec: Option<InstrumentSpec>,
}

pub type EngineInstrument = barter_instrument::instrument::Instrument<ExchangeIndex, AssetIndex>;

/// An instrument as the engine's `InstrumentState` holds it: barter's
/// `Instrument<ExchangeIndex, AssetIndex>` (the exchange by its index only).
#[uniffi::remote(Record)]
pub struct EngineInstrument {
    pub exchange: ExchangeIndex,
    pub name_internal: InstrumentNameInternal,
    pub name_exchange: InstrumentNameExchange,
    pub underlying: Underlying,
    pub quote: InstrumentQuoteAsset,
    pub kind: InstrumentKind,
    pub spec: Option<InstrumentSpec>,
}

/// Instrument quote asset.
///
/// Note that all `Spot` instruments are quoted in the (underlying) quote asset.
#[uniffi::remote(Enum)]
pub enum InstrumentQuoteAsset {
    /// "In-kind" pricing (unusual) using the underlying base asset as the quote asset.
    ///
    /// For example, if some derivative for underlying=btc_usdt was quoted in btc.
    UnderlyingBase,
    /// Standard pricing using the underlying quote as the quote asset.
    ///
    /// For example, all spot instruments are quoted in the (underlying) quote asset.
    UnderlyingQuote,
}

/// [`OptionContract`] kind - Put or Call.
#[uniffi::remote(Enum)]
pub enum OptionKind {
    Call,
    Put,
}

/// [`OptionContract`] exercise style.
#[uniffi::remote(Enum)]
pub enum OptionExercise {
    American,
    Bermudan,
    European,
}

/// The price rules of an instrument: minimum price and tick size.
#[uniffi::remote(Record)]
pub struct InstrumentSpecPrice {
    pub min: Decimal,
    pub tick_size: Decimal,
}

/// The minimum notional value of an order on an instrument.
#[uniffi::remote(Record)]
pub struct InstrumentSpecNotional {
    pub min: Decimal,
}

/// The asset-keyed parts of an instrument, declared once per asset key: `$key` is the key type,
/// the identifiers are the exported names of barter's types at that key.
macro_rules! asset_keyed_instrument_parts {
    ($key:ty, $underlying:ident, $kind:ident, $perpetual:ident, $future:ident, $option:ident,
     $spec:ident, $quantity:ident, $units:ident) => {
        pub type $underlying = barter_instrument::Underlying<$key>;

        /// The underlying `base` and `quote` assets of an instrument.
        #[uniffi::remote(Record)]
        pub struct $underlying {
            pub base: $key,
            pub quote: $key,
        }

        pub type $kind = barter_instrument::instrument::kind::InstrumentKind<$key>;

        /// Instrument kind, one of `Spot`, `Perpetual`, `Future` and `Option`.
        #[uniffi::remote(Enum)]
        pub enum $kind {
            Spot,
            Perpetual($perpetual),
            Future($future),
            Option($option),
        }

        pub type $perpetual = barter_instrument::instrument::kind::perpetual::PerpetualContract<$key>;

        /// `PerpetualContract` specification containing all the information needed to fully
        /// identify a perpetual instrument: `contract_size` (how many of the underlying asset the
        /// contract represents) and `settlement_asset`.
        #[uniffi::remote(Record)]
        pub struct $perpetual {
            pub contract_size: Decimal,
            pub settlement_asset: $key,
        }

        pub type $future = barter_instrument::instrument::kind::future::FutureContract<$key>;

        /// `FutureContract` specification containing all the information needed to fully
        /// identify a future instrument: `contract_size`, `settlement_asset` and `expiry` (barter's
        /// JSON keeps milliseconds of it).
        #[uniffi::remote(Record)]
        pub struct $future {
            pub contract_size: Decimal,
            pub settlement_asset: $key,
            pub expiry: Timestamp,
        }

        pub type $option = barter_instrument::instrument::kind::option::OptionContract<$key>;

        /// `OptionContract` specification containing all the information needed to fully
        /// identify an option instrument: `contract_size`, `settlement_asset`, `kind` (call or
        /// put), `exercise` style, `expiry` (barter's JSON keeps milliseconds of it) and `strike`.
        #[uniffi::remote(Record)]
        pub struct $option {
            pub contract_size: Decimal,
            pub settlement_asset: $key,
            pub kind: OptionKind,
            pub exercise: OptionExercise,
            pub expiry: Timestamp,
            pub strike: Decimal,
        }

        pub type $spec = barter_instrument::instrument::spec::InstrumentSpec<$key>;

        /// The trading rules of an instrument: price, quantity and notional.
        #[uniffi::remote(Record)]
        pub struct $spec {
            pub price: InstrumentSpecPrice,
            pub quantity: $quantity,
            pub notional: InstrumentSpecNotional,
        }

        pub type $quantity = barter_instrument::instrument::spec::InstrumentSpecQuantity<$key>;

        /// The quantity rules of an instrument: the `unit` quantities are in, `min` and `increment`.
        #[uniffi::remote(Record)]
        pub struct $quantity {
            pub unit: $units,
            pub min: Decimal,
            pub increment: Decimal,
        }

        pub type $units = barter_instrument::instrument::spec::OrderQuantityUnits<$key>;

        /// The unit of an order quantity: an asset, contracts, or the quote asset.
        #[uniffi::remote(Enum)]
        pub enum $units {
            Asset($key),
            Contract,
            Quote,
        }
    };
}

asset_keyed_instrument_parts!(
    AssetIndex, Underlying, InstrumentKind, PerpetualContract, FutureContract, OptionContract,
    InstrumentSpec, InstrumentSpecQuantity, OrderQuantityUnits
);
asset_keyed_instrument_parts!(
    AssetNameExchange, UnindexedUnderlying, UnindexedInstrumentKind, UnindexedPerpetualContract,
    UnindexedFutureContract, UnindexedOptionContract, UnindexedInstrumentSpec,
    UnindexedInstrumentSpecQuantity, UnindexedOrderQuantityUnits
);

/// Barter representation of a `MarketDataInstrument`: a `base_quote` pair and its instrument
/// kind, all that is needed to subscribe to its market data.
///
/// eg/ `MarketDataInstrument(base="btc", quote="usdt", kind=MarketDataInstrumentKind.SPOT())`
#[uniffi::remote(Record)]
pub struct MarketDataInstrument {
    pub base: AssetNameInternal,
    pub quote: AssetNameInternal,
    pub kind: MarketDataInstrumentKind,
}

/// The type of `MarketDataInstrument` which is being traded on a given `base_quote` market.
#[uniffi::remote(Enum)]
pub enum MarketDataInstrumentKind {
    Spot,
    Perpetual,
    Future(MarketDataFutureContract),
    Option(MarketDataOptionContract),
}

/// The `expiry` of a future, as market data subscriptions identify it.
#[uniffi::remote(Record)]
pub struct MarketDataFutureContract {
    pub expiry: Timestamp,
}

/// An option contract as market data subscriptions identify it.
#[uniffi::remote(Record)]
pub struct MarketDataOptionContract {
    pub kind: OptionKind,
    pub exercise: OptionExercise,
    pub expiry: Timestamp,
    pub strike: Decimal,
}

/// barter-instrument's look-up errors, as data (a failing look-up raises `BarterError.Index`).
#[uniffi::remote(Enum)]
pub enum IndexError {
    ExchangeIndex(String),
    AssetIndex(String),
    InstrumentIndex(String),
}

/// barter's index of a system's exchanges, assets and instruments: the keys (`ExchangeIndex`,
/// `AssetIndex`, `InstrumentIndex`) the engine and its market data use. Built from instrument
/// configurations, or by `SystemConfig.indexed_instruments()`.
#[derive(Debug, PartialEq, uniffi::Object)]
#[uniffi::export(Eq)]
pub struct IndexedInstruments(pub(crate) barter_instrument::index::IndexedInstruments);

#[uniffi::export]
impl IndexedInstruments {
    /// Index every unique exchange, asset and instrument of `instruments`, in order.
    #[uniffi::constructor]
    pub fn new(instruments: Vec<barter::system::config::InstrumentConfig>) -> Self {
        Self(barter_instrument::index::IndexedInstruments::new(instruments))
    }

    /// Build from barter's serde JSON of an `IndexedInstruments`.
    #[uniffi::constructor]
    pub fn from_json(json: &str) -> Result<Self> {
        from_json(json.as_bytes()).map(Self)
    }

    /// barter's serde JSON of the whole index.
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string(&self.0)?)
    }

    /// The exchanges, each with its `ExchangeIndex`.
    pub fn exchanges(&self) -> Vec<KeyedExchange> {
        self.0.exchanges().to_vec()
    }

    /// The exchange assets, each with its `AssetIndex`.
    pub fn assets(&self) -> Vec<KeyedAsset> {
        self.0.assets().to_vec()
    }

    /// The instruments, each with its `InstrumentIndex`.
    pub fn instruments(&self) -> Vec<KeyedInstrument> {
        self.0.instruments().to_vec()
    }

    /// The `ExchangeIndex` of `exchange`.
    pub fn find_exchange_index(&self, exchange: ExchangeId) -> Result<ExchangeIndex> {
        Ok(self.0.find_exchange_index(exchange)?)
    }

    /// The `ExchangeId` at `index`.
    pub fn find_exchange(&self, index: ExchangeIndex) -> Result<ExchangeId> {
        Ok(self.0.find_exchange(index)?)
    }

    /// The `AssetIndex` of the asset `name` (internal, eg/ "btc") on `exchange`.
    pub fn find_asset_index(&self, exchange: ExchangeId, name: AssetNameInternal) -> Result<AssetIndex> {
        Ok(self.0.find_asset_index(exchange, &name)?)
    }

    /// The asset at `index`: its exchange and its internal and exchange names.
    pub fn find_asset(&self, index: AssetIndex) -> Result<ExchangeAssetNames> {
        Ok(self.0.find_asset(index)?.clone())
    }

    /// The `InstrumentIndex` of the instrument `name` (internal, eg/ "binance_spot-btc_usdt") on `exchange`.
    pub fn find_instrument_index(&self, exchange: ExchangeId, name: InstrumentNameInternal) -> Result<InstrumentIndex> {
        Ok(self.0.find_instrument_index(exchange, &name)?)
    }

    /// The `Instrument` at `index`.
    pub fn find_instrument(&self, index: InstrumentIndex) -> Result<Instrument> {
        Ok(self.0.find_instrument(index)?.clone())
    }
}

// barter's JSON of every value above, from barter's serde derives (and barter-macro's for the
// exchange names).
json_functions!(
    ExchangeId, Side, Asset, AssetKind, QuoteAsset, ExchangeAsset, ExchangeAssetNames,
    KeyedExchange, KeyedAsset, KeyedInstrument, Instrument, EngineInstrument, InstrumentQuoteAsset, OptionKind,
    OptionExercise, InstrumentSpecPrice, InstrumentSpecNotional, Underlying, InstrumentKind,
    PerpetualContract, FutureContract, OptionContract, InstrumentSpec, InstrumentSpecQuantity,
    OrderQuantityUnits, UnindexedUnderlying, UnindexedInstrumentKind, UnindexedPerpetualContract,
    UnindexedFutureContract, UnindexedOptionContract, UnindexedInstrumentSpec,
    UnindexedInstrumentSpecQuantity, UnindexedOrderQuantityUnits, MarketDataInstrument,
    MarketDataInstrumentKind, MarketDataFutureContract, MarketDataOptionContract, IndexError,
);
