//! Bindings for `barter-instrument`: exchanges, assets, instruments and their names.
//!
//! `ExchangeId` and `Side` are declared in `udl/barter_ffi.udl` (flat enums read best there).

use barter_instrument::{asset::name::AssetNameInternal, exchange::ExchangeId, instrument::name::InstrumentNameInternal};

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

pub type ExchangeAsset = barter_instrument::asset::ExchangeAsset<AssetNameInternal>;

/// Unique identifier for an Asset on an exchange, eg/ `ExchangeAsset(exchange=ExchangeId.BINANCE_SPOT, asset="usdt")`.
#[uniffi::remote(Record)]
pub struct ExchangeAsset {
    pub exchange: ExchangeId,
    pub asset: AssetNameInternal,
}
