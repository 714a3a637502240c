//! barter's `ClosePositionsStrategy`, implemented in the foreign language.

use super::{BindingsStrategy, EngineState, Kind, context::StrategyContext};
use crate::{barter::engine::InstrumentFilter, error::Result};
use ::barter::strategy::close_positions::close_open_positions_with_market_orders;
use barter_execution::order::request::{OrderRequestCancel, OrderRequestOpen};
use barter_instrument::{asset::AssetIndex, exchange::ExchangeIndex, instrument::InstrumentIndex};
use std::sync::Arc;

/// barter's `ClosePositionsStrategy`: the orders that close the open positions of the
/// instruments `filter` selects, made with the `StrategyContext` (barter calls it for a
/// `Command.CLOSE_POSITIONS`; it sends them as they are, without the risk manager). Once the
/// run's foreign code has failed, barter's `close_open_positions_with_market_orders` closes them.
#[uniffi::export(with_foreign)]
pub trait ClosePositionsStrategy: Send + Sync {
    fn close_positions_requests(&self, context: Arc<StrategyContext>, filter: InstrumentFilter) -> Result<()>;
}

impl ::barter::strategy::close_positions::ClosePositionsStrategy for BindingsStrategy {
    type State = EngineState;

    fn close_positions_requests<'a>(
        &'a self,
        state: &'a Self::State,
        filter: &'a InstrumentFilter,
    ) -> (
        impl IntoIterator<Item = OrderRequestCancel<ExchangeIndex, InstrumentIndex>> + 'a,
        impl IntoIterator<Item = OrderRequestOpen<ExchangeIndex, InstrumentIndex>> + 'a,
    )
    where
        ExchangeIndex: 'a,
        AssetIndex: 'a,
        InstrumentIndex: 'a,
    {
        if let Kind::Foreign { hooks: super::ForeignStrategy { close_positions: Some(hook), .. }, .. } = &self.kind {
            // A run whose foreign code failed still closes positions when told to: barter's way.
            if let Some(((), requests)) = self.scope.call(state, true, |context| hook.close_positions_requests(context, filter.clone())) {
                return requests;
            }
        }
        // barter's DefaultStrategy does exactly this, with random ids.
        let (cancels, opens) = close_open_positions_with_market_orders(&self.default.id, state, filter, |_| self.scope.next_order_id());
        (cancels.into_iter().collect(), opens.into_iter().collect())
    }
}
