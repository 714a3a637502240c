//! The one tokio runtime that drives barter's async engine for every call from a foreign language.
//!
//! Calls block the calling (foreign) thread on it; ctypes releases the GIL during such calls, so
//! Python threads run backtests in parallel on its worker threads.

use std::sync::LazyLock;
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
