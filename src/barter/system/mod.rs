//! Bindings for `barter::system`: a whole trading system (its engine, execution and market data
//! tasks) built from a configuration, run on the bindings' runtime and driven from Python:
//! commands, trading state, its audit stream, and shutdown with the engine's final state.

pub mod builder;
pub mod config;

use crate::{
    barter::{
        backtest::{ResultFrames, record::Recorder},
        audit::{AuditTickEngineAudit, AuditTickEngineState, EngineAudit},
        engine::{Engine, EngineEvent, InstrumentFilter, OneOrManyOrderRequestCancel, OneOrManyOrderRequestOpen, keys::EngineKeys, supervised::Supervised},
        strategy::context::Scope,
    },
    error::{BarterError, Result, barter_call},
    runtime,
    sim::execution::MarketTap,
};
use ::barter::{engine::state::trading::TradingState, shutdown::AsyncShutdown};
use barter_integration::channel::{Tx, UnboundedRx};
use futures::{StreamExt, stream::BoxStream};
use std::sync::{
    Arc, Mutex, MutexGuard, OnceLock,
    atomic::{AtomicU64, Ordering},
};
use tokio::{sync::mpsc::error::TrySendError, task::JoinError};

type BarterSystem = ::barter::system::System<Supervised, EngineEvent>;

/// The audit ticks a system whose events never end (a live stream, or events sent from the
/// foreign language) keeps for its reader by default (`SystemBuilder.audit_capacity`).
pub const DEFAULT_AUDIT_CAPACITY: u64 = 8192;

/// A running barter `System`: its engine and the tasks of its executions and market stream, on
/// the bindings' runtime. Built by `SystemBuilder(...).build().init()`.
///
/// Commands and trading state updates go to the engine as barter's `System` sends them; `send`
/// feeds any `EngineEvent` (market events from a source of your own, for paper trading).
/// `shutdown()` stops it and returns the engine. A system dropped while running is aborted.
#[derive(uniffi::Object)]
pub struct System {
    system: Mutex<Option<BarterSystem>>,
    /// What it trades: everything sent to its engine is checked against these first.
    keys: EngineKeys,
    /// Its tasks run on this process's runtimes only.
    owner: runtime::Owner,
    /// barter's audit, taken when the system starts and drained within its capacity, until
    /// `take_audit` hands it out.
    audit: Mutex<Option<SnapUpdates>>,
    /// Where an event-time system's tasks run, until it has stopped.
    paused: Mutex<Option<runtime::PausedRuntime>>,
    /// The strategy's: its failure, if its foreign code raised.
    scope: Arc<Scope>,
    /// barter's panic message, if its engine panicked (the engine then stopped).
    engine_failure: Arc<OnceLock<String>>,
    /// The engine that panicked, as the panic left it, once the system has stopped.
    failed_engine: Mutex<Option<Arc<Engine>>>,
    /// Shows its simulated venues the market events sent with `send`.
    tap: MarketTap,
    /// What it records, if it records (`SystemBuilder.recording`).
    recorder: Option<Arc<Recorder>>,
    /// Its frames, made once it has stopped.
    frames: OnceLock<Result<Option<ResultFrames>>>,
}

impl std::fmt::Debug for System {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("System").field("running", &self.lock().is_some()).finish_non_exhaustive()
    }
}

/// What a system's shutdown returns (barter's `(Engine, Engine::Audit)`): the stopped `engine`
/// and the `audit` of its last event. In Python it also unpacks: `engine, audit = system.shutdown()`.
#[derive(uniffi::Record)]
pub struct SystemShutdown {
    pub engine: Arc<Engine>,
    pub audit: EngineAudit,
}

/// barter's `SnapUpdates` of a system's audit: a `snapshot` of the engine's state when it
/// started, and the stream of `updates` that follow it, one `AuditTickEngineAudit` per event
/// the engine processes.
#[derive(uniffi::Record)]
pub struct SnapUpdates {
    pub snapshot: AuditTickEngineState,
    pub updates: Arc<AuditStream>,
}

