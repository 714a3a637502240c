//! Event time: backtests whose only clock is the market data's.
//!
//! barter's `backtest()` is not reproducible: its mock exchange answers after a real
//! `tokio::time::sleep(latency_ms)` while the in-memory market data is always ready, so how many
//! market events pass before a fill depends on the machine's load, and its `HistoricalClock` adds
//! wall-clock time to every engine time. Here, each backtest runs alone on a current-thread tokio
//! runtime whose clock is paused: tokio moves such a clock only when every task is waiting, and
//! then straight to the next timer. Then:
//! - [`paced`] releases each market event at its exchange time on that clock, so barter's mock
//!   exchange, untouched, sleeps its latency in event time: an order sent while the engine
//!   processes an event is answered after the market events of the latency that follows it;
//! - [`EventClock`], the engine's clock, reads the time of the data, never the wall clock;
//! - [`VenueClock`], the mock execution client's, reads tokio's clock as the data's time: a
//!   request reaches barter's mock at the instant its event was released.
//!
//! [`backtest`] composes barter's own parts (execution builder, mock exchange, engine, system
//! build) exactly as barter's `backtest()` does, with these in place of `HistoricalClock` and the
//! raw stream; an event-time `System` (`SystemBuilder`) composes the same [`executions`] and
//! [`paced`] stream, with its `HistoricalClock` reading the data's time.
//!
//! Resolution: tokio's timers tick in whole milliseconds, on a grid that starts at the first
//! event (`t0`, then `t0 + 1 ms`, ...), and an event is released at the first tick at or after
//! its time, `⌈t⌉`. An order sent while processing an event at time `t` reaches barter's mock at
//! `⌈t⌉`, which stamps its fill `⌈t⌉ + latency_ms / 2` (its client-to-exchange half), and its
//! answer reaches the engine at `⌈t⌉ + latency_ms`: after every market event up to that instant,
//! before every later one.

use crate::{
    barter::{
        backtest::{
            ArgsConstant, BacktestSummary, BarterArgsDynamic,
            record::{Recorded, Recorder, Recording},
        },
        engine::EventTimeEngine,
        strategy::context::Scope,
        system::config::ExecutionConfig,
    },
    error::{BarterError, Result},
    execution::trade::Trade,
    sim::execution::{self as simulated, MarketTap},
};
use ::barter::{
    EngineEvent,
    backtest::market_data::BacktestMarketData,
    engine::{Processor, clock::EngineClock},
    execution::{
        AccountStreamEvent,
        builder::{ExecutionBuild, ExecutionBuilder},
    },
    system::builder::{AuditMode, EngineFeedMode, SystemBuild},
};
use barter_data::streams::consumer::MarketStreamEvent;
use barter_instrument::{index::IndexedInstruments, instrument::InstrumentIndex};
use barter_integration::channel::{Channel, Tx};
use chrono::{DateTime, TimeDelta, Utc};
use futures::{Stream, StreamExt};
use std::sync::{Arc, Mutex, OnceLock};

/// The engine clock of an event-time backtest: the latest exchange time of the market events the
/// engine has processed, starting at the first one's.
///
/// barter's `HistoricalClock` without the wall-clock time it adds since that event, so every
/// time the engine writes is a function of the data. Clones share one time.
#[derive(Debug, Clone)]
pub struct EventClock(Arc<Mutex<DateTime<Utc>>>);

