//! barter's `OnTradingDisabled`, implemented in the foreign language.

use super::{BindingsStrategy, EngineState, ForeignStrategy, Kind, context::StrategyContext};
use crate::error::Result;
use ::barter::{
    engine::{Engine, execution_tx::ExecutionTxMap},
    risk::RiskManager,
};
use std::sync::Arc;

/// barter's `OnTradingDisabled`: the strategy's reaction when algorithmic trading is disabled.
/// Orders made with the `StrategyContext` are sent as barter's commands (without the risk
/// manager).
#[uniffi::export(with_foreign)]
pub trait OnTradingDisabled: Send + Sync {
    fn on_trading_disabled(&self, context: Arc<StrategyContext>) -> Result<()>;
}

// barter's DefaultStrategy does nothing (see `on_disconnect`).
impl<Clock, ExecutionTxs, Risk> ::barter::strategy::on_trading_disabled::OnTradingDisabled<Clock, EngineState, ExecutionTxs, Risk> for BindingsStrategy
where
    ExecutionTxs: ExecutionTxMap,
    Risk: RiskManager,
{
    type OnTradingDisabled = ();

    fn on_trading_disabled(engine: &mut Engine<Clock, EngineState, ExecutionTxs, Self, Risk>) {
        engine.strategy.resync.store(true, std::sync::atomic::Ordering::Relaxed);
        if let Kind::Foreign { hooks: ForeignStrategy { on_trading_disabled: Some(hook), .. }, .. } = &engine.strategy.kind {
            let hook = Arc::clone(hook);
            let called = engine.strategy.scope.call(&engine.state, true, |context| hook.on_trading_disabled(context));
            if let Some(((), requests)) = called {
                super::send(engine, requests);
            }
        }
    }
}
