//! Bindings for `barter::backtest`: run one or many backtests over in-memory market data.
//!
//! A backtest runs entirely in Rust in one call, with the GIL released; Python sees only the
//! summaries barter computes.

use crate::{
    barter::{
        statistic::{SummaryInterval, TradingSummary},
        risk::{RiskRefusedOrderRequestCancel, RiskRefusedOrderRequestOpen, manager::{BindingsRisk, RiskManager}},
        strategy::{BindingsStrategy, ForeignStrategy, GlobalData, InstrumentMarketData, Strategy, context::{OrderIds, Refused, Scope}},
        system::config::{BacktestConfig, ExecutionConfig, SystemConfig},
    },
    error::{BarterError, Result},
    execution::trade::Trade,
    runtime,
    sim::event_time,
};
use ::barter::{
    backtest::{self as barter_backtest, summary},
    engine::state::{builder::EngineStateBuilder, trading::TradingState},
};
use barter_execution::{balance::Balance, map::generate_execution_instrument_map};
use barter_instrument::{
    Keyed,
    asset::{ExchangeAsset, name::AssetNameInternal},
};
use barter_data::event::DataKind;
use barter_instrument::index::IndexedInstruments;
use rust_decimal::Decimal;
use rayon::iter::{IntoParallelIterator, ParallelIterator};
use smol_str::SmolStr;
use std::{
    sync::{
        Arc, Condvar, Mutex,
        atomic::{AtomicBool, AtomicU64, Ordering},
    },
    time::Duration,
};

pub mod frames;
pub mod market_data;
pub mod record;
pub use frames::ResultFrames;
pub use market_data::MarketDataInMemory;
pub use record::Recording;
use record::Recorded;

pub type ArgsConstant = barter_backtest::BacktestArgsConstant<
    ::barter::backtest::market_data::MarketDataInMemory<DataKind>,
    SummaryInterval,
    crate::barter::strategy::EngineState,
>;

/// Inputs shared by every backtest of a batch: the instruments and executions of a
/// `SystemConfig`, the market data, and the interval of the summary metrics.
///
/// Built once, then passed to `backtest` and `run_backtests` as often as needed. Copied or
/// pickled, it is rebuilt from its inputs (`system()`, `market_data()`, ...).
#[derive(uniffi::Object)]
pub struct BacktestArgsConstant {
    args: Arc<ArgsConstant>,
    /// Every execution, simulated venues included (barter's `args` hold its mocks only).
    executions: Vec<ExecutionConfig>,
    /// The inputs it was built from, to rebuild it elsewhere (pickling).
    system: Arc<SystemConfig>,
    market_data: Arc<MarketDataInMemory>,
    trading_state: TradingState,
}

#[uniffi::export]
impl BacktestArgsConstant {
    /// Index the system's instruments, check that every market event refers to one of them,
    /// and build barter's initial `EngineState` (clock at the first event).
    #[uniffi::constructor]
    pub fn new(
        system: Arc<SystemConfig>,
        market_data: Arc<MarketDataInMemory>,
        summary_interval: SummaryInterval,
        trading_state: TradingState,
    ) -> Result<Arc<Self>> {
        let super::system::config::SystemConfigData { instruments, executions } = system.0.clone();
        let instruments = IndexedInstruments::new(instruments);
        market_data.check_keys(&instruments)?;

        let engine_state = EngineStateBuilder::new(&instruments, GlobalData::default(), |_| {
            InstrumentMarketData::default()
        })
        .time_engine_start(market_data.time_first_event()?)
        .trading_state(trading_state)
        .balances(initial_balances(&instruments, &executions)?)
        .build();

        let args = Arc::new(barter_backtest::BacktestArgsConstant {
            instruments,
            // barter's `backtest()` knows only its mocks (`check_upstream` refuses the others).
            executions: executions
                .iter()
                .filter_map(|execution| match execution {
                    ExecutionConfig::Mock(mock) => Some(::barter::system::config::ExecutionConfig::Mock(mock.clone())),
                    ExecutionConfig::Simulated(_) => None,
                })
                .collect(),
            market_data: market_data.inner(),
            summary_interval,
            engine_state,
        });
        Ok(Arc::new(Self { args, executions, system, market_data, trading_state }))
    }

