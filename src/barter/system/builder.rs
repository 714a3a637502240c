//! Bindings for `barter::system::builder`: barter's `SystemBuilder` builds a system from
//! `SystemArgs`, in two steps as in barter: `build()` constructs the engine and the executions,
//! `init()` starts their tasks.

use crate::{
    barter::{
        backtest::{BacktestMode, Recording, record::Recorder},
        engine::{BindingsEngine, EngineEvent, clock::EngineClock, keys::EngineKeys, supervised::Supervised},
        risk::manager::{BindingsRisk, RiskManager},
        strategy::{BindingsStrategy, ForeignStrategy, GlobalData, InstrumentMarketData, Strategy, context::{OrderIds, Scope}},
        system::{DEFAULT_AUDIT_CAPACITY, System, config::ExecutionConfig},
    },
    data::{BoxMarketStream, MarketStream},
    error::{BarterError, Result, barter_call},
    instrument::{ExchangeAsset, IndexedInstruments},
    json::json_functions,
    runtime,
    sim::{
        event_time::{self, VenueClock},
        execution::MarketTap,
    },
};
use ::barter::{
    engine::state::{builder::EngineStateBuilder, trading::TradingState},
    system::builder::{AuditMode, EngineFeedMode},
};
use barter_execution::balance::Balance;
use barter_data::streams::consumer::MarketStreamEvent;
use futures::StreamExt;
use std::sync::{Arc, Mutex};

/// How a system's engine consumes its events: synchronously from an iterator on a blocking
/// thread (`Iterator`, barter's default) or asynchronously from a stream (`Stream`).
#[uniffi::remote(Enum)]
pub enum EngineFeedMode {
    Iterator,
    Stream,
}

/// Whether a system's engine sends the audit events it produces (`Enabled`) or not (`Disabled`,
/// barter's default).
#[uniffi::remote(Enum)]
pub enum AuditMode {
    Enabled,
    Disabled,
}

pub type KeyedBalance = barter_instrument::Keyed<ExchangeAsset, Balance>;

/// An initial balance of a system (barter's `Keyed<ExchangeAsset<AssetNameInternal>, Balance>`).
#[uniffi::remote(Record)]
pub struct KeyedBalance {
    pub key: ExchangeAsset,
    pub value: Balance,
}

/// What a system is built from (barter's `SystemArgs`): the `instruments` it tracks, the
/// `executions` it trades through, the engine's `clock` (`EngineClock.LIVE` for live and paper
/// trading), the strategy (a built-in `strategy` or a `foreign_strategy`; neither: barter's
/// `DefaultStrategy`), the `market_stream` feeding the engine (`None`: only the events sent
/// with `System.send`) and the `risk` manager (`None`: barter's `DefaultRiskManager`).
///
/// A strategy or risk manager of the foreign language that raises stops the system's trading:
/// the system disables it, keeps running (its state stays readable), and reports the error in
/// `System.failure()` and `Engine.failure()`.
#[derive(Clone, uniffi::Record)]
pub struct SystemArgs {
    pub instruments: Arc<IndexedInstruments>,
    pub executions: Vec<ExecutionConfig>,
    pub clock: EngineClock,
    #[uniffi(default)]
    pub strategy: Option<Strategy>,
    #[uniffi(default)]
    pub market_stream: Option<Arc<MarketStream>>,
    #[uniffi(default)]
    pub foreign_strategy: Option<ForeignStrategy>,
    #[uniffi(default)]
    pub risk: Option<Arc<dyn RiskManager>>,
}

impl std::fmt::Debug for SystemArgs {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SystemArgs").field("clock", &self.clock).field("strategy", &self.strategy).finish_non_exhaustive()
    }
}

/// barter's `SystemBuilder`: `SystemArgs` and the options of the system (each left at barter's
/// default unless set). Each option returns a new builder.
#[derive(Debug, Clone, uniffi::Object)]
pub struct SystemBuilder {
    args: SystemArgs,
    mode: Option<BacktestMode>,
    engine_feed_mode: Option<EngineFeedMode>,
    audit_mode: Option<AuditMode>,
    audit_capacity: Option<u64>,
    trading_state: Option<TradingState>,
    balances: Vec<KeyedBalance>,
    recording: Option<Recording>,
}

type BarterSystemBuild = ::barter::system::builder::SystemBuild<Supervised, EngineEvent, BoxMarketStream>;

#[uniffi::export]
impl SystemBuilder {
    #[uniffi::constructor]
    pub fn new(args: SystemArgs) -> Arc<Self> {
        Arc::new(Self {
            args,
            mode: None,
            engine_feed_mode: None,
            audit_mode: None,
            audit_capacity: None,
            trading_state: None,
            balances: Vec::new(),
            recording: None,
        })
    }

