//! barter's `RiskManager`, implemented in the foreign language.

use super::{RiskApprovedOrderRequestCancel, RiskApprovedOrderRequestOpen, RiskRefusedOrderRequestCancel, RiskRefusedOrderRequestOpen};
use crate::{
    barter::strategy::{
        EngineState,
        context::{Scope, StrategyContext, check_keys},
    },
    error::{BarterError, Result},
    execution::order::{OrderRequestCancel, OrderRequestOpen},
};
use ::barter::risk::{DefaultRiskManager, RiskApproved, RiskRefused};
use std::sync::Arc;

/// barter's `RiskManager`: checks the order requests a strategy generated, approving or
/// refusing each (with a reason), given a `StrategyContext` reading the engine state. Called
/// only when the strategy made requests. Raising stops the run and refuses the requests.
#[uniffi::export(with_foreign)]
pub trait RiskManager: Send + Sync {
    fn check(&self, context: Arc<StrategyContext>, cancels: Vec<OrderRequestCancel>, opens: Vec<OrderRequestOpen>) -> Result<RiskChecked>;
}

/// What a `RiskManager` returns, as barter's `RiskManager::check` does: the approved requests
/// (sent as they are, so a risk manager may change them) and the refused ones, with reasons;
/// one verdict per request.
#[derive(Debug, Clone, Default, uniffi::Record)]
pub struct RiskChecked {
    #[uniffi(default = [])]
    pub approved_cancels: Vec<RiskApprovedOrderRequestCancel>,
    #[uniffi(default = [])]
    pub approved_opens: Vec<RiskApprovedOrderRequestOpen>,
    #[uniffi(default = [])]
    pub refused_cancels: Vec<RiskRefusedOrderRequestCancel>,
    #[uniffi(default = [])]
    pub refused_opens: Vec<RiskRefusedOrderRequestOpen>,
}

/// The risk manager as barter's engine runs it: barter's `DefaultRiskManager`, or one of the
/// foreign language, sharing the [`Scope`] of its run's strategy, which records its verdicts
/// (a backtest also keeps its refusals for its results).
pub struct BindingsRisk {
    foreign: Option<Arc<dyn RiskManager>>,
    scope: Arc<Scope>,
    /// A backtest's results hold its refusals; a running system's are in its audit only.
    record: bool,
}

impl std::fmt::Debug for BindingsRisk {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BindingsRisk").field("foreign", &self.foreign.is_some()).finish_non_exhaustive()
    }
}

impl BindingsRisk {
    /// `foreign` (or barter's `DefaultRiskManager`), within the `scope` of the run's strategy,
    /// which keeps its refusals if it `record`s them (a backtest).
    pub fn new(foreign: Option<Arc<dyn RiskManager>>, scope: &Arc<Scope>, record: bool) -> Self {
        Self { foreign, scope: Arc::clone(scope), record }
    }

    /// Whether it calls code of the foreign language.
    pub fn is_foreign(&self) -> bool {
        self.foreign.is_some()
    }

    fn foreign_check(&self, manager: &Arc<dyn RiskManager>, state: &EngineState, cancels: Vec<OrderRequestCancel>, opens: Vec<OrderRequestOpen>) -> RiskChecked {
        let called = self.scope.call(state, false, |context| {
            let checked = manager.check(context, cancels.clone(), opens.clone())?;
            // Each request is approved (maybe changed) or refused: none may vanish unrecorded.
            let verdicts = (checked.approved_cancels.len() + checked.refused_cancels.len(), checked.approved_opens.len() + checked.refused_opens.len());
            if verdicts != (cancels.len(), opens.len()) {
                return Err(BarterError::InvalidInput {
                    reason: format!(
                        "RiskManager.check: {} cancel and {} open requests in, {} and {} verdicts out: approve or refuse each one",
                        cancels.len(), opens.len(), verdicts.0, verdicts.1
                    ),
                });
            }
            // barter's engine indexes its state by the keys it sends: a changed key must exist.
            check_keys(state, checked.approved_cancels.iter().map(|approved| &approved.0.key))?;
            check_keys(state, checked.approved_opens.iter().map(|approved| &approved.0.key))?;
            Ok(checked)
        });
        called.map(|(checked, _)| checked).unwrap_or_else(|| {
            // The run has failed: nothing more is sent.
            let reason = self.scope.failure().error().map_or_else(String::new, |error| error.to_string());
            RiskChecked {
                refused_cancels: cancels.into_iter().map(|item| RiskRefused::new(item, reason.clone())).collect(),
                refused_opens: opens.into_iter().map(|item| RiskRefused::new(item, reason.clone())).collect(),
                ..RiskChecked::default()
            }
        })
    }
}

impl ::barter::risk::RiskManager for BindingsRisk {
    type State = EngineState;

    fn check(
        &self,
        state: &Self::State,
        cancels: impl IntoIterator<Item = OrderRequestCancel>,
        opens: impl IntoIterator<Item = OrderRequestOpen>,
    ) -> (
        impl IntoIterator<Item = RiskApproved<OrderRequestCancel>>,
        impl IntoIterator<Item = RiskApproved<OrderRequestOpen>>,
        impl IntoIterator<Item = RiskRefused<OrderRequestCancel>>,
        impl IntoIterator<Item = RiskRefused<OrderRequestOpen>>,
    ) {
        let (cancels, opens): (Vec<_>, Vec<_>) = (cancels.into_iter().collect(), opens.into_iter().collect());
        let checked = match &self.foreign {
            // Only requests cross into the foreign language.
            Some(manager) if !(cancels.is_empty() && opens.is_empty()) => self.foreign_check(manager, state, cancels, opens),
            _ => {
                let default = DefaultRiskManager::<EngineState>::default();
                let (approved_cancels, approved_opens, refused_cancels, refused_opens) =
                    ::barter::risk::RiskManager::check(&default, state, cancels, opens);
                RiskChecked {
                    approved_cancels: approved_cancels.into_iter().collect(),
                    approved_opens: approved_opens.into_iter().collect(),
                    refused_cancels: refused_cancels.into_iter().collect(),
                    refused_opens: refused_opens.into_iter().collect(),
                }
            }
        };
        let RiskChecked { approved_cancels, approved_opens, refused_cancels, refused_opens } = checked;
        self.scope.record_checked((&approved_cancels, &approved_opens), (&refused_cancels, &refused_opens), self.record);
        (approved_cancels, approved_opens, refused_cancels, refused_opens)
    }
}
