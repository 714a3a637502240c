//! # Barter-FFI
//! UniFFI bindings for the [barter](https://github.com/barter-rs/barter-rs) trading ecosystem:
//! Python (the `barter` package), Kotlin and Swift modules are generated from this crate.
//!
//! Layout mirrors barter's layering: [`error`], [`runtime`] and [`custom`] at the bottom, then one
//! module per barter crate, each depending only on those below it:
//! [`integration`], [`instrument`] → [`execution`], [`data`] → [`barter`]. Beside them, [`sim`]
//! holds the components of the bindings' own that plug into barter's extension points (event
//! time for reproducible backtests).
//!
//! The interface is declared by proc-macros next to the code, except what reads best as an
//! interface file: the namespace and barter's flat enums, in `udl/barter_ffi.udl`.
#![warn(unused, clippy::cognitive_complexity)]

pub mod barter;
pub mod custom;
pub mod data;
pub mod error;
pub mod execution;
pub mod instrument;
pub mod integration;
mod json;
mod runtime;
pub mod sim;

// The UDL scaffolding refers to the types it declares by name, from the crate root.
use ::barter::engine::state::trading::TradingState;
use barter_instrument::{Side, exchange::ExchangeId};

uniffi::include_scaffolding!("barter_ffi");
