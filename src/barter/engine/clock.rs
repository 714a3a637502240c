//! barter's engine clocks: `LiveClock` (the wall clock) and `HistoricalClock` (the exchange time
//! of the last event processed, plus the wall-clock time since it arrived; in event time, without
//! it).

use crate::{barter::engine::EngineEvent, custom::Timestamp, sim::event_time::EventClock};
use ::barter::engine::{
    Processor,
    clock::{EngineClock as _, LiveClock},
};
use std::sync::Arc;

/// barter's `LiveClock`: the engine's time is the wall clock.
#[uniffi::remote(Record)]
pub struct LiveClock {}

/// barter's `LiveClock::time`: now.
#[uniffi::export]
pub fn live_clock_time(clock: LiveClock) -> Timestamp {
    clock.time()
}

/// barter's `HistoricalClock`, as a backtest's engine uses it: the exchange time of the last
/// event processed, advanced by the wall-clock time since it was processed.
///
/// A system replaying in-memory data in event time (the default) runs its engine on the data's
/// time alone: the clock it was given then reads the latest exchange time of the market events
/// the engine has processed, with no wall-clock time added.
#[derive(Debug, uniffi::Object)]
pub struct HistoricalClock(std::sync::Mutex<HistoricalTime>);

#[derive(Debug)]
enum HistoricalTime {
    Barter(::barter::engine::clock::HistoricalClock),
    Event(EventClock),
}

#[uniffi::export]
impl HistoricalClock {
    /// A clock starting at `last_exchange_time`.
    #[uniffi::constructor]
    pub fn new(last_exchange_time: Timestamp) -> Arc<Self> {
        Arc::new(Self(std::sync::Mutex::new(HistoricalTime::Barter(::barter::engine::clock::HistoricalClock::new(last_exchange_time)))))
    }

    /// The engine's time now.
    pub fn time(&self) -> Timestamp {
        match &*self.lock() {
            HistoricalTime::Barter(clock) => clock.time(),
            HistoricalTime::Event(clock) => clock.time(),
        }
    }

    /// barter's `process`: move to the exchange time of `event`, if it has one and is not older
    /// (barter logs out-of-order events and keeps its time).
    pub fn process(&self, event: EngineEvent) {
        self.process_ref(&event)
    }
}

impl HistoricalClock {
    fn lock(&self) -> std::sync::MutexGuard<'_, HistoricalTime> {
        // barter's clock never panics while held, so the lock is never poisoned in practice.
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    fn process_ref(&self, event: &EngineEvent) {
        match &mut *self.lock() {
            HistoricalTime::Barter(clock) => clock.process(event),
            HistoricalTime::Event(clock) => clock.process(event),
        }
    }

    /// From now on, the data's time alone, from `time_first_event`: the clock of an event-time
    /// system's engine.
    pub(crate) fn to_event_time(&self, time_first_event: Timestamp) {
        *self.lock() = HistoricalTime::Event(EventClock::new(time_first_event));
    }
}

crate::json::json_functions!(LiveClock);

/// The clock of a system's engine: barter's `LiveClock` (live and paper trading) or a
/// `HistoricalClock` (replaying market data; the engine moves the Python object's time too).
///
/// barter's `EngineClock` trait, bound as the enum of barter's two implementations.
#[derive(Debug, Clone, uniffi::Enum)]
pub enum EngineClock {
    Live(LiveClock),
    Historical(Arc<HistoricalClock>),
}

impl ::barter::engine::clock::EngineClock for EngineClock {
    fn time(&self) -> Timestamp {
        match self {
            Self::Live(clock) => clock.time(),
            Self::Historical(clock) => clock.time(),
        }
    }
}

impl Processor<&EngineEvent> for EngineClock {
    type Audit = ();

    fn process(&mut self, event: &EngineEvent) {
        if let Self::Historical(clock) = self {
            clock.process_ref(event)
        }
    }
}
