//! The one public error type of the bindings: every fallible call raises `BarterError` in Python.
//!
//! Barter's own errors (`barter::error::BarterError`, `DataError`, `ExecutionError`, ...) are
//! converted here, at one point, keeping barter's message. Variants are structured so Python
//! code can catch the kind of failure it cares about (`except BarterError.Json as e`).

use std::{
    cell::Cell,
    panic::{self, AssertUnwindSafe},
    sync::Once,
};

/// Error raised by every fallible barter call; each variant carries barter's own message in
/// `reason` (not `message`, which Kotlin's exceptions already have).
#[derive(Debug, Clone, thiserror::Error, uniffi::Error)]
pub enum BarterError {
    /// A file could not be read (missing, unreadable).
    #[error("io: {path}: {reason}")]
    Io { path: String, reason: String },

    /// JSON that barter's serde could not parse, at 1-based `line` (of the file, or of the JSON text).
    #[error("json: line {line}: {reason}")]
    Json { line: u64, reason: String },

    /// A value that cannot be represented exactly (a Decimal out of range, NaN, a naive datetime).
    #[error("invalid value: {reason}")]
    InvalidValue { reason: String },

    /// A name, exchange, asset or instrument that barter does not know (including an index out of range).
    #[error("index: {reason}")]
    Index { reason: String },

    /// A column of a table (an Arrow table, a pandas or polars frame, a Parquet or CSV file)
    /// that cannot be read as barter's: its `column`, the 0-based `row` at fault (none where the
    /// whole column is: missing, or of a type that cannot hold it), and why.
    #[error("column {column}{}: {reason}", row.map(|row| format!(", row {row}")).unwrap_or_default())]
    Column { column: String, row: Option<u64>, reason: String },

    /// Input that is well formed but cannot be used (for example, market data with no events).
    #[error("invalid input: {reason}")]
    InvalidInput { reason: String },

    /// An error raised by barter itself while running (`barter::error::BarterError`).
    #[error("barter: {reason}")]
    Barter { reason: String },

    /// barter's `EngineError`: the engine could not process an event or a command.
    #[error("engine: {reason}")]
    Engine { reason: String },

    /// barter-execution's `ClientError`: an execution client or exchange refused or failed a request.
    #[error("execution: {reason}")]
    Execution { reason: String },

    /// barter-data's `DataError`: a market data subscription or stream failed.
    #[error("data: {reason}")]
    Data { reason: String },

    /// barter-integration's `SocketError`: a connection, protocol or (de)serialisation failure.
    #[error("socket: {reason}")]
    Socket { reason: String },

    /// A strategy or risk manager of the foreign language raised while barter called it: the
    /// backtest stopped, or the system stopped trading. `reason` has the exception's type,
    /// message and traceback; in Python the exception itself is the `__cause__`.
    #[error("callback: {reason}")]
    Callback { reason: String },

    /// The work was cancelled before it ended (`BacktestBatch.cancel()`; in Python, Ctrl-C).
    #[error("cancelled: {reason}")]
    Cancelled { reason: String },
}

pub type Result<T, E = BarterError> = std::result::Result<T, E>;

impl BarterError {
    pub(crate) fn io(path: impl std::fmt::Display, error: std::io::Error) -> Self {
        Self::Io {
            path: path.to_string(),
            reason: error.to_string(),
        }
    }

    pub(crate) fn json(line: u64, error: serde_json::Error) -> Self {
        Self::Json {
            line,
            reason: error.to_string(),
        }
    }

    pub(crate) fn invalid_value(message: impl std::fmt::Display) -> Self {
        Self::InvalidValue {
            reason: message.to_string(),
        }
    }
}

/// JSON text that barter's serde refuses (or a value it cannot write), at serde's line.
impl From<serde_json::Error> for BarterError {
    fn from(error: serde_json::Error) -> Self {
        Self::json(error.line() as u64, error)
    }
}

/// Raised by foreign code as anything but a `BarterError` (UniFFI's conversion of it).
impl From<uniffi::UnexpectedUniFFICallbackError> for BarterError {
    fn from(error: uniffi::UnexpectedUniFFICallbackError) -> Self {
        Self::Callback { reason: error.reason }
    }
}

impl From<barter::error::BarterError> for BarterError {
    fn from(error: barter::error::BarterError) -> Self {
        match error {
            barter::error::BarterError::IndexError(error) => Self::Index {
                reason: error.to_string(),
            },
            error => Self::Barter {
                reason: error.to_string(),
            },
        }
    }
}

impl From<barter_instrument::index::error::IndexError> for BarterError {
    fn from(error: barter_instrument::index::error::IndexError) -> Self {
        Self::Index {
            reason: error.to_string(),
        }
    }
}

thread_local! {
    /// Set while [`barter_call`] runs barter: its panics are reported as errors, not printed.
    static IN_BARTER_CALL: Cell<bool> = const { Cell::new(false) };
}

/// Run barter's own code on values from the foreign side, turning a panic (its arithmetic's
/// `Decimal` overflow or division by zero: barter uses the panicking operators; its `expect`s on
/// a system whose engine has stopped) into `BarterError::InvalidValue` naming `operation` and
/// barter's message.
///
/// Re-deriving every precondition of barter's formulas would re-implement them; instead barter
/// runs, and a panic unwinds to here, where nothing of the caller's state has changed (callers
/// pass owned values, or a copy of an object's state that they keep only on success).
/// The panic hook stays silent for these panics, and delegates to the previous hook otherwise.
pub(crate) fn barter_call<T>(operation: &str, call: impl FnOnce() -> T) -> Result<T> {
    static QUIET_HOOK: Once = Once::new();
    QUIET_HOOK.call_once(|| {
        let previous = panic::take_hook();
        panic::set_hook(Box::new(move |info| {
            if !IN_BARTER_CALL.with(Cell::get) {
                previous(info);
            }
        }));
    });
    let outer = IN_BARTER_CALL.with(|flag| flag.replace(true));
    let result = panic::catch_unwind(AssertUnwindSafe(call));
    IN_BARTER_CALL.with(|flag| flag.set(outer));
    result.map_err(|payload| {
        let message = payload
            .downcast_ref::<&str>()
            .map(|text| text.to_string())
            .or_else(|| payload.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "panicked".into());
        BarterError::invalid_value(format!("{operation}: barter panicked: {message}"))
    })
}
