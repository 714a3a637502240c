//! Read access to barter's `EngineState`: trading state, connectivity, assets (balances and
//! their statistics) and instruments (positions, orders, market data, statistics).
//!
//! The state is a copy, taken when the `EngineState` object was made: reading it never races
//! the engine. Records holding barter's tear-sheet generators are adapters with the same fields
//! as barter's (`InstrumentState`, `AssetState`): the generators cross as objects.

use crate::{
    barter::{
        position::PositionManager,
        statistic::generator::{TearSheetAssetGenerator, TearSheetGenerator, TimedBalance, TimedDecimal, TradingSummaryGenerator},
        strategy::{self, InstrumentMarketData},
    },
    custom::Timestamp,
    error::{BarterError, Result},
    instrument::{EngineInstrument, ExchangeAsset},
};
use ::barter::engine::state::{
    connectivity::{ConnectivityState, ConnectivityStates, Health},
    instrument::data::DefaultInstrumentMarketData,
    trading::TradingState,
};
use barter_data::subscription::book::OrderBookL1;
use barter_execution::order::{id::ClientOrderId, state::ActiveOrderState};
use barter_instrument::{
    asset::Asset,
    exchange::{ExchangeId, ExchangeIndex},
    instrument::InstrumentIndex,
};
use indexmap::IndexMap;
use rust_decimal::Decimal;
use std::sync::Arc;

/// barter's market data of an instrument: its best bid and ask (`l1`) and last traded price.
#[uniffi::remote(Record)]
pub struct DefaultInstrumentMarketData {
    pub l1: OrderBookL1,
    pub last_traded_price: Option<TimedDecimal>,
}

pub type ActiveOrder = barter_execution::order::Order<ExchangeIndex, InstrumentIndex, ActiveOrderState>;

/// An order the engine tracks: barter's `Order<ExchangeIndex, InstrumentIndex, ActiveOrderState>`.
#[uniffi::remote(Record)]
pub struct ActiveOrder {
    pub key: crate::execution::order::OrderKey,
    pub side: barter_instrument::Side,
    pub price: Decimal,
    pub quantity: Decimal,
    pub kind: barter_execution::order::OrderKind,
    pub time_in_force: barter_execution::order::TimeInForce,
    pub state: ActiveOrderState,
}

/// barter's `ConnectivityStates`: the `global` health (healthy when every exchange's market
/// data and account connections are) and each exchange's.
#[uniffi::remote(Record)]
pub struct ConnectivityStates {
    pub global: Health,
    pub exchanges: ExchangeConnectivityStates,
}

/// barter's ordered map of exchange connectivity; crosses as entries, in barter's order (Python:
/// a `dict[ExchangeId, ConnectivityState]`).
pub type ExchangeConnectivityStates = IndexMap<ExchangeId, ConnectivityState>;

/// One entry of `ConnectivityStates.exchanges`.
#[derive(uniffi::Record)]
pub struct ExchangeConnectivityState {
    pub exchange: ExchangeId,
    pub state: ConnectivityState,
}

uniffi::custom_type!(ExchangeConnectivityStates, Vec<ExchangeConnectivityState>, {
    remote,
    lower: |map| map.into_iter().map(|(exchange, state)| ExchangeConnectivityState { exchange, state }).collect(),
    try_lift: |entries| Ok(entries.into_iter().map(|entry| (entry.exchange, entry.state)).collect()),
});

/// barter's `AssetState` of one exchange asset: the `asset`, its balance `statistics` and its
/// last `balance`.
#[derive(uniffi::Record)]
pub struct AssetState {
    pub asset: Asset,
    pub statistics: Arc<TearSheetAssetGenerator>,
    pub balance: Option<TimedBalance>,
}

/// One entry of `EngineState.assets()`.
#[derive(uniffi::Record)]
pub struct ExchangeAssetState {
    pub asset: ExchangeAsset,
    pub state: AssetState,
}

