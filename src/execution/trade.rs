//! barter-execution's trades (fills of an order) and their fees.

use crate::{
    custom::Timestamp,
    error::{BarterError, Result},
    json::json_functions,
};
use barter_execution::trade::TradeId;
use barter_execution::order::id::{OrderId, StrategyId};
use barter_instrument::{
    Side,
    asset::QuoteAsset,
    instrument::{InstrumentIndex, name::InstrumentNameExchange},
};
use rust_decimal::Decimal;

uniffi::custom_type!(TradeId, String, {
    remote,
    lower: |id| id.0.to_string(),
    try_lift: |id| Ok(TradeId::new(id)),
});

pub type AssetFees = barter_execution::trade::AssetFees<QuoteAsset>;

/// The `fees` paid for a trade, in the `asset` (a `QuoteAsset`: the instrument's quote asset).
#[uniffi::remote(Record)]
pub struct AssetFees {
    pub asset: QuoteAsset,
    pub fees: Decimal,
}

pub type Trade = barter_execution::trade::Trade<QuoteAsset, InstrumentIndex>;

/// A (partial or full) fill of an order: trade `id`, `order_id`, `instrument` (index),
/// `strategy`, `time_exchange`, `side`, `price`, `quantity` and `fees` (in the quote asset).
#[uniffi::remote(Record)]
pub struct Trade {
    pub id: TradeId,
    pub order_id: OrderId,
    pub instrument: InstrumentIndex,
    pub strategy: StrategyId,
    pub time_exchange: Timestamp,
    pub side: Side,
    pub price: Decimal,
    pub quantity: Decimal,
    pub fees: AssetFees,
}

pub type UnindexedTrade = barter_execution::trade::Trade<QuoteAsset, InstrumentNameExchange>;

/// A fill of an order on an exchange: as `Trade`, with the exchange's `instrument` name.
#[uniffi::remote(Record)]
pub struct UnindexedTrade {
    pub id: TradeId,
    pub order_id: OrderId,
    pub instrument: InstrumentNameExchange,
    pub strategy: StrategyId,
    pub time_exchange: Timestamp,
    pub side: Side,
    pub price: Decimal,
    pub quantity: Decimal,
    pub fees: AssetFees,
}

/// barter's `value_quote` panics on overflow: refuse the trades it cannot value first.
fn check_value_quote(price: Decimal, quantity: Decimal) -> Result<()> {
    price
        .checked_mul(quantity.abs())
        .map(|_| ())
        .ok_or_else(|| BarterError::invalid_value(format!("{price} * |{quantity}| overflows Decimal")))
}

/// barter's `Trade::value_quote`: `price * |quantity|`, in the quote asset.
#[uniffi::export]
pub fn trade_value_quote(trade: Trade) -> Result<Decimal> {
    check_value_quote(trade.price, trade.quantity)?;
    Ok(trade.value_quote())
}

/// barter's `Trade::value_quote` of a trade on an exchange.
#[uniffi::export]
pub fn unindexed_trade_value_quote(trade: UnindexedTrade) -> Result<Decimal> {
    check_value_quote(trade.price, trade.quantity)?;
    Ok(trade.value_quote())
}

json_functions!(
    AssetFees, Trade, UnindexedTrade,
);