    /// As barter's examples do: a `BacktestConfig`'s system, with trading enabled.
    #[uniffi::constructor]
    pub fn from_config(
        config: &BacktestConfig,
        market_data: Arc<MarketDataInMemory>,
        summary_interval: SummaryInterval,
    ) -> Result<Arc<Self>> {
        Self::new(config.system(), market_data, summary_interval, TradingState::Enabled)
    }

    /// The interval the summaries of these backtests are scaled to.
    pub fn summary_interval(&self) -> SummaryInterval {
        self.args.summary_interval
    }

    /// The `SystemConfig` whose instruments and executions these arguments use.
    pub fn system(&self) -> Arc<SystemConfig> {
        Arc::clone(&self.system)
    }

    /// The market data every backtest of these arguments replays (shared, not copied).
    pub fn market_data(&self) -> Arc<MarketDataInMemory> {
        Arc::clone(&self.market_data)
    }

    /// The trading state every backtest starts in.
    pub fn trading_state(&self) -> TradingState {
        self.trading_state
    }

    /// A copy of the `EngineState` every backtest of these arguments starts from.
    pub fn engine_state(&self) -> Arc<crate::barter::engine::state::EngineState> {
        Arc::new(crate::barter::engine::state::EngineState(self.args.engine_state.clone()))
    }
}

impl BacktestArgsConstant {
    /// barter's own arguments, for Rust code composing barter's parts (the native tests).
    pub fn barter(&self) -> &ArgsConstant {
        &self.args
    }

    /// Whether barter's own `backtest()` can run these executions: it knows only its mock.
    fn check_upstream(&self) -> Result<()> {
        ExecutionConfig::to_barter(&self.executions, "barter's backtest() (BacktestMode.UPSTREAM)").map(drop)
    }
}

/// The initial balances of every execution (mock or simulated), keyed as the engine keys them.
///
/// Barter's engine otherwise learns them from the mock exchange's first account snapshot, which
/// races the in-memory market data: when the data wins, the summary has no asset balances.
/// Seeding them makes every backtest's summary the same.
pub fn initial_balances(
    instruments: &IndexedInstruments,
    executions: &[ExecutionConfig],
) -> Result<Vec<Keyed<ExchangeAsset<AssetNameInternal>, Balance>>> {
    let mut balances = Vec::new();
    for execution in executions {
        let map = generate_execution_instrument_map(instruments, execution.exchange())?;
        for asset_balance in &execution.initial_state().balances {
            let asset = instruments.find_asset(map.find_asset_index(&asset_balance.asset)?)?;
            balances.push(Keyed::new(
                ExchangeAsset::new(execution.exchange(), asset.asset.name_internal.clone()),
                asset_balance.balance,
            ));
        }
    }
    Ok(balances)
}

/// Inputs that vary between the backtests of a batch: a unique `id`, the `risk_free_return` of
/// the summary metrics, the strategy (a built-in `strategy`, or a `foreign_strategy`; neither:
/// barter's `DefaultStrategy`) and the `risk` manager (`None`: barter's `DefaultRiskManager`).
///
/// In Python, `strategy` also takes a `barter.strategy.AlgoStrategy` and `risk` a
/// `barter.risk.RiskManager` (see `barter.backtest.BacktestArgsDynamic`).
#[derive(Clone, uniffi::Record)]
pub struct BacktestArgsDynamic {
    pub id: String,
    pub risk_free_return: Decimal,
    #[uniffi(default)]
    pub strategy: Option<Strategy>,
    #[uniffi(default)]
    pub foreign_strategy: Option<ForeignStrategy>,
    #[uniffi(default)]
    pub risk: Option<Arc<dyn RiskManager>>,
}

pub type BarterArgsDynamic = barter_backtest::BacktestArgsDynamic<BindingsStrategy, BindingsRisk>;

impl BacktestArgsDynamic {
    fn into_barter(self, mode: BacktestMode, args_constant: &ArgsConstant) -> Result<BarterArgsDynamic> {
        let order_ids = match mode {
            BacktestMode::EventTime => OrderIds::sequence(),
            BacktestMode::Upstream => OrderIds::Random,
        };
        let strategy = BindingsStrategy::new(self.strategy, self.foreign_strategy, order_ids)?.starting(args_constant.engine_state.trading);
        strategy.check_instruments(args_constant.instruments.instruments().len())?;
        let risk = BindingsRisk::new(self.risk, strategy.scope(), true);
        Ok(barter_backtest::BacktestArgsDynamic { id: SmolStr::from(self.id), risk_free_return: self.risk_free_return, strategy, risk })
    }
}

