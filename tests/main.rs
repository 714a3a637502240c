//! The Rust integration tests, in one binary: each of these links barter, Arrow and the bindings
//! whole, so one binary instead of one per file saves gigabytes of disk and minutes of linking.

mod event_time;
mod json;
mod native;
mod parity;
mod strategy;