    /// How a system replaying in-memory data with a `HistoricalClock` keeps time. By default
    /// `BacktestMode.EVENT_TIME`, as a backtest: the data's time is the only clock (the mock's
    /// latency elapses in event time, the engine's clock, which the `HistoricalClock` then reads,
    /// adds no wall-clock time, order ids are numbered), and its tasks run on a thread of their
    /// own, whose clock moves only when they all wait; the engine then consumes a stream
    /// (`EngineFeedMode.ITERATOR` is refused: its blocking thread would stop that clock).
    /// `BacktestMode.UPSTREAM` builds it with barter's `SystemBuilder` as any other system.
    pub fn mode(&self, value: BacktestMode) -> Arc<Self> {
        Arc::new(Self { mode: Some(value), ..self.clone() })
    }

    /// What the system records for `System.frames()` (fills, orders, positions, equity), kept in
    /// memory until it shuts down. By default on for an event-time replay, as for a backtest, and
    /// off for live and paper systems, whose records would grow for as long as they run. A
    /// system that records is composed from barter's parts by the bindings, as a backtest is.
    pub fn recording(&self, value: Recording) -> Arc<Self> {
        Arc::new(Self { recording: Some(value), ..self.clone() })
    }

    /// How the engine consumes its events (barter's default: `EngineFeedMode.ITERATOR`).
    pub fn engine_feed_mode(&self, value: EngineFeedMode) -> Arc<Self> {
        Arc::new(Self { engine_feed_mode: Some(value), ..self.clone() })
    }

    /// Whether the engine sends its audits (barter's default: `AuditMode.DISABLED`).
    pub fn audit_mode(&self, value: AuditMode) -> Arc<Self> {
        Arc::new(Self { audit_mode: Some(value), ..self.clone() })
    }

    /// How many audit ticks the system keeps for its reader (`AuditStream`) when it has not read
    /// them yet; further ticks are dropped and counted (`AuditStream.dropped()`). By default a
    /// system replaying in-memory data keeps every tick (as many as its data has events, and
    /// the account events they cause), and any other system, whose events never end, keeps
    /// 8,192. barter's engine never waits for its audit's reader, so a bound is
    /// the only way to keep a live system's memory bounded.
    pub fn audit_capacity(&self, value: u64) -> Arc<Self> {
        Arc::new(Self { audit_capacity: Some(value), ..self.clone() })
    }

    /// Whether algorithmic trading starts enabled (barter's default: `TradingState.DISABLED`).
    pub fn trading_state(&self, value: TradingState) -> Arc<Self> {
        Arc::new(Self { trading_state: Some(value), ..self.clone() })
    }

    /// Initial balances of the engine's state, added to those already given (barter keeps the
    /// last balance of each exchange asset).
    pub fn balances(&self, balances: Vec<KeyedBalance>) -> Arc<Self> {
        let mut builder = self.clone();
        builder.balances.extend(balances);
        Arc::new(builder)
    }

    /// barter's `build`: construct the engine, its state and the executions, without starting
    /// any task. Takes the market stream: a `MarketStream` feeds one system.
    pub fn build(&self) -> Result<Arc<SystemBuild>> {
        let SystemArgs { instruments, executions, clock, strategy, market_stream, foreign_strategy, risk } = self.args.clone();
        // barter's state builder panics on a balance of an asset the instruments lack.
        for balance in &self.balances {
            instruments.0.find_asset_index(balance.key.exchange, &balance.key.asset)?;
        }
        let replay = match (&clock, market_stream.as_ref().and_then(|stream| stream.time_first_event())) {
            (EngineClock::Historical(clock), Some(time_first_event)) => Some((clock, time_first_event)),
            _ => None,
        };
        let event_time = match (self.mode, replay) {
            (Some(BacktestMode::Upstream), _) => None,
            (_, Some(replay)) => Some(replay),
            (None, None) => None,
            (Some(BacktestMode::EventTime), None) => {
                return Err(BarterError::InvalidInput {
                    reason: "SystemBuilder.mode(EVENT_TIME): needs EngineClock.HISTORICAL and in-memory market data (MarketDataInMemory.stream())".into(),
                });
            }
        };
        // Refused before the stream is taken, so the arguments can be built again.
        if event_time.is_some() && self.engine_feed_mode == Some(EngineFeedMode::Iterator) {
            return Err(BarterError::InvalidInput {
                reason: "SystemBuilder: EngineFeedMode.ITERATOR cannot run in event time (its blocking thread stops the paused clock): use STREAM, or mode(UPSTREAM)".into(),
            });
        }
        // Live systems keep barter's random order ids (unique across runs).
        let order_ids = if event_time.is_some() { OrderIds::sequence() } else { OrderIds::Random };
        let strategy = BindingsStrategy::new(strategy, foreign_strategy, order_ids)?.starting(self.trading_state.unwrap_or_default());
        strategy.check_instruments(instruments.0.instruments().len())?;
        let risk = BindingsRisk::new(risk, strategy.scope(), false);
        strategy.scope().set_clock(clock.clone());
        let keys = EngineKeys::new(Arc::clone(&instruments), execution_exchanges(&instruments, &executions)?);
        let audit_capacity = match (self.audit_capacity, market_stream.as_ref().is_some_and(|stream| stream.is_in_memory())) {
            (Some(0), _) => return Err(BarterError::InvalidInput { reason: "audit_capacity: must be at least 1".into() }),
            (Some(capacity), _) => Some(usize::try_from(capacity).unwrap_or(usize::MAX)),
            (None, true) => None,
            (None, false) => Some(DEFAULT_AUDIT_CAPACITY as usize),
        };
        let market_stream = match market_stream {
            Some(stream) => stream.take_for(&instruments.0)?,
            None => Box::pin(futures::stream::empty()),
        };
        let recording = self.recording.unwrap_or(Recording { enabled: event_time.is_some(), equity_interval: None });
        let Some((historical, time_first_event)) = event_time else {
            return self.build_upstream(keys, audit_capacity, executions, clock, strategy, risk, market_stream, recording);
        };

        historical.to_event_time(time_first_event);
        let venue = VenueClock::new(time_first_event);
        let market_stream = event_time::paced(market_stream, venue.clone()).boxed();
        let composed = self.compose(&instruments, executions, clock, venue, EngineFeedMode::Stream, market_stream, strategy, risk, recording)?;
        Ok(SystemBuild::new(composed, keys, audit_capacity, true))
    }
}

