//! A system's engine with a panic inside barter caught.
//!
//! barter's engine panics on what it cannot handle: an unknown key (refused before it gets there,
//! `keys`) or a `Decimal` overflow in its position arithmetic (a trade of an absurd value sent as
//! an account event). In its own task, a panic ends the task: the engine, with every position,
//! balance and order, is dropped, the backtrace goes to stderr, and what the caller sees depends
//! on timing. `Supervised` processes each event inside `barter_call` instead: a panic becomes
//! barter's own `UnrecoverableEngineError::Custom` in that event's audit, which ends barter's run
//! loop as any unrecoverable error does. The engine comes back from its task, and the system
//! reports the panic's message (`Supervised::failure`).
//!
//! barter mutates its state in place and a panic can leave it half-updated (a position taken out
//! to be updated and never put back). So the part of the state an event touches is saved before
//! it is processed and put back after a panic: the engine's state is then as it was after the
//! last event barter processed whole. That part is one instrument's state for market events,
//! fills and order updates, one asset's for balances, and the whole state for the rare account
//! snapshots and commands.

use crate::{
    barter::{
        engine::{AccountStreamEvent, BindingsEngine, EngineEvent},
        strategy,
    },
    error::barter_call,
};
use barter_execution::AccountEventKind;
use barter_instrument::{asset::AssetIndex, instrument::InstrumentIndex};
use ::barter::engine::{
    EngineOutput, Processor,
    audit::{Auditor, EngineAudit, ProcessAudit, context::EngineContext},
    error::UnrecoverableEngineError,
};
use ::barter::{engine::audit::AuditTick, shutdown::SyncShutdown};
use barter_integration::collection::none_one_or_many::NoneOneOrMany;
use std::sync::{Arc, OnceLock};

/// barter's engine of a system; see the module documentation.
pub(crate) struct Supervised {
    pub(crate) engine: BindingsEngine,
    failure: Arc<OnceLock<String>>,
}

impl Supervised {
    pub(crate) fn new(engine: BindingsEngine) -> Self {
        Self { engine, failure: Arc::new(OnceLock::new()) }
    }

    /// barter's panic message, once the engine has panicked (shared: it is read from outside the
    /// engine's task).
    pub(crate) fn failure(&self) -> Arc<OnceLock<String>> {
        Arc::clone(&self.failure)
    }
}

type Audit = <BindingsEngine as Processor<EngineEvent>>::Audit;

type InstrumentState = ::barter::engine::state::instrument::InstrumentState<strategy::InstrumentMarketData>;

/// The part of the engine's state an event may change, as it was before.
enum Saved {
    Instrument(InstrumentIndex, Box<InstrumentState>),
    Asset(AssetIndex, Box<::barter::engine::state::asset::AssetState>),
    Whole(Box<strategy::EngineState>),
    Nothing,
}

impl Saved {
    fn before(event: &EngineEvent, state: &strategy::EngineState) -> Self {
        let instrument = |index: InstrumentIndex| match state.instruments.0.get_index(index.index()) {
            Some((_, instrument)) => Self::Instrument(index, Box::new(instrument.clone())),
            None => Self::Nothing,
        };
        match event {
            EngineEvent::Market(::barter_data::streams::reconnect::Event::Item(market)) => instrument(market.instrument),
            EngineEvent::Account(AccountStreamEvent::Item(account)) => match &account.kind {
                AccountEventKind::Trade(trade) => instrument(trade.instrument),
                AccountEventKind::OrderSnapshot(order) => instrument(order.0.key.instrument),
                AccountEventKind::OrderCancelled(response) => instrument(response.key.instrument),
                AccountEventKind::BalanceSnapshot(balance) => match state.assets.0.get_index(balance.0.asset.index()) {
                    Some((_, asset)) => Self::Asset(balance.0.asset, Box::new(asset.clone())),
                    None => Self::Nothing,
                },
                AccountEventKind::Snapshot(_) => Self::Whole(Box::new(state.clone())),
            },
            EngineEvent::Command(_) => Self::Whole(Box::new(state.clone())),
            EngineEvent::Market(_) | EngineEvent::Account(AccountStreamEvent::Reconnecting(_)) | EngineEvent::Shutdown(_) | EngineEvent::TradingStateUpdate(_) => {
                Self::Nothing
            }
        }
    }

    fn restore(self, state: &mut strategy::EngineState) {
        match self {
            Self::Instrument(index, saved) => {
                if let Some((_, instrument)) = state.instruments.0.get_index_mut(index.index()) {
                    *instrument = *saved;
                }
            }
            Self::Asset(index, saved) => {
                if let Some((_, asset)) = state.assets.0.get_index_mut(index.index()) {
                    *asset = *saved;
                }
            }
            Self::Whole(saved) => *state = *saved,
            Self::Nothing => {}
        }
    }
}

impl Processor<EngineEvent> for Supervised {
    type Audit = Audit;

    fn process(&mut self, event: EngineEvent) -> Self::Audit {
        // Kept for the audit of a panic, which consumed the event.
        let kept = event.clone();
        let saved = Saved::before(&event, &self.engine.state);
        match barter_call("barter's engine", || self.engine.process(event)) {
            Ok(audit) => audit,
            Err(error) => {
                saved.restore(&mut self.engine.state);
                let reason = error.to_string();
                let _ = self.failure.set(reason.clone());
                EngineAudit::Process(ProcessAudit {
                    event: kept,
                    outputs: NoneOneOrMany::<EngineOutput<_, _>>::None,
                    errors: NoneOneOrMany::One(UnrecoverableEngineError::Custom(reason)),
                })
            }
        }
    }
}

impl<Kind> Auditor<Kind> for Supervised
where
    BindingsEngine: Auditor<Kind, Context = EngineContext>,
{
    type Snapshot = <BindingsEngine as Auditor<Kind>>::Snapshot;
    type Context = EngineContext;

    fn audit_snapshot(&mut self) -> AuditTick<Self::Snapshot, Self::Context> {
        self.engine.audit_snapshot()
    }

    fn audit<Event>(&mut self, kind: Event) -> AuditTick<Kind, Self::Context>
    where
        Kind: From<Event>,
    {
        self.engine.audit(kind)
    }
}

impl SyncShutdown for Supervised {
    type Result = ();

    /// barter's engine shutdown: it tells the executions to stop (the system's shutdown waits for
    /// them), after a panic too.
    fn shutdown(&mut self) {
        let _ = barter_call("barter's engine shutdown", || self.engine.shutdown());
    }
}