/// How a backtest keeps time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, uniffi::Enum)]
pub enum BacktestMode {
    /// The default: the market data's time is the backtest's only clock. barter's mock exchange
    /// waits its `latency_ms` in event time (an order sent at an event's time `t` is answered
    /// after the market events up to `t + latency_ms`, on a millisecond grid that starts at the
    /// first event), the engine's clock reads the data's time, and order ids are numbered per
    /// backtest: the same inputs give the same summary on every run, alone or beside any number
    /// of others.
    #[default]
    EventTime,
    /// barter's own `backtest()` and `run_backtests()`, as barter runs them: the mock exchange
    /// sleeps its latency in real time, racing the market data (which is always ready), and
    /// barter's `HistoricalClock` adds wall-clock time to the engine's: results vary from run to
    /// run and with the machine's load. For comparison with barter.
    Upstream,
}

pub type BacktestSummary = summary::BacktestSummary<SummaryInterval>;

/// The `TradingSummary` of one backtest, with the `id` and `risk_free_return` it ran with.
#[uniffi::remote(Record)]
pub struct BacktestSummary {
    pub id: SmolStr,
    pub risk_free_return: Decimal,
    pub trading_summary: TradingSummary,
}

pub type MultiBacktestSummary = summary::MultiBacktestSummary<SummaryInterval>;

/// The summaries of a batch of backtests, in input order, and the wall-clock `duration` of the batch.
#[uniffi::remote(Record)]
pub struct MultiBacktestSummary {
    pub num_backtests: usize,
    pub duration: Duration,
    pub summaries: Vec<BacktestSummary>,
}

/// What one backtest gives: barter's `summary`, `fills()`, every fill of the run in the order
/// the engine received them, the requests its risk manager refused, and `frames()`: fills,
/// orders, positions and equity curve as Arrow tables.
#[derive(Debug, uniffi::Object)]
pub struct BacktestResult {
    summary: BacktestSummary,
    fills: Option<Vec<Trade>>,
    frames: Option<Frames>,
    refused: Refused,
}

/// A result's frames: built from its records when first asked for (a batch whose frames are
/// never read pays only for recording), or given whole (an unpickled result).
#[derive(Debug)]
enum Frames {
    Recorded { recorded: Recorded, args: Arc<ArgsConstant>, built: std::sync::OnceLock<Result<ResultFrames>> },
    Built(ResultFrames),
}

#[uniffi::export]
impl BacktestResult {
    /// barter's summary of the backtest.
    pub fn summary(&self) -> BacktestSummary {
        // barter's BacktestSummary is not Clone; its parts are.
        let BacktestSummary { id, risk_free_return, trading_summary } = &self.summary;
        BacktestSummary { id: id.clone(), risk_free_return: *risk_free_return, trading_summary: trading_summary.clone() }
    }

    /// Every fill (barter's `Trade`, as the mock exchange reported it) in the order the engine
    /// received them; `None` in `BacktestMode.UPSTREAM`, whose `backtest()` returns only barter's
    /// summary.
    pub fn fills(&self) -> Option<Vec<Trade>> {
        self.fills.clone()
    }

    /// The open requests the risk manager refused, with its reasons, in order.
    pub fn opens_refused(&self) -> Vec<RiskRefusedOrderRequestOpen> {
        self.refused.opens.clone()
    }

    /// The cancel requests the risk manager refused, with its reasons, in order.
    pub fn cancels_refused(&self) -> Vec<RiskRefusedOrderRequestCancel> {
        self.refused.cancels.clone()
    }

    /// The run's records as Arrow tables (fills, orders, positions exited, equity curve),
    /// recorded in Rust as it ran; `None` in `BacktestMode.UPSTREAM` or when recording was off.
    pub fn frames(&self) -> Result<Option<ResultFrames>> {
        match &self.frames {
            None => Ok(None),
            Some(Frames::Built(frames)) => Ok(Some(frames.clone())),
            Some(Frames::Recorded { recorded, args, built }) => built
                .get_or_init(|| ResultFrames::new(self.fills.as_deref().unwrap_or_default(), recorded, &args.instruments))
                .clone()
                .map(Some),
        }
    }