impl SystemBuilder {
    /// barter's `SystemBuilder::build`, as for live and paper trading.
    #[allow(clippy::too_many_arguments)]
    fn build_upstream(
        &self,
        keys: EngineKeys,
        audit_capacity: Option<usize>,
        executions: Vec<ExecutionConfig>,
        clock: EngineClock,
        strategy: BindingsStrategy,
        risk: BindingsRisk,
        market_stream: BoxMarketStream,
        recording: Recording,
    ) -> Result<Arc<SystemBuild>> {
        if recording.enabled || executions.iter().any(|execution| matches!(execution, ExecutionConfig::Simulated(_))) {
            // barter's builder knows only its mock and records nothing: composed as it composes them.
            let instruments = Arc::clone(keys.instruments());
            let venue = clock.clone();
            let feed_mode = self.engine_feed_mode.clone().unwrap_or_default();
            let composed = self.compose(&instruments, executions, clock, venue, feed_mode, market_stream, strategy, risk, recording)?;
            return Ok(SystemBuild::new(composed, keys, audit_capacity, false));
        }
        let executions = ExecutionConfig::to_barter(&executions, "barter's SystemBuilder")?;
        let args = ::barter::system::builder::SystemArgs::new(
            &keys.instruments().0,
            executions,
            clock,
            strategy,
            risk,
            market_stream,
            GlobalData::default(),
            |_| InstrumentMarketData::default(),
        );
        let mut builder = ::barter::system::builder::SystemBuilder::new(args).balances(self.balances.clone());
        if let Some(mode) = self.engine_feed_mode.clone() {
            builder = builder.engine_feed_mode(mode);
        }
        if let Some(mode) = self.audit_mode.clone() {
            builder = builder.audit_mode(mode);
        }
        if let Some(state) = self.trading_state {
            builder = builder.trading_state(state);
        }
        let build = barter_call("SystemBuilder.build", || builder.build())??;
        let composed = Composed { build: supervised(build), tap: MarketTap::default(), recorder: None };
        Ok(SystemBuild::new(composed, keys, audit_capacity, false))
    }