/// barter's `InstrumentState` of one instrument: its `key`, the `instrument`, its PnL
/// statistics (`tear_sheet`), its `position`, its active `orders` and its market `data`.
#[derive(uniffi::Record)]
pub struct InstrumentState {
    pub key: InstrumentIndex,
    pub instrument: EngineInstrument,
    pub tear_sheet: Arc<TearSheetGenerator>,
    pub position: PositionManager,
    pub orders: Vec<ActiveOrder>,
    pub data: InstrumentMarketData,
}

type BarterInstrumentState = ::barter::engine::state::instrument::InstrumentState<InstrumentMarketData>;

/// An instrument's active orders, by client order id (barter keys them in a hash map: sorted
/// here, so the order is stable).
pub(crate) fn sorted_orders(orders: &::barter::engine::state::order::Orders) -> Vec<ActiveOrder> {
    let mut orders: Vec<(&ClientOrderId, &ActiveOrder)> = orders.0.iter().collect();
    orders.sort_by(|(a, _), (b, _)| a.0.cmp(&b.0));
    orders.into_iter().map(|(_, order)| order.clone()).collect()
}

pub(crate) fn instrument_state(state: &BarterInstrumentState) -> InstrumentState {
    InstrumentState {
        key: state.key,
        instrument: state.instrument.clone(),
        tear_sheet: TearSheetGenerator::of(state.tear_sheet.clone()),
        position: state.position.clone(),
        orders: sorted_orders(&state.orders),
        data: state.data.clone(),
    }
}

/// A copy of barter's `EngineState` (of a backtest's engine, or of the initial state barter
/// builds for one: `BacktestArgsConstant.engine_state()`).
#[derive(uniffi::Object)]
pub struct EngineState(pub(crate) strategy::EngineState);

#[uniffi::export]
impl EngineState {
    /// Whether algorithmic trading is enabled.
    pub fn trading(&self) -> TradingState {
        self.0.trading
    }

    /// The health of each exchange's market data and account connections.
    pub fn connectivity(&self) -> ConnectivityStates {
        self.0.connectivity.clone()
    }

    /// Every exchange asset's state, in barter's order.
    pub fn assets(&self) -> Vec<ExchangeAssetState> {
        self.0
            .assets
            .0
            .iter()
            .map(|(asset, state)| ExchangeAssetState {
                asset: asset.clone(),
                state: AssetState {
                    asset: state.asset.clone(),
                    statistics: TearSheetAssetGenerator::of(state.statistics.clone()),
                    balance: state.balance,
                },
            })
            .collect()
    }

    /// Every instrument's state, in `InstrumentIndex` order.
    pub fn instruments(&self) -> Vec<InstrumentState> {
        self.0.instruments.0.values().map(instrument_state).collect()
    }

    /// The state of the instrument at `index`.
    pub fn instrument(&self, index: InstrumentIndex) -> Result<InstrumentState> {
        self.0
            .instruments
            .0
            .get_index(index.index())
            .map(|(_, state)| instrument_state(state))
            .ok_or_else(|| BarterError::Index { reason: format!("{index} is not in the engine's instruments ({} of them)", self.0.instruments.0.len()) })
    }

    /// barter's `TradingSummaryGenerator::init` from this state: the instruments' and assets'
    /// statistics so far, from `time_engine_start` to `time_engine_now`.
    pub fn trading_summary_generator(&self, risk_free_return: Decimal, time_engine_start: Timestamp, time_engine_now: Timestamp) -> Arc<TradingSummaryGenerator> {
        TradingSummaryGenerator::of(::barter::statistic::summary::TradingSummaryGenerator::init(
            risk_free_return,
            time_engine_start,
            time_engine_now,
            &self.0.instruments,
            &self.0.assets,
        ))
    }

    /// barter's serde JSON of the whole state.
    pub fn to_json(&self) -> Result<String> {
        Ok(serde_json::to_string(&self.0)?)
    }

    /// A state from barter's serde JSON of it (`to_json`).
    #[uniffi::constructor]
    pub fn from_json(json: &str) -> Result<Arc<Self>> {
        Ok(Arc::new(Self(crate::json::from_json(json.as_bytes())?)))
    }
}

crate::json::json_functions!(DefaultInstrumentMarketData, InstrumentMarketData, ActiveOrder, ConnectivityStates);
