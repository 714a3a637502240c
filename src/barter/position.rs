//! Bindings for `barter::engine::state::position`: an instrument's open `Position`, the
//! `PositionManager` that holds it, and the `PositionExited` a closing trade produces.
//!
//! Types are the engine's instantiations: keyed by `InstrumentIndex`, fees in the `QuoteAsset`.
//! Barter's methods are exported as functions that return the new state (Python attaches them:
//! `position.update_from_trade(trade)`), and run barter's arithmetic under `barter_call`, so
//! input barter cannot compute (a division by a zero quantity, a `Decimal` overflow) is a
//! `BarterError`, not a panic.

use crate::{
    custom::Timestamp,
    error::{Result, barter_call},
    execution::trade::{AssetFees, Trade},
    json::json_functions,
};
use barter_execution::trade::TradeId;
use barter_instrument::{Side, instrument::InstrumentIndex};
use rust_decimal::Decimal;

pub type Position = ::barter::engine::state::position::Position<barter_instrument::asset::QuoteAsset, InstrumentIndex>;
pub type PositionExited = ::barter::engine::state::position::PositionExited<barter_instrument::asset::QuoteAsset, InstrumentIndex>;
pub type PositionManager = ::barter::engine::state::position::PositionManager<InstrumentIndex>;

/// An open position in one instrument: `instrument` (index), `side` (Buy = LONG, Sell = SHORT),
/// volume-weighted `price_entry_average`, current `quantity_abs` and the largest
/// `quantity_abs_max` it reached, `pnl_unrealised` (estimated, exit fees included) and
/// `pnl_realised` (fees included), `fees_enter` and `fees_exit` (quote asset), `time_enter`,
/// `time_exchange_update` and the ids of its `trades`.
#[uniffi::remote(Record)]
pub struct Position {
    pub instrument: InstrumentIndex,
    pub side: Side,
    pub price_entry_average: Decimal,
    pub quantity_abs: Decimal,
    pub quantity_abs_max: Decimal,
    pub pnl_unrealised: Decimal,
    pub pnl_realised: Decimal,
    pub fees_enter: AssetFees,
    pub fees_exit: AssetFees,
    pub time_enter: Timestamp,
    pub time_exchange_update: Timestamp,
    pub trades: Vec<TradeId>,
}

/// A fully closed position: `instrument` (index), `side`, `price_entry_average`,
/// `quantity_abs_max`, `pnl_realised` over the whole position (fees included), `fees_enter`,
/// `fees_exit`, `time_enter`, `time_exit` and the ids of its `trades`.
#[uniffi::remote(Record)]
pub struct PositionExited {
    pub instrument: InstrumentIndex,
    pub side: Side,
    pub price_entry_average: Decimal,
    pub quantity_abs_max: Decimal,
    pub pnl_realised: Decimal,
    pub fees_enter: AssetFees,
    pub fees_exit: AssetFees,
    pub time_enter: Timestamp,
    pub time_exit: Timestamp,
    pub trades: Vec<TradeId>,
}

/// The `current` open position of an instrument, if any.
#[uniffi::remote(Record)]
pub struct PositionManager {
    pub current: Option<Position>,
}

/// Barter's `Position::update_from_trade` result: the `position` still open (none when the trade
/// closed it exactly) and the `exited` position (when the trade closed or flipped it).
#[derive(uniffi::Record)]
pub struct PositionUpdate {
    pub position: Option<Position>,
    pub exited: Option<PositionExited>,
}

/// Barter's `PositionManager::update_from_trade` result: the updated `manager` and the `exited`
/// position, if the trade closed one.
#[derive(uniffi::Record)]
pub struct PositionManagerUpdate {
    pub manager: PositionManager,
    pub exited: Option<PositionExited>,
}

/// barter's `Position::from(&Trade)`: a new position entered by `trade`.
#[uniffi::export]
pub fn position_from_trade(trade: Trade) -> Result<Position> {
    barter_call("Position::from(trade)", || Position::from(&trade))
}

/// barter's `Position::update_from_trade`: increase, reduce, close or flip the position. A trade
/// of another instrument leaves it unchanged (barter logs an error).
#[uniffi::export]
pub fn position_update_from_trade(position: Position, trade: Trade) -> Result<PositionUpdate> {
    barter_call("Position::update_from_trade", || {
        let (position, exited) = position.update_from_trade(&trade);
        PositionUpdate { position, exited }
    })
}

/// barter's `Position::update_pnl_unrealised`: the position with `pnl_unrealised` estimated for
/// closing it at `price`.
#[uniffi::export]
pub fn position_update_pnl_unrealised(mut position: Position, price: Decimal) -> Result<Position> {
    barter_call("Position::update_pnl_unrealised", || {
        position.update_pnl_unrealised(price);
        position
    })
}

/// barter's `Position::update_pnl_realised`: the position with the PnL of closing
/// `closed_quantity` at `closed_price` (paying `closed_fee`) added to `pnl_realised`.
#[uniffi::export]
pub fn position_update_pnl_realised(
    mut position: Position,
    closed_quantity: Decimal,
    closed_price: Decimal,
    closed_fee: Decimal,
) -> Result<Position> {
    barter_call("Position::update_pnl_realised", || {
        position.update_pnl_realised(closed_quantity, closed_price, closed_fee);
        position
    })
}