    /// barter's `SystemBuilder::build`, composed from the same parts with the executions on the
    /// `venue` clock (barter passes the engine's) and the bindings' simulated venues among them,
    /// shown the market as it streams to the engine, and a recorder if `recording` asks for one.
    #[allow(clippy::too_many_arguments)]
    fn compose<Venue: ::barter::engine::clock::EngineClock + Clone + Send + Sync + 'static>(
        &self,
        instruments: &IndexedInstruments,
        executions: Vec<ExecutionConfig>,
        clock: EngineClock,
        venue: Venue,
        feed_mode: EngineFeedMode,
        market_stream: BoxMarketStream,
        strategy: BindingsStrategy,
        risk: BindingsRisk,
        recording: Recording,
    ) -> Result<Composed> {
        barter_call("SystemBuilder.build", || -> Result<Composed> {
            let (mut execution, tap) = event_time::executions(&instruments.0, executions, &venue)?;
            let state = EngineStateBuilder::new(&instruments.0, GlobalData::default(), |_| InstrumentMarketData::default())
                .time_engine_start(::barter::engine::clock::EngineClock::time(&clock))
                .trading_state(self.trading_state.unwrap_or_default())
                .balances(self.balances.clone())
                .build();
            let recorder = recording.enabled.then(|| Arc::new(Recorder::new(recording, &instruments.0, &state.assets)));
            let mut account_channel = execution.account_channel;
            if let Some(recorder) = &recorder {
                strategy.scope().set_recorder(Arc::clone(recorder));
                let (recorded, forward) = event_time::recorded(account_channel, Arc::clone(recorder), Arc::clone(strategy.scope()));
                execution.futures.mock_exchange_run_futures.push(forward);
                account_channel = recorded;
            }
            let engine = ::barter::engine::Engine::new(clock, state, execution.execution_tx_map, strategy, risk);
            let (observed, marks) = (tap.clone(), recorder.clone());
            let market_stream = market_stream.inspect(move |event| {
                observed.observe(event);
                if let (Some(recorder), MarketStreamEvent::Item(market)) = (&marks, event) {
                    recorder.market(market);
                }
            });
            let build = ::barter::system::builder::SystemBuild::new(
                Supervised::new(engine),
                feed_mode,
                self.audit_mode.clone().unwrap_or_default(),
                market_stream.boxed(),
                account_channel,
                execution.futures,
            );
            Ok(Composed { build, tap, recorder })
        })?
    }
}

/// A system's parts, built: barter's build, the simulated venues' view of the market, and the
/// recorder, if it records.
struct Composed {
    build: BarterSystemBuild,
    tap: MarketTap,
    recorder: Option<Arc<Recorder>>,
}

/// barter's build with its engine supervised.
fn supervised(build: ::barter::system::builder::SystemBuild<BindingsEngine, EngineEvent, BoxMarketStream>) -> BarterSystemBuild {
    let ::barter::system::builder::SystemBuild { engine, engine_feed_mode, audit_mode, market_stream, account_channel, execution_build_futures, .. } =
        build;
    ::barter::system::builder::SystemBuild::new(Supervised::new(engine), engine_feed_mode, audit_mode, market_stream, account_channel, execution_build_futures)
}

/// The exchanges the system has an execution for: the engine can send requests only to them.
fn execution_exchanges(instruments: &IndexedInstruments, executions: &[ExecutionConfig]) -> Result<Vec<barter_instrument::exchange::ExchangeIndex>> {
    executions
        .iter()
        .map(|execution| Ok(instruments.0.find_exchange_index(execution.exchange())?))
        .collect()
}

/// barter's `SystemBuild`: a system constructed and ready to start with `init()`.
#[derive(uniffi::Object)]
pub struct SystemBuild {
    build: Mutex<Option<BarterSystemBuild>>,
    keys: EngineKeys,
    /// The audit ticks its system keeps for the reader (`None`: all).
    audit_capacity: Option<usize>,
    /// Started on a paused runtime of its own (`SystemBuilder.mode`).
    event_time: bool,
    /// The strategy's, for the system to stop trading when its foreign code fails.
    scope: Arc<Scope>,
    /// Shows the simulated venues the market events sent to the system.
    tap: MarketTap,
    recorder: Option<Arc<Recorder>>,
}

impl SystemBuild {
    fn new(composed: Composed, keys: EngineKeys, audit_capacity: Option<usize>, event_time: bool) -> Arc<Self> {
        let Composed { build, tap, recorder } = composed;
        let scope = Arc::clone(build.engine.engine.strategy.scope());
        Arc::new(Self { build: Mutex::new(Some(build)), keys, audit_capacity, event_time, scope, tap, recorder })
    }
}

#[uniffi::export]
impl SystemBuild {
    /// barter's `init`: start the executions, the market stream and the engine on the bindings'
    /// runtime, and return the running `System`. A build starts once.
    pub fn init(&self) -> Result<Arc<System>> {
        let build = self
            .build
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
            .ok_or_else(|| BarterError::InvalidInput { reason: "this SystemBuild has already started a system".into() })?;
        if !self.event_time {
            let failure = build.engine.failure();
            let system = runtime::block_on(build.init())?;
            return Ok(System::new(system, self.keys.clone(), self.audit_capacity, &self.scope, failure, None, self.tap.clone(), self.recorder.clone()));
        }
        // Started from a task of the paused runtime: barter's init spawns the market stream's
        // forwarder before the engine, and the paused clock must not move between the two.
        let failure = build.engine.failure();
        let paused = runtime::PausedRuntime::start()?;
        let system = runtime::block_on(paused.handle().spawn(build.init()))
            .map_err(|error| BarterError::Barter { reason: format!("SystemBuild.init: {error}") })??;
        Ok(System::new(system, self.keys.clone(), self.audit_capacity, &self.scope, failure, Some(paused), self.tap.clone(), self.recorder.clone()))
    }
}

json_functions!(EngineFeedMode, AuditMode, KeyedBalance);