/// A system engine's audit stream: `poll(timeout)` waits for the next `AuditTickEngineAudit`.
/// In Python, `next(timeout)` waits too, in slices Ctrl-C can interrupt, and the stream is an
/// iterator ending when the engine stops.
///
/// The system keeps the ticks its reader has not read yet, up to its audit capacity
/// (`SystemBuilder.audit_capacity`); ticks beyond it are dropped, never silently: `dropped()`
/// counts them, and their sequence numbers are missing from the stream.
#[derive(Debug, uniffi::Object)]
pub struct AuditStream {
    receiver: runtime::Receiver<AuditTickEngineAudit>,
    dropped: Arc<AtomicU64>,
}

#[uniffi::export]
impl AuditStream {
    /// The next audit, waiting at most `timeout` seconds (`None`: without limit). `None` if none
    /// came in time, or if the stream has ended (then `ended()` is true).
    pub fn poll(&self, timeout: Option<f64>) -> Result<Option<AuditTickEngineAudit>> {
        self.receiver.next(timeout)
    }

    /// Whether the stream has ended: no further audit will come.
    pub fn ended(&self) -> bool {
        self.receiver.ended()
    }

    /// How many audit ticks were dropped because the reader had left the system's audit capacity
    /// of them unread.
    pub fn dropped(&self) -> u64 {
        self.dropped.load(Ordering::Relaxed)
    }
}

impl AuditStream {
    /// barter's audit `updates`, all of them (`capacity` `None`), or at most `capacity` unread.
    fn new(updates: UnboundedRx<AuditTickEngineAudit>, capacity: Option<usize>) -> Self {
        let dropped = Arc::new(AtomicU64::new(0));
        let stream = match capacity {
            None => updates.into_stream().boxed(),
            Some(capacity) => bounded(updates, capacity, Arc::clone(&dropped)),
        };
        Self { receiver: runtime::Receiver::new(stream), dropped }
    }
}

/// Drain barter's unbounded audit channel as the engine fills it (barter's engine never waits for
/// its reader), keeping at most `capacity` ticks unread; later ticks are dropped and counted.
fn bounded(updates: UnboundedRx<AuditTickEngineAudit>, capacity: usize, dropped: Arc<AtomicU64>) -> BoxStream<'static, AuditTickEngineAudit> {
    // tokio's bound on a channel's capacity.
    let (tx, rx) = tokio::sync::mpsc::channel(capacity.min(tokio::sync::Semaphore::MAX_PERMITS));
    runtime::spawn(async move {
        let mut updates = updates.into_stream();
        while let Some(tick) = updates.next().await {
            // Closed: the reader is gone; draining goes on so barter's channel stays empty.
            if let Err(TrySendError::Full(_)) = tx.try_send(tick) {
                dropped.fetch_add(1, Ordering::Relaxed);
            }
        }
    });
    futures::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|tick| (tick, rx)) }).boxed()
}

#[uniffi::export]
impl System {
    /// barter's `send_open_requests`: the engine sends these order requests to their executions.
    /// A request for an instrument the system does not have, on another exchange than its
    /// instrument's, or for an exchange without an execution raises `BarterError.Index`; a
    /// quantity that is not positive, `BarterError.InvalidInput`.
    pub fn send_open_requests(&self, requests: OneOrManyOrderRequestOpen) -> Result<()> {
        self.usable()?.opens(&requests, "requests")?;
        self.running("send_open_requests", |system| system.send_open_requests(requests))
    }

    /// barter's `send_cancel_requests`: the engine sends these cancel requests to their
    /// executions; keys are checked as `send_open_requests` checks them.
    pub fn send_cancel_requests(&self, requests: OneOrManyOrderRequestCancel) -> Result<()> {
        self.usable()?.cancels(&requests, "requests")?;
        self.running("send_cancel_requests", |system| system.send_cancel_requests(requests))
    }

    /// barter's `close_positions`: the engine closes the open positions `filter` selects. A
    /// filter naming an exchange, instrument or asset the system does not have raises
    /// `BarterError.Index` (barter would select nothing).
    pub fn close_positions(&self, filter: InstrumentFilter) -> Result<()> {
        self.usable()?.filter(&filter, "filter")?;
        self.running("close_positions", |system| system.close_positions(filter))
    }

    /// barter's `cancel_orders`: the engine cancels the open orders `filter` selects; the filter
    /// is checked as `close_positions` checks it.
    pub fn cancel_orders(&self, filter: InstrumentFilter) -> Result<()> {
        self.usable()?.filter(&filter, "filter")?;
        self.running("cancel_orders", |system| system.cancel_orders(filter))
    }