/// barter's `PositionExited::from(Position)`: the position as closed at its last update.
#[uniffi::export]
pub fn position_exited_from_position(position: Position) -> PositionExited {
    PositionExited::from(position)
}

/// barter's `PositionManager::update_from_trade`: enter, update, close or flip the current
/// position from `trade`.
#[uniffi::export]
pub fn position_manager_update_from_trade(mut manager: PositionManager, trade: Trade) -> Result<PositionManagerUpdate> {
    barter_call("PositionManager::update_from_trade", || {
        let exited = manager.update_from_trade(&trade);
        PositionManagerUpdate { manager, exited }
    })
}

/// barter's `calculate_pnl_unrealised`: estimated PnL of closing `quantity_abs` of a `side`
/// position at `price`, less the exit fees `fees_enter` suggests.
#[uniffi::export]
pub fn calculate_pnl_unrealised(
    position_side: Side,
    price_entry_average: Decimal,
    quantity_abs: Decimal,
    quantity_abs_max: Decimal,
    fees_enter: Decimal,
    price: Decimal,
) -> Result<Decimal> {
    barter_call("calculate_pnl_unrealised", || {
        ::barter::engine::state::position::calculate_pnl_unrealised(
            position_side, price_entry_average, quantity_abs, quantity_abs_max, fees_enter, price,
        )
    })
}

/// barter's `calculate_pnl_realised`: PnL of closing `closed_quantity` of a `side` position at
/// `closed_price`, paying `closed_fee`.
#[uniffi::export]
pub fn calculate_pnl_realised(
    position_side: Side,
    price_entry_average: Decimal,
    closed_quantity: Decimal,
    closed_price: Decimal,
    closed_fee: Decimal,
) -> Result<Decimal> {
    barter_call("calculate_pnl_realised", || {
        ::barter::engine::state::position::calculate_pnl_realised(
            position_side, price_entry_average, closed_quantity, closed_price, closed_fee,
        )
    })
}

/// barter's `calculate_pnl_return`: `pnl_realised / (price_entry_average * quantity_abs_max)`.
#[uniffi::export]
pub fn calculate_pnl_return(pnl_realised: Decimal, price_entry_average: Decimal, quantity_abs_max: Decimal) -> Result<Decimal> {
    barter_call("calculate_pnl_return", || {
        ::barter::engine::state::position::calculate_pnl_return(pnl_realised, price_entry_average, quantity_abs_max)
    })
}

json_functions!(Position, PositionExited, PositionManager);

#[cfg(test)]
mod tests {
    use super::*;
    use crate::error::BarterError;
    use barter_execution::order::id::{OrderId, StrategyId};
    use barter_instrument::asset::QuoteAsset;

    fn trade(side: Side, price: &str, quantity: &str, fees: &str) -> Trade {
        Trade {
            id: TradeId::new("t"),
            order_id: OrderId::new("o"),
            instrument: InstrumentIndex(0),
            strategy: StrategyId::new("s"),
            time_exchange: Timestamp::default(),
            side,
            price: price.parse().unwrap(),
            quantity: quantity.parse().unwrap(),
            fees: AssetFees { asset: QuoteAsset, fees: fees.parse().unwrap() },
        }
    }

    #[test]
    fn barter_call_refuses_what_barter_panics_on() {
        struct TestCase {
            result: Result<Decimal>,
            expected: Result<(), &'static str>,
        }
        let max = Decimal::MAX.to_string();
        let cases = [
            // TC0: barter computes it
            TestCase { result: calculate_pnl_return("1".parse().unwrap(), "2".parse().unwrap(), "1".parse().unwrap()), expected: Ok(()) },
            // TC1: division by a zero cost of investment
            TestCase { result: calculate_pnl_return(Decimal::ONE, Decimal::ZERO, Decimal::ONE), expected: Err("calculate_pnl_return") },
            // TC2: Decimal overflow
            TestCase {
                result: calculate_pnl_realised(Side::Buy, Decimal::ZERO, max.parse().unwrap(), max.parse().unwrap(), Decimal::ZERO),
                expected: Err("calculate_pnl_realised"),
            },
            // TC3: a position entered and increased by zero quantities divides by its zero quantity_abs_max
            TestCase {
                result: position_update_from_trade(
                    position_from_trade(trade(Side::Buy, "1", "0", "0")).unwrap(),
                    trade(Side::Buy, "1", "0", "0"),
                )
                .map(|_| Decimal::ZERO),
                expected: Err("Position::update_from_trade"),
            },
        ];
        for (index, case) in cases.into_iter().enumerate() {
            match (case.result, case.expected) {
                (Ok(_), Ok(())) => {}
                (Err(BarterError::InvalidValue { reason }), Err(operation)) => {
                    assert!(reason.starts_with(operation), "TC{index}: {reason}")
                }
                (actual, expected) => panic!("TC{index}: {actual:?}, expected {expected:?}"),
            }
        }
    }
}
