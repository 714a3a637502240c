//! barter's `OnDisconnectStrategy`, implemented in the foreign language.

use super::{BindingsStrategy, EngineState, ForeignStrategy, Kind, context::StrategyContext};
use crate::error::Result;
use ::barter::{
    engine::{Engine, execution_tx::ExecutionTxMap},
    risk::RiskManager,
};
use barter_instrument::exchange::ExchangeId;
use std::sync::Arc;

/// barter's `OnDisconnectStrategy`: the strategy's reaction when the market data or account
/// stream of `exchange` disconnects. Orders made with the `StrategyContext` are sent as barter's
/// commands (without the risk manager).
#[uniffi::export(with_foreign)]
pub trait OnDisconnectStrategy: Send + Sync {
    fn on_disconnect(&self, context: Arc<StrategyContext>, exchange: ExchangeId) -> Result<()>;
}

// barter's DefaultStrategy does nothing; its hooks take the engine by its exact type, so they
// cannot be delegated to.
impl<Clock, ExecutionTxs, Risk> ::barter::strategy::on_disconnect::OnDisconnectStrategy<Clock, EngineState, ExecutionTxs, Risk> for BindingsStrategy
where
    ExecutionTxs: ExecutionTxMap,
    Risk: RiskManager,
{
    type OnDisconnect = ();

    fn on_disconnect(engine: &mut Engine<Clock, EngineState, ExecutionTxs, Self, Risk>, exchange: ExchangeId) {
        if let Kind::Foreign { hooks: ForeignStrategy { on_disconnect: Some(hook), .. }, .. } = &engine.strategy.kind {
            let hook = Arc::clone(hook);
            let called = engine.strategy.scope.call(&engine.state, true, |context| hook.on_disconnect(context, exchange));
            if let Some(((), requests)) = called {
                super::send(engine, requests);
            }
        }
    }
}