impl EventClock {
    pub fn new(time_first_event: DateTime<Utc>) -> Self {
        Self(Arc::new(Mutex::new(time_first_event)))
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, DateTime<Utc>> {
        // Nothing panics while holding it.
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl EngineClock for EventClock {
    fn time(&self) -> DateTime<Utc> {
        *self.lock()
    }
}

/// Move to a market event's exchange time, never back. Unlike barter's `HistoricalClock`, account
/// events do not move it: their times come from the simulated exchange's clock (which answers
/// an account snapshot requested before the first event at that event's time plus latency).
impl<Kind> Processor<&EngineEvent<Kind>> for EventClock {
    type Audit = ();

    fn process(&mut self, event: &EngineEvent<Kind>) {
        if let EngineEvent::Market(MarketStreamEvent::Item(market)) = event {
            let mut latest = self.lock();
            *latest = (*latest).max(market.time_exchange);
        }
    }
}

/// The time of the simulated exchange in an event-time backtest: tokio's (paused) clock, read as
/// the data's time. It starts when [`paced`] releases the first event (barter's executions first
/// fetch their account snapshots, which takes the mock's latency) and reads `time_first_event`
/// until then.
///
/// barter's mock execution client stamps each request with it, so a request reaches the mock at
/// the instant its event was released, whenever in that instant the execution task runs. Clones
/// share one start.
#[derive(Debug, Clone)]
pub struct VenueClock {
    time_first_event: DateTime<Utc>,
    start: Arc<OnceLock<tokio::time::Instant>>,
}

impl VenueClock {
    pub fn new(time_first_event: DateTime<Utc>) -> Self {
        Self { time_first_event, start: Arc::default() }
    }

    /// The instant on tokio's clock at which an event of `time` is due.
    fn due(&self, time: DateTime<Utc>) -> tokio::time::Instant {
        let start = *self.start.get_or_init(tokio::time::Instant::now);
        // Events older than the first are due at once.
        start + (time - self.time_first_event).to_std().unwrap_or_default()
    }
}

impl EngineClock for VenueClock {
    fn time(&self) -> DateTime<Utc> {
        let elapsed = self.start.get().map(|start| tokio::time::Instant::now().saturating_duration_since(*start));
        // A backtest's span fits in a TimeDelta (±292 million years): never saturates.
        self.time_first_event + elapsed.map_or(TimeDelta::zero(), |elapsed| TimeDelta::from_std(elapsed).unwrap_or(TimeDelta::MAX))
    }
}

/// barter's market stream with each market event released at its exchange time on the venue's
/// clock (reconnections at once).
pub fn paced<Kind>(
    stream: impl Stream<Item = MarketStreamEvent<InstrumentIndex, Kind>>,
    clock: VenueClock,
) -> impl Stream<Item = MarketStreamEvent<InstrumentIndex, Kind>> {
    stream.then(move |event| {
        let due = match &event {
            MarketStreamEvent::Item(market) => Some(clock.due(market.time_exchange)),
            MarketStreamEvent::Reconnecting(_) => None,
        };
        async move {
            // Only a later tick needs the runtime to go idle (every answer due by then delivered).
            if let Some(due) = due.filter(|due| *due > tokio::time::Instant::now()) {
                tokio::time::sleep_until(due).await;
            }
            event
        }
    })
}

/// Run one backtest in event time: barter's `backtest()`, composed from the same parts, with an
/// [`EventClock`] for the engine and a [`VenueClock`] for the mock where barter passes its
/// `HistoricalClock` to both, and the market stream [`paced`], alone on a current-thread runtime
/// with a paused clock. Blocks the calling thread until the data ends, or until the strategy's
/// run fails (its foreign code raised: the data ends there). Returns barter's summary and what
/// the run recorded (every fill the engine received, in order, and what `recording` asks for).
pub fn backtest(
    args_constant: &ArgsConstant,
    executions: &[ExecutionConfig],
    args_dynamic: BarterArgsDynamic,
    recording: Recording,
) -> Result<(BacktestSummary, Vec<Trade>, Recorded)> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_time()
        .start_paused(true)
        .build()
        .map_err(|error| BarterError::Barter { reason: format!("event-time runtime: {error}") })?;
    runtime.block_on(async {
        let time_first_event = args_constant.market_data.time_first_event().await?;
        let clock = EventClock::new(time_first_event);
        let venue_clock = VenueClock::new(time_first_event);
        let scope = Arc::clone(args_dynamic.strategy.scope());
        scope.set_clock(clock.clone());
        let recorder = Arc::new(Recorder::new(recording, &args_constant.instruments, &args_constant.engine_state.assets));
        scope.set_recorder(Arc::clone(&recorder));
        let running = Arc::clone(&scope);
        let marks = Arc::clone(&recorder);
        let (ExecutionBuild { execution_tx_map, account_channel, mut futures }, tap) =
            self::executions(&args_constant.instruments, executions.iter().cloned(), &venue_clock)?;
        let market_stream = paced(args_constant.market_data.stream().await?, venue_clock.clone())
            .inspect(move |event| {
                tap.observe(event);
                if let MarketStreamEvent::Item(market) = event {
                    marks.market(market);
                }
            })
            .take_while(move |_| std::future::ready(!running.failure().is_set()));

        let engine: EventTimeEngine = ::barter::engine::Engine::new(
            clock,
            args_constant.engine_state.clone(),
            execution_tx_map,
            args_dynamic.strategy,
            args_dynamic.risk,
        );
        let (account_channel, forward) = recorded(account_channel, Arc::clone(&recorder), scope);
        futures.mock_exchange_run_futures.push(forward);
        let system = SystemBuild::new(engine, EngineFeedMode::Stream, AuditMode::Disabled, market_stream, account_channel, futures)
            .init()
            .await?;
        let (engine, _shutdown_audit) = system
            .shutdown_after_backtest()
            .await
            .map_err(|error| BarterError::Barter { reason: format!("a backtest task failed: {error}") })?;

        let summary = BacktestSummary {
            id: args_dynamic.id,
            risk_free_return: args_dynamic.risk_free_return,
            trading_summary: engine
                .trading_summary_generator(args_dynamic.risk_free_return)
                .generate(args_constant.summary_interval),
        };
        let (fills, recorded) = recorder.finish(args_constant.instruments.instruments().len());
        Ok((summary, fills, recorded))
    })
}

/// barter's executions, built as barter's `backtest()` and `SystemBuilder` build them, on the
/// `venue` clock (in event time the [`VenueClock`], where barter passes the engine's), and the
/// bindings' simulated venues added as barter adds any exchange's client (`add_live`). The tap
/// shows the simulated venues the market: the market stream feeds it.
pub fn executions<Venue: EngineClock + Clone + Send + Sync + 'static>(
    instruments: &IndexedInstruments,
    configs: impl IntoIterator<Item = ExecutionConfig>,
    venue: &Venue,
) -> Result<(ExecutionBuild, MarketTap)> {
    let mut tap = MarketTap::default();
    let builder = configs.into_iter().try_fold(ExecutionBuilder::new(instruments), |builder, config| match config {
        ExecutionConfig::Mock(mock) => Ok(builder.add_mock(mock, venue.clone())?),
        ExecutionConfig::Simulated(simulated) => {
            let clock = venue.clone();
            simulated::add(builder, simulated, instruments, Arc::new(move || clock.time()), &mut tap)
        }
    })?;
    Ok((builder.build(), tap))
}

/// How many account events may reach the engine at one instant of event time. A strategy that
/// orders on each answer to its own orders, at latency 0, is answered at the same instant
/// forever: time never moves, and the backtest would never end.
const ACCOUNT_EVENTS_PER_INSTANT: u64 = 100_000;

/// barter's merged account channel, with every event shown to the run's [`Recorder`] on its way
/// to the engine: the channel the engine reads, and the task that forwards to it, to run beside
/// the executions (barter's `init` spawns it with them, on the system's runtime), so an event
/// still reaches the engine before tokio's clock moves on. It fails the run (`scope`) when the
/// account events of one instant exceed [`ACCOUNT_EVENTS_PER_INSTANT`].
pub fn recorded(
    channel: Channel<AccountStreamEvent>,
    recorder: Arc<Recorder>,
    scope: Arc<Scope>,
) -> (Channel<AccountStreamEvent>, std::pin::Pin<Box<dyn Future<Output = ()> + Send>>) {
    let Channel { tx: _, rx: mut from_executions } = channel;
    let to_engine = Channel::new();
    let tx = to_engine.tx.clone();
    let forward = async move {
        let (mut instant, mut at_instant) = (tokio::time::Instant::now(), 0);
        while let Some(event) = from_executions.rx.recv().await {
            let now = tokio::time::Instant::now();
            at_instant = if now == instant { at_instant + 1 } else { 1 };
            instant = now;
            if at_instant == ACCOUNT_EVENTS_PER_INSTANT {
                scope.fail(BarterError::InvalidInput {
                    reason: format!(
                        "event time: {ACCOUNT_EVENTS_PER_INSTANT} account events at one instant: the strategy orders on every answer to its orders and time cannot move (give the mock a latency, or order less often)"
                    ),
                });
            }
            if let AccountStreamEvent::Item(event) = &event {
                recorder.account(event);
            }
            if tx.send(event).is_err() {
                break;
            }
        }
    };
    (to_engine, Box::pin(forward))
}