    /// A result from its parts, as `summary()`, `fills()`, `opens_refused()`,
    /// `cancels_refused()` and `frames()` give them: how a result is rebuilt when unpickled.
    #[uniffi::constructor(default(frames = None))]
    pub fn from_parts(
        summary: BacktestSummary,
        fills: Option<Vec<Trade>>,
        opens_refused: Vec<RiskRefusedOrderRequestOpen>,
        cancels_refused: Vec<RiskRefusedOrderRequestCancel>,
        frames: Option<ResultFrames>,
    ) -> Arc<Self> {
        Arc::new(Self { summary, fills, frames: frames.map(Frames::Built), refused: Refused { opens: opens_refused, cancels: cancels_refused } })
    }
}

impl BacktestResult {
    /// One backtest of `mode`: event time, or barter's own `backtest()`.
    fn run(args_constant: &BacktestArgsConstant, args_dynamic: BarterArgsDynamic, mode: BacktestMode, recording: Recording) -> Result<Arc<Self>> {
        let scope = Arc::clone(args_dynamic.strategy.scope());
        let (summary, fills, frames) = match mode {
            BacktestMode::EventTime => {
                let (summary, fills, recorded) = event_time::backtest(&args_constant.args, &args_constant.executions, args_dynamic, recording)?;
                let frames = recording.enabled.then(|| Frames::Recorded { recorded, args: Arc::clone(&args_constant.args), built: Default::default() });
                (summary, Some(fills), frames)
            }
            BacktestMode::Upstream => {
                args_constant.check_upstream()?;
                (runtime::block_on(barter_backtest::backtest(Arc::clone(&args_constant.args), args_dynamic))?, None, None)
            }
        };
        Self::of(summary, fills, frames, &scope)
    }

    /// The result of a run that ended, unless its foreign code failed.
    fn of(summary: BacktestSummary, fills: Option<Vec<Trade>>, frames: Option<Frames>, scope: &Scope) -> Result<Arc<Self>> {
        match scope.failure().error() {
            Some(error) => Err(error),
            None => Ok(Arc::new(Self { summary, fills, frames, refused: scope.refused() })),
        }
    }
}

/// What `run_backtests` gives: one `BacktestResult` per `BacktestArgsDynamic`, in input order,
/// unless its strategy or risk manager raised; the wall-clock `duration()` of the batch.
#[derive(Debug, uniffi::Object)]
pub struct BacktestResults {
    results: Vec<(SmolStr, Result<Arc<BacktestResult>>)>,
    duration: Duration,
}

/// One backtest of a batch, as `BacktestResults.outcomes()` gives it: its `id` and its `result`,
/// or the `error` that stopped it.
#[derive(Debug, Clone, uniffi::Record)]
pub struct BacktestOutcome {
    pub id: String,
    pub result: Option<Arc<BacktestResult>>,
    pub error: Option<BarterError>,
}

/// A backtest of a batch that stopped with an `error` (a `BarterError`'s message): its `index`
/// in the batch (ids need not be unique) and `id`. `BacktestResults.result(index)` raises it.
#[derive(Debug, Clone, PartialEq, Eq, uniffi::Record)]
pub struct BacktestFailure {
    pub index: u64,
    pub id: String,
    pub error: String,
}

#[uniffi::export]
impl BacktestResults {
    /// Every backtest's result, in input order; raises the first one's error if any failed.
    pub fn results(&self) -> Result<Vec<Arc<BacktestResult>>> {
        self.results.iter().map(|(_, result)| result.clone()).collect()
    }

    /// The result of the backtest at `index` in the batch; raises its error if it failed.
    pub fn result(&self, index: u64) -> Result<Arc<BacktestResult>> {
        let (_, result) = self.results.get(index as usize).ok_or_else(|| BarterError::Index {
            reason: format!("index: {index} is not one of the batch's {} backtests", self.results.len()),
        })?;
        result.clone()
    }

    /// The results of the backtests that ran to their end, in input order.
    pub fn succeeded(&self) -> Vec<Arc<BacktestResult>> {
        self.results.iter().filter_map(|(_, result)| result.as_ref().ok().cloned()).collect()
    }

