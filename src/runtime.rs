//! The one tokio runtime that drives barter's async engine for every call from a foreign language.
//!
//! Calls block the calling (foreign) thread on it; ctypes releases the GIL during such calls, so
//! Python threads run backtests in parallel on its worker threads.

use crate::error::{BarterError, Result};
use futures::{StreamExt, stream::BoxStream};
use std::{
    sync::{
        LazyLock,
        atomic::{AtomicBool, Ordering},
    },
    time::Duration,
};
use tokio::runtime::Runtime;

static RUNTIME: LazyLock<Runtime> = LazyLock::new(|| {
    tokio::runtime::Builder::new_multi_thread()
        .thread_name("barter-ffi")
        .enable_all()
        .build()
        .expect("the tokio runtime of the barter bindings failed to start")
});

/// Run a task (barter's mock exchange, ...) on the shared runtime, in the background.
pub(crate) fn spawn<F>(future: F) -> tokio::task::JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    RUNTIME.spawn(future)
}

/// Run a future to completion on the shared runtime, blocking the current thread.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    RUNTIME.block_on(future)
}

/// A current-thread tokio runtime with a paused clock, on a thread of its own until dropped: where
/// an event-time system's tasks run (`crate::sim::event_time`). Its clock moves only when all of
/// them wait, so commands sent from Python land at whatever event time the engine has reached.
#[derive(Debug)]
pub(crate) struct PausedRuntime {
    handle: tokio::runtime::Handle,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
}

impl PausedRuntime {
    pub(crate) fn start() -> Result<Self> {
        let failed = |error: &dyn std::fmt::Display| BarterError::Barter { reason: format!("event-time runtime: {error}") };
        let runtime = tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().map_err(|error| failed(&error))?;
        let (handle, (stop, stopped)) = (runtime.handle().clone(), tokio::sync::oneshot::channel::<()>());
        std::thread::Builder::new()
            .name("barter-ffi-event-time".into())
            .spawn(move || runtime.block_on(async move { drop(stopped.await) }))
            .map_err(|error| failed(&error))?;
        Ok(Self { handle, stop: Some(stop) })
    }

    pub(crate) fn handle(&self) -> tokio::runtime::Handle {
        self.handle.clone()
    }
}

impl Drop for PausedRuntime {
    /// Stop the thread; its runtime drops whatever tasks remain (latency timers of orders
    /// nobody waits for).
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
    }
}

/// One of barter's streams (account events, engine audits) read from a foreign thread: each
/// `next` blocks for the next item, at most for a timeout.
pub(crate) struct Receiver<T> {
    stream: tokio::sync::Mutex<BoxStream<'static, T>>,
    ended: AtomicBool,
}

impl<T> Receiver<T> {
    pub(crate) fn new(stream: BoxStream<'static, T>) -> Self {
        Self { stream: tokio::sync::Mutex::new(stream), ended: AtomicBool::new(false) }
    }

    /// The next item, waiting at most `timeout` seconds (`None`: without limit). `None` if no
    /// item came in time, or if the stream has ended (then `ended()` is true).
    pub(crate) fn next(&self, timeout: Option<f64>) -> Result<Option<T>> {
        let timeout = timeout
            .map(|seconds| {
                Duration::try_from_secs_f64(seconds)
                    .map_err(|error| BarterError::invalid_value(format!("timeout {seconds}: {error}")))
            })
            .transpose()?;
        block_on(async {
            let mut stream = self.stream.lock().await;
            let next = match timeout {
                Some(timeout) => match tokio::time::timeout(timeout, stream.next()).await {
                    Ok(next) => next,
                    Err(_elapsed) => return Ok(None),
                },
                None => stream.next().await,
            };
            if next.is_none() {
                self.ended.store(true, Ordering::SeqCst);
            }
            Ok(next)
        })
    }

    /// Whether the stream has ended: no further item will come.
    pub(crate) fn ended(&self) -> bool {
        self.ended.load(Ordering::SeqCst)
    }
}

impl<T> std::fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receiver").field("ended", &self.ended).finish_non_exhaustive()
    }
}
