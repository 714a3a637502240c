//! The one tokio runtime (and rayon pool) that drives barter's async engine for every call from a
//! foreign language, one per process.
//!
//! Calls block the calling (foreign) thread on it; ctypes releases the GIL during such calls, so
//! Python threads run backtests in parallel on its worker threads.
//!
//! A forked child (multiprocessing's default on Linux) inherits the parent's runtime without its
//! threads: blocking on it would hang forever. So each process builds its own on first use, and
//! objects whose tasks run on a runtime (systems, mock executions, streams) remember their
//! process ([`Owner`]) and refuse to be used from another.

use crate::error::{BarterError, Result};
use futures::{StreamExt, stream::BoxStream};
use std::{
    sync::atomic::{AtomicBool, AtomicPtr, Ordering},
    time::Duration,
};
use tokio::runtime::Runtime;

/// A value built for one process.
struct ForProcess<T> {
    pid: u32,
    value: T,
}

/// The value of `slot` built for this process, building it on first use in each process.
///
/// A parent's value seen in a forked child is leaked, never dropped: its threads do not exist in
/// the child, and dropping a runtime waits for them.
fn for_this_process<T: Send + Sync>(slot: &'static AtomicPtr<ForProcess<T>>, build: impl FnOnce() -> T) -> &'static T {
    let pid = std::process::id();
    let current = slot.load(Ordering::Acquire);
    // SAFETY: the slot only ever holds null or a pointer from `Box::into_raw` that is never freed.
    if let Some(entry) = unsafe { current.as_ref() }.filter(|entry| entry.pid == pid) {
        return &entry.value;
    }
    let fresh = Box::into_raw(Box::new(ForProcess { pid, value: build() }));
    match slot.compare_exchange(current, fresh, Ordering::AcqRel, Ordering::Acquire) {
        // SAFETY: `fresh` is now the slot's and lives for the rest of the process.
        Ok(_) => unsafe { &(*fresh).value },
        Err(winner) => {
            // Another thread of this process built one first: keep the slot's. Ours is leaked
            // too (once per race): dropping a runtime from inside another one panics.
            // SAFETY: `winner` is a leaked box of this process.
            unsafe { &(*winner).value }
        }
    }
}

fn runtime() -> &'static Runtime {
    static RUNTIME: AtomicPtr<ForProcess<Runtime>> = AtomicPtr::new(std::ptr::null_mut());
    for_this_process(&RUNTIME, || {
        tokio::runtime::Builder::new_multi_thread()
            .thread_name("barter-ffi")
            .enable_all()
            .build()
            .expect("the tokio runtime of the barter bindings failed to start")
    })
}

/// The rayon pool that runs event-time backtests in parallel, one thread per core.
pub(crate) fn pool() -> &'static rayon::ThreadPool {
    static POOL: AtomicPtr<ForProcess<rayon::ThreadPool>> = AtomicPtr::new(std::ptr::null_mut());
    for_this_process(&POOL, || {
        rayon::ThreadPoolBuilder::new()
            .thread_name(|index| format!("barter-ffi-backtest-{index}"))
            .build()
            .expect("the backtest threads of the barter bindings failed to start")
    })
}

/// Run a task (barter's mock exchange, ...) on the shared runtime, in the background.
pub(crate) fn spawn<F>(future: F) -> tokio::task::JoinHandle<F::Output>
where
    F: Future + Send + 'static,
    F::Output: Send + 'static,
{
    runtime().spawn(future)
}

/// Run a future to completion on the shared runtime, blocking the current thread.
pub(crate) fn block_on<F: Future>(future: F) -> F::Output {
    runtime().block_on(future)
}

/// The process an object with tasks on a runtime was made in: in a forked child those tasks do
/// not exist, and waiting for them would hang.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Owner {
    pid: u32,
}

impl Owner {
    pub(crate) fn this_process() -> Self {
        Self { pid: std::process::id() }
    }

    /// Whether the object is used in the process that made it.
    pub(crate) fn is_current(self) -> bool {
        self.pid == std::process::id()
    }

    /// Fail unless the object (`what`) is used in the process that made it.
    pub(crate) fn check(self, what: &str) -> Result<()> {
        if self.is_current() {
            return Ok(());
        }
        Err(BarterError::InvalidInput {
            reason: format!(
                "{what} was made in process {} and its tasks did not survive the fork into process {}: make it again in this process",
                self.pid,
                std::process::id()
            ),
        })
    }
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
    /// Dropped only in its own process (see `Drop`).
    stream: std::mem::ManuallyDrop<tokio::sync::Mutex<BoxStream<'static, T>>>,
    ended: AtomicBool,
    owner: Owner,
}

impl<T> Receiver<T> {
    pub(crate) fn new(stream: BoxStream<'static, T>) -> Self {
        Self { stream: std::mem::ManuallyDrop::new(tokio::sync::Mutex::new(stream)), ended: AtomicBool::new(false), owner: Owner::this_process() }
    }

    /// The next item, waiting at most `timeout` seconds (`None`: without limit). `None` if no
    /// item came in time, or if the stream has ended (then `ended()` is true).
    pub(crate) fn next(&self, timeout: Option<f64>) -> Result<Option<T>> {
        self.owner.check("this stream")?;
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

impl<T> Drop for Receiver<T> {
    /// In a forked child the stream's channel belongs to the parent's runtime, whose threads are
    /// not there: closing it would wake them through locks one of them may have held at the fork.
    /// The child leaks it instead.
    fn drop(&mut self) {
        if self.owner.is_current() {
            // SAFETY: dropped once, here, and never used again.
            unsafe { std::mem::ManuallyDrop::drop(&mut self.stream) }
        }
    }
}

impl<T> std::fmt::Debug for Receiver<T> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receiver").field("ended", &self.ended).finish_non_exhaustive()
    }
}