    /// The backtests that stopped with an error, in input order.
    pub fn failed(&self) -> Vec<BacktestFailure> {
        self.results
            .iter()
            .enumerate()
            .filter_map(|(index, (id, result))| {
                result.as_ref().err().map(|error| BacktestFailure { index: index as u64, id: id.to_string(), error: error.to_string() })
            })
            .collect()
    }

    /// How long the whole batch took (wall-clock time).
    pub fn duration(&self) -> Duration {
        self.duration
    }

    /// Every backtest's outcome, in input order: its result or its error.
    pub fn outcomes(&self) -> Vec<BacktestOutcome> {
        self.results
            .iter()
            .map(|(id, result)| BacktestOutcome { id: id.to_string(), result: result.as_ref().ok().cloned(), error: result.as_ref().err().cloned() })
            .collect()
    }

    /// A batch's results from its `outcomes()` and `duration()`: how results are rebuilt when
    /// unpickled. An outcome needs a result or an error, not both.
    #[uniffi::constructor]
    pub fn from_parts(outcomes: Vec<BacktestOutcome>, duration: Duration) -> Result<Arc<Self>> {
        let results = outcomes
            .into_iter()
            .enumerate()
            .map(|(index, BacktestOutcome { id, result, error })| match (result, error) {
                (Some(result), None) => Ok((SmolStr::from(id), Ok(result))),
                (None, Some(error)) => Ok((SmolStr::from(id), Err(error))),
                _ => Err(BarterError::InvalidInput { reason: format!("outcomes[{index}]: needs a result or an error, not both or neither") }),
            })
            .collect::<Result<_>>()?;
        Ok(Arc::new(Self { results, duration }))
    }

    /// barter's `MultiBacktestSummary` of the batch; raises the first error if any failed.
    pub fn summary(&self) -> Result<MultiBacktestSummary> {
        Ok(MultiBacktestSummary::new(self.duration, self.results()?.iter().map(|result| result.summary())))
    }
}

/// Run one backtest; blocks until the market data is exhausted, or a strategy or risk manager
/// of the foreign language raises (`BarterError.Callback`). `mode` (default
/// `BacktestMode.EVENT_TIME`) says how it keeps time; `BacktestMode.UPSTREAM` runs barter's own
/// `backtest()`. `recording` (default: on, equity on every change) says what an event-time
/// backtest records for its `frames()`.
#[uniffi::export(default(mode = None, recording = None))]
pub fn backtest(
    args_constant: &BacktestArgsConstant,
    args_dynamic: BacktestArgsDynamic,
    mode: Option<BacktestMode>,
    recording: Option<Recording>,
) -> Result<Arc<BacktestResult>> {
    let mode = mode.unwrap_or_default();
    let args_dynamic = args_dynamic.into_barter(mode, &args_constant.args)?;
    BacktestResult::run(args_constant, args_dynamic, mode, recording.unwrap_or_default())
}

/// Engines per core that one batch of barter's own `run_backtests` runs at once (`UPSTREAM`).
const UPSTREAM_ENGINES_PER_CORE: usize = 4;

/// Run many backtests, one per `BacktestArgsDynamic`; the results come in input order.
///
/// In `BacktestMode.EVENT_TIME` (the default) each backtest runs alone on one of as many threads
/// as the machine has cores, so at most that many engines are in memory at once, and each gives
/// what `backtest` alone gives; a batch with a strategy or risk manager of the foreign language
/// runs one backtest at a time (Python's code runs one call at a time anyway). `BacktestMode.UPSTREAM` runs barter's own `run_backtests()`
/// on the bindings' shared runtime, in batches of four backtests per core, so memory grows with
/// the machine's cores rather than with the number of backtests.
///
/// A backtest whose strategy or risk manager raises stops alone: the others run to their end,
/// and `results()` holds its error in its place (`BacktestResults.failed()` lists them).
/// `recording` is as for `backtest`: switch it off for sweeps that need only summaries.
/// Blocks until the batch ends: `prepare_backtests` gives a batch to run on a thread of the
/// caller's, to be waited for, followed and cancelled.
#[uniffi::export(default(mode = None, recording = None))]
pub fn run_backtests(
    args_constant: &BacktestArgsConstant,
    args_dynamic: Vec<BacktestArgsDynamic>,
    mode: Option<BacktestMode>,
    recording: Option<Recording>,
) -> Result<Arc<BacktestResults>> {
    let batch = Batch::new(args_constant, args_dynamic, mode)?;
    batch.run(args_constant, recording.unwrap_or_default(), &Progress::default()).map(Arc::new)
}

