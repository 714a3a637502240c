//! Bindings for `barter-data`: market events, loaded in bulk into barter's in-memory market data.

use crate::{
    custom::Timestamp,
    error::{BarterError, Result},
    runtime,
};
use ::barter::backtest::market_data::BacktestMarketData;
use ::barter::backtest::market_data::MarketDataInMemory as BarterMarketData;
use barter_data::{
    event::DataKind,
    streams::{consumer::MarketStreamEvent, reconnect::Event},
};
use barter_instrument::{index::IndexedInstruments, instrument::InstrumentIndex};

use std::sync::Arc;

type Events = Vec<MarketStreamEvent<InstrumentIndex, DataKind>>;

/// Barter's in-memory market data: every `MarketStreamEvent<InstrumentIndex, DataKind>` of a
/// backtest, parsed once in Rust and shared (not copied) by every backtest that uses it.
#[derive(uniffi::Object)]
pub struct MarketDataInMemory {
    inner: BarterMarketData<DataKind>,
    events: Arc<Events>,
}

#[uniffi::export]
impl MarketDataInMemory {
    /// Parse barter's JSON-lines market data (one serialised `MarketStreamEvent` per line, as in
    /// barter's `examples/data`); blank lines are skipped, a bad line is reported by number.
    #[uniffi::constructor]
    pub fn from_json_lines(data: &[u8]) -> Result<Arc<Self>> {
        let events = data
            .split(|byte| *byte == b'\n')
            .enumerate()
            .filter(|(_, line)| !line.trim_ascii().is_empty())
            .map(|(index, line)| {
                serde_json::from_slice(line).map_err(|error| BarterError::json(index as u64 + 1, error))
            })
            .collect::<Result<Events>>()?;
        Self::new(events).map(Arc::new)
    }

    /// Read and parse a JSON-lines market data file (see `from_json_lines`).
    #[uniffi::constructor]
    pub fn from_json_lines_file(path: &str) -> Result<Arc<Self>> {
        let data = std::fs::read(path).map_err(|error| BarterError::io(path, error))?;
        Self::from_json_lines(&data)
    }

    /// Number of events, market items and reconnections alike.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// Exchange time of the first market event: the start of a backtest's clock.
    pub fn time_first_event(&self) -> Result<Timestamp> {
        runtime::block_on(self.inner.time_first_event()).map_err(BarterError::from)
    }
}

impl MarketDataInMemory {
    /// Barter's `MarketDataInMemory::new` panics without a market item: refuse such data here.
    fn new(events: Events) -> Result<Self> {
        if !events.iter().any(|event| matches!(event, Event::Item(_))) {
            return Err(BarterError::InvalidInput {
                reason: "market data holds no market event".into(),
            });
        }
        let events = Arc::new(events);
        Ok(Self {
            inner: BarterMarketData::new(Arc::clone(&events)),
            events,
        })
    }

    pub(crate) fn inner(&self) -> BarterMarketData<DataKind> {
        self.inner.clone()
    }

    /// Fail, naming the first offending event, if an event refers to an instrument index or an
    /// exchange the system does not have: barter's engine would panic on it mid-backtest.
    pub(crate) fn check_keys(&self, instruments: &IndexedInstruments) -> Result<()> {
        let num_instruments = instruments.instruments().len();
        let has_exchange = |exchange| instruments.find_exchange_index(exchange).is_ok();
        let bad = self.events.iter().enumerate().find_map(|(index, event)| match event {
            Event::Item(event) if event.instrument.index() >= num_instruments => Some((
                index,
                format!("{}, but the system has {num_instruments} instruments", event.instrument),
            )),
            Event::Reconnecting(exchange) if !has_exchange(*exchange) => Some((
                index,
                format!("exchange {exchange}, which the system does not have"),
            )),
            _ => None,
        });
        match bad {
            None => Ok(()),
            Some((index, what)) => Err(BarterError::Index {
                reason: format!("market event {} refers to {what}", index + 1),
            }),
        }
    }
}