    /// barter's `trading_state`: enable or disable the engine's algorithmic trading.
    pub fn trading_state(&self, trading_state: TradingState) -> Result<()> {
        self.running("trading_state", |system| system.trading_state(trading_state))
    }

    /// Send an event to the engine's feed (barter's `System::feed_tx`), as the market and
    /// account streams do. An event naming an exchange, asset or instrument the system does not
    /// have (a market or account event, a command) raises `BarterError.Index` naming the field:
    /// barter's engine would panic on it and lose its state.
    pub fn send(&self, event: EngineEvent) -> Result<()> {
        self.usable()?.event(&event)?;
        if let EngineEvent::Market(market) = &event {
            self.tap.observe(market);
        }
        self.running("send", |system| system.feed_tx.send(event).map_err(|error| error.to_string()))?
            .map_err(|reason| BarterError::Engine { reason })
    }

    /// barter's `take_audit`: the audit snapshot and its updates, once (`None` afterwards, or if
    /// the system was built with `AuditMode.DISABLED`). The system takes barter's audit when it
    /// starts and keeps it until then, within its audit capacity.
    pub fn take_audit(&self) -> Option<SnapUpdates> {
        if !self.owner.is_current() {
            return None;
        }
        self.audit.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take()
    }

    /// The error that stopped the strategy or risk manager of the foreign language, if one raised
    /// (a `BarterError.Callback`'s reason): the system then disabled trading.
    pub fn failure(&self) -> Option<String> {
        self.scope.failure().error().map(|error| error.to_string())
    }

    /// If barter's engine panicked: the engine, with its state as the panic left it, once the
    /// system has stopped (`shutdown()` then raises the panic as `BarterError.Engine`, as every
    /// call after it does).
    pub fn failed_engine(&self) -> Option<Arc<Engine>> {
        self.failed_engine.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).clone()
    }

    /// Whether the system is still running: not shut down, and its engine has not stopped.
    pub fn is_running(&self) -> bool {
        self.owner.is_current() && self.lock().as_ref().is_some_and(|system| !system.engine.is_finished())
    }

    /// barter's `shutdown`: stop the engine, then shut the execution tasks down gracefully.
    pub fn shutdown(&self) -> Result<SystemShutdown> {
        self.stop(|system| system.shutdown())
    }

    /// barter's `abort`: stop the engine, then abort the execution tasks.
    pub fn abort(&self) -> Result<SystemShutdown> {
        self.stop(|system| system.abort())
    }

    /// barter's `shutdown_after_backtest`: wait until the market stream has ended and the engine
    /// has processed it, then shut down. A live market stream never ends: use `shutdown()`.
    pub fn shutdown_after_backtest(&self) -> Result<SystemShutdown> {
        self.stop(|system| system.shutdown_after_backtest())
    }

    /// What the system recorded (fills, orders, positions exited, equity curve) as Arrow
    /// tables, once it has shut down; `None` if it did not record (`SystemBuilder.recording`).
    pub fn frames(&self) -> Result<Option<ResultFrames>> {
        self.owner.check("this System")?;
        if self.lock().is_some() {
            return Err(BarterError::InvalidInput { reason: "frames: the system is running: shut it down first".into() });
        }
        let instruments = &self.keys.instruments().0;
        self.frames
            .get_or_init(|| {
                let recorded = self.recorder.as_ref().map(|recorder| recorder.finish(instruments.instruments().len()));
                recorded.map(|(fills, recorded)| ResultFrames::new(&fills, &recorded, instruments)).transpose()
            })
            .clone()
    }
}

impl System {
    /// barter's running `system`; its trading is disabled when the strategy's foreign code fails.
    pub(crate) fn new(
        mut system: BarterSystem,
        keys: EngineKeys,
        audit_capacity: Option<usize>,
        scope: &Arc<Scope>,
        engine_failure: Arc<OnceLock<String>>,
        paused: Option<runtime::PausedRuntime>,
        tap: MarketTap,
        recorder: Option<Arc<Recorder>>,
    ) -> Arc<Self> {
        let audit = system.take_audit().map(|audit| SnapUpdates {
            snapshot: audit.snapshot.into(),
            updates: Arc::new(AuditStream::new(audit.updates, audit_capacity)),
        });
        let feed_tx = system.feed_tx.clone();
        scope.failure().on_failure(move || {
            // The engine may have stopped already: nothing then to disable.
            let _ = feed_tx.send(EngineEvent::TradingStateUpdate(TradingState::Disabled));
        });
        Arc::new(Self {
            system: Mutex::new(Some(system)),
            keys,
            owner: runtime::Owner::this_process(),
            audit: Mutex::new(audit),
            paused: Mutex::new(paused),
            scope: Arc::clone(scope),
            engine_failure,
            failed_engine: Mutex::new(None),
            tap,
            recorder,
            frames: OnceLock::new(),
        })
    }