/// `run_backtests` as a batch to `run` on a thread of the caller's while another thread waits
/// for it (`wait`, which returns at its timeout so the caller can handle signals), follows it
/// (`done`) and cancels it (`cancel`: backtests stop at their next market event, those not
/// started never start).
#[uniffi::export(default(mode = None, recording = None))]
pub fn prepare_backtests(
    args_constant: Arc<BacktestArgsConstant>,
    args_dynamic: Vec<BacktestArgsDynamic>,
    mode: Option<BacktestMode>,
    recording: Option<Recording>,
) -> Result<Arc<BacktestBatch>> {
    let batch = Batch::new(&args_constant, args_dynamic, mode)?;
    let progress = Progress { total: batch.args.len() as u64, scopes: batch.scopes(), ..Progress::default() };
    Ok(Arc::new(BacktestBatch {
        progress,
        pending: Mutex::new(Some((batch, args_constant, recording.unwrap_or_default()))),
        outcome: Mutex::new(None),
        ended: Condvar::new(),
    }))
}

/// A batch of backtests (`prepare_backtests`), run by one thread and waited for by another.
#[derive(uniffi::Object)]
pub struct BacktestBatch {
    progress: Progress,
    /// Taken by `run`.
    pending: Mutex<Option<(Batch, Arc<BacktestArgsConstant>, Recording)>>,
    outcome: Mutex<Option<Result<Arc<BacktestResults>>>>,
    ended: Condvar,
}

#[uniffi::export]
impl BacktestBatch {
    /// Run the batch on the calling thread, blocking until it ends; its outcome goes to
    /// `results`. Run it on a thread the foreign language made (Python: a `threading.Thread`):
    /// a foreign strategy's calls from a thread the language knows cost half as much as from one
    /// it does not (Python makes a thread state for each). Raises `BarterError.InvalidInput` if
    /// the batch has been run already.
    pub fn run(&self) -> Result<()> {
        let pending = self.pending.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take();
        let Some((batch, args_constant, recording)) = pending else {
            return Err(BarterError::InvalidInput { reason: "run: the batch has been run already".into() });
        };
        // A panic becomes the batch's error: `wait` must see an outcome.
        let outcome = crate::error::barter_call("run_backtests", || batch.run(&args_constant, recording, &self.progress)).and_then(|outcome| outcome.map(Arc::new));
        *self.outcome.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(outcome);
        self.ended.notify_all();
        Ok(())
    }

    /// Wait until the batch has ended, at most `timeout` (`None`: as long as it takes); whether
    /// it has ended.
    pub fn wait(&self, timeout: Option<Duration>) -> bool {
        // Nothing panics while holding the lock.
        let outcome = self.outcome.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        let outcome = match timeout {
            Some(timeout) => self.ended.wait_timeout_while(outcome, timeout, |outcome| outcome.is_none()).map_or_else(|poisoned| poisoned.into_inner().0, |(outcome, _)| outcome),
            None => self.ended.wait_while(outcome, |outcome| outcome.is_none()).unwrap_or_else(|poisoned| poisoned.into_inner()),
        };
        outcome.is_some()
    }

    /// How many backtests have ended (run to their end, failed or cancelled).
    pub fn done(&self) -> u64 {
        self.progress.done.load(Ordering::Relaxed)
    }

    /// How many backtests the batch has.
    pub fn total(&self) -> u64 {
        self.progress.total
    }

    /// Stop the batch: backtests running stop at their next market event with
    /// `BarterError.Cancelled`, those not started never start. `wait` then returns soon.
    pub fn cancel(&self) {
        self.progress.cancel();
    }

    /// The batch's results once it has ended (as `run_backtests` returns them); raises
    /// `BarterError.InvalidInput` while it runs.
    pub fn results(&self) -> Result<Arc<BacktestResults>> {
        let outcome = self.outcome.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
        outcome.clone().unwrap_or_else(|| Err(BarterError::InvalidInput { reason: "results: the batch is still running: wait() for it".into() }))
    }
}