    fn take_paused(&self) -> Option<runtime::PausedRuntime> {
        self.paused.lock().unwrap_or_else(|poisoned| poisoned.into_inner()).take()
    }

    fn lock(&self) -> MutexGuard<'_, Option<BarterSystem>> {
        // No call panics while holding the lock (barter's sends run inside barter_call).
        self.system.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Fail with barter's panic, once its engine has panicked: the one error of every later call.
    fn check_engine(&self) -> Result<()> {
        match self.engine_failure.get() {
            Some(failure) => Err(BarterError::Engine { reason: failure.clone() }),
            None => Ok(()),
        }
    }

    /// The keys to check a call's input against, unless the system cannot take any call (made in
    /// another process, or its engine panicked: that error comes first, whatever the input).
    fn usable(&self) -> Result<&EngineKeys> {
        self.owner.check("this System")?;
        self.check_engine()?;
        Ok(&self.keys)
    }

    /// Call barter's `operation` on the running system.
    fn running<T>(&self, operation: &str, call: impl FnOnce(&BarterSystem) -> T) -> Result<T> {
        self.usable()?;
        let guard = self.lock();
        let system = guard.as_ref().ok_or_else(|| BarterError::InvalidInput { reason: format!("{operation}: the system has shut down") })?;
        if system.engine.is_finished() {
            return Err(BarterError::Engine { reason: format!("{operation}: the engine has stopped; shutdown() returns its last audit") });
        }
        // barter's System panics if the engine stopped since: that becomes an exception.
        barter_call(operation, || call(system))
    }

    /// Take the system out and run barter's `stop` on it to completion.
    fn stop<F>(&self, stop: impl FnOnce(BarterSystem) -> F) -> Result<SystemShutdown>
    where
        F: Future<Output = Result<(Supervised, EngineAudit), JoinError>>,
    {
        // From a task of a runtime (a strategy's callback), blocking on the stop would panic
        // with the system already taken out: refused first, so it keeps running.
        if tokio::runtime::Handle::try_current().is_ok() {
            return Err(BarterError::InvalidInput {
                reason: "the system cannot be stopped from inside its engine (a strategy's callback): stop it after the callback returns".into(),
            });
        }
        self.owner.check("this System")?;
        let Some(system) = self.lock().take() else {
            self.check_engine()?;
            return Err(BarterError::InvalidInput { reason: "the system has already shut down".into() });
        };
        let stopped = if system.engine.is_finished() {
            // barter's stops first send the engine a Shutdown, which panics when it has already
            // stopped (an unrecoverable error): collect it, then stop the other tasks.
            runtime::block_on(async {
                let BarterSystem { engine, mut handles, .. } = system;
                let stopped = engine.await;
                handles.shutdown().await?;
                stopped
            })
        } else {
            runtime::block_on(stop(system))
        };
        drop(self.take_paused());
        let (engine, audit) = stopped.map_err(|error| BarterError::Engine { reason: format!("a system task failed: {error}") })?;
        let engine = Arc::new(Engine(engine.engine));
        if let Some(failure) = self.engine_failure.get() {
            *self.failed_engine.lock().unwrap_or_else(|poisoned| poisoned.into_inner()) = Some(engine);
            return Err(BarterError::Engine { reason: failure.clone() });
        }
        Ok(SystemShutdown { engine, audit })
    }
}

impl Drop for System {
    fn drop(&mut self) {
        if let Some(system) = self.system.get_mut().unwrap_or_else(|poisoned| poisoned.into_inner()).take() {
            if !self.owner.is_current() {
                // A forked child's copy: its tasks exist only in the parent. Leaked, since
                // dropping it would wait for them.
                std::mem::forget((system, self.take_paused()));
                return;
            }
            let paused = self.take_paused();
            runtime::spawn(async move {
                let _stopped = system.abort().await;
                drop(paused);
            });
        }
    }
}