/// How far a batch is, and its cancellation.
#[derive(Default)]
struct Progress {
    total: u64,
    done: AtomicU64,
    cancelled: AtomicBool,
    /// Each backtest's scope: failing it stops the backtest at its next market event.
    scopes: Vec<Arc<Scope>>,
}

impl Progress {
    fn cancel(&self) {
        self.cancelled.store(true, Ordering::SeqCst);
        for scope in &self.scopes {
            scope.fail(cancelled());
        }
    }

    fn is_cancelled(&self) -> bool {
        self.cancelled.load(Ordering::SeqCst)
    }

    /// One backtest of the batch, unless the batch was cancelled before it started.
    fn run(&self, backtest: impl FnOnce() -> Result<Arc<BacktestResult>>) -> Result<Arc<BacktestResult>> {
        let result = if self.is_cancelled() { Err(cancelled()) } else { backtest() };
        self.done.fetch_add(1, Ordering::Relaxed);
        result
    }
}

fn cancelled() -> BarterError {
    BarterError::Cancelled { reason: "the batch of backtests was cancelled".into() }
}

/// A batch's arguments, checked and made barter's.
struct Batch {
    args: Vec<BarterArgsDynamic>,
    mode: BacktestMode,
}

impl Batch {
    fn new(args_constant: &BacktestArgsConstant, args_dynamic: Vec<BacktestArgsDynamic>, mode: Option<BacktestMode>) -> Result<Self> {
        let mode = mode.unwrap_or_default();
        if mode == BacktestMode::Upstream {
            args_constant.check_upstream()?;
        }
        let args = args_dynamic.into_iter().map(|args| args.into_barter(mode, &args_constant.args)).collect::<Result<Vec<_>>>()?;
        Ok(Self { args, mode })
    }

    fn scopes(&self) -> Vec<Arc<Scope>> {
        self.args.iter().map(|args| Arc::clone(args.strategy.scope())).collect()
    }

    fn run(self, args_constant: &BacktestArgsConstant, recording: Recording, progress: &Progress) -> Result<BacktestResults> {
        let Self { args: args_dynamic, mode } = self;
        let ids: Vec<SmolStr> = args_dynamic.iter().map(|args| args.id.clone()).collect();
        let time_start = std::time::Instant::now();
        let one = |args_dynamic| progress.run(|| BacktestResult::run(args_constant, args_dynamic, mode, recording));
        let results: Vec<Result<Arc<BacktestResult>>> = match mode {
            // Foreign code is called with the GIL (Python's) held: two threads handing it back and
            // forth run slower than one (8 Python SMA backtests: 4.0 s on 2 threads, 1.25 s on one).
            BacktestMode::EventTime if args_dynamic.iter().any(|args| args.strategy.is_foreign() || args.risk.is_foreign()) => {
                args_dynamic.into_iter().map(one).collect()
            }
            BacktestMode::EventTime => runtime::pool().install(|| args_dynamic.into_par_iter().map(one).collect()),
            BacktestMode::Upstream => {
                // barter's run_backtests holds every engine of its batch at once: batches of a few
                // per core bound memory by the parallelism, not by the number of backtests.
                let batch = std::thread::available_parallelism().map_or(1, usize::from) * UPSTREAM_ENGINES_PER_CORE;
                let mut results = Vec::with_capacity(args_dynamic.len());
                let mut args_dynamic = args_dynamic.into_iter().peekable();
                while args_dynamic.peek().is_some() {
                    let args_batch: Vec<_> = args_dynamic.by_ref().take(batch).collect();
                    if progress.is_cancelled() {
                        results.extend(args_batch.iter().map(|_| progress.run(|| Err(cancelled()))));
                        continue;
                    }
                    let scopes: Vec<_> = args_batch.iter().map(|args| Arc::clone(args.strategy.scope())).collect();
                    let summaries = runtime::block_on(barter_backtest::run_backtests(Arc::clone(&args_constant.args), args_batch))?.summaries;
                    results.extend(summaries.into_iter().zip(scopes).map(|(summary, scope)| progress.run(|| BacktestResult::of(summary, None, None, &scope))));
                }
                results
            }
        };
        Ok(BacktestResults { results: ids.into_iter().zip(results).collect(), duration: time_start.elapsed() })
    }
}
