//! Bindings for `barter::backtest::market_data`: barter's in-memory market data, loaded in bulk
//! (barter's JSON lines, or columns of plain values) or from `MarketStreamEvent`s.

use crate::{
    custom::Timestamp,
    data::{MarketEvent, MarketStream, MarketStreamEvent},
    error::{BarterError, Result},
    instrument::IndexedInstruments as Instruments,
    runtime,
};
use ::barter::backtest::market_data::BacktestMarketData;
use ::barter::backtest::market_data::MarketDataInMemory as BarterMarketData;
use barter_data::{
    books::Level,
    event::DataKind,
    streams::reconnect::Event,
    subscription::{book::OrderBookL1, trade::PublicTrade},
};
use barter_instrument::{Side, exchange::ExchangeId, index::IndexedInstruments, instrument::InstrumentIndex};
use rust_decimal::{Decimal, prelude::FromPrimitive};
use futures::StreamExt;
use std::sync::Arc;

mod arrow;
pub use arrow::TimeOrder;

type Events = Vec<MarketStreamEvent>;

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
                crate::json::from_json_as_written(line).map_err(|error| match error {
                    BarterError::Json { reason, .. } | BarterError::InvalidValue { reason } => BarterError::Json { line: index as u64 + 1, reason },
                    error => error,
                })
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

    /// Market data from `MarketStreamEvent`s built one by one (for bulk data, `from_column_bytes` is
    /// far faster: every event here crosses the FFI as a record).
    #[uniffi::constructor]
    pub fn from_events(events: Vec<MarketStreamEvent>) -> Result<Arc<Self>> {
        Self::new(events).map(Arc::new)
    }

    /// Market data from columns, one row per event of one `exchange`, in one call: the fast path
    /// for data held in arrays (Python's `MarketDataInMemory.from_columns` packs any sequences
    /// into these bytes). Each column holds one little-endian value per row:
    /// - `kind`: u8, 0 = public trade, 1 = order book L1;
    /// - `instrument`: i64 instrument index;
    /// - `time_exchange`, `time_received`: i64 nanoseconds since the Unix epoch (UTC);
    /// - `price`, `amount`: f64, the trade's (kind 0), or the best bid's (kind 1);
    /// - `ask_price`, `ask_amount`: f64, the best ask's (kind 1; ignored for trades);
    /// - `side`: u8, the trade's aggressor, 0 = buy, 1 = sell (ignored for L1);
    /// - `trade_id`: UTF-8 trade ids joined by `\n`, one per row (empty for L1 rows), or empty
    ///   for no ids.
    ///
    /// L1 levels become `Decimal`s with `Decimal::from_f64`, as barter converts trade prices; a
    /// NaN bid or ask price is a missing level.
    #[uniffi::constructor]
    #[allow(clippy::too_many_arguments)]
    pub fn from_column_bytes(
        exchange: ExchangeId,
        kind: &[u8],
        instrument: &[u8],
        time_exchange: &[u8],
        time_received: &[u8],
        price: &[u8],
        amount: &[u8],
        ask_price: &[u8],
        ask_amount: &[u8],
        side: &[u8],
        trade_id: &[u8],
    ) -> Result<Arc<Self>> {
        let rows = kind.len();
        let instrument = column::<8, i64>("instrument", instrument, rows, i64::from_le_bytes)?;
        let time_exchange = column::<8, i64>("time_exchange", time_exchange, rows, i64::from_le_bytes)?;
        let time_received = column::<8, i64>("time_received", time_received, rows, i64::from_le_bytes)?;
        let price = column::<8, f64>("price", price, rows, f64::from_le_bytes)?;
        let amount = column::<8, f64>("amount", amount, rows, f64::from_le_bytes)?;
        let ask_price = column::<8, f64>("ask_price", ask_price, rows, f64::from_le_bytes)?;
        let ask_amount = column::<8, f64>("ask_amount", ask_amount, rows, f64::from_le_bytes)?;
        let side = column::<1, u8>("side", side, rows, u8::from_le_bytes)?;
        let trade_id = std::str::from_utf8(trade_id).map_err(|error| invalid_column("trade_id", error))?;
        let mut trade_ids = trade_id.split('\n');
        if !trade_id.is_empty() && trade_ids.clone().count() != rows {
            return Err(invalid_column("trade_id", format!("{} ids for {rows} rows", trade_ids.count())));
        }

        let events = (0..rows)
            .map(|row| {
                let invalid = |field: &str, what: String| arrow::column_error(field, Some(row), what);
                let trade_id = trade_ids.next().unwrap_or_default();
                let kind = match kind[row] {
                    0 => DataKind::Trade(PublicTrade {
                        id: trade_id.to_owned(),
                        price: price(row),
                        amount: amount(row),
                        side: match side(row) {
                            0 => Side::Buy,
                            1 => Side::Sell,
                            other => return Err(invalid("side", format!("{other} is neither 0 (buy) nor 1 (sell)"))),
                        },
                    }),
                    1 => DataKind::OrderBookL1(OrderBookL1 {
                        last_update_time: timestamp(time_exchange(row)),
                        best_bid: level(price(row), amount(row)).map_err(|what| invalid("price, amount", what))?,
                        best_ask: level(ask_price(row), ask_amount(row)).map_err(|what| invalid("ask_price, ask_amount", what))?,
                    }),
                    other => return Err(invalid("kind", format!("{other} is neither 0 (trade) nor 1 (order book L1)"))),
                };
                let instrument = usize::try_from(instrument(row))
                    .map_err(|_| invalid("instrument", format!("{} is negative", instrument(row))))?;
                Ok(Event::Item(MarketEvent {
                    time_exchange: timestamp(time_exchange(row)),
                    time_received: timestamp(time_received(row)),
                    exchange,
                    instrument: InstrumentIndex(instrument),
                    kind,
                }))
            })
            .collect::<Result<Events>>()?;
        Self::new(events).map(Arc::new)
    }

    /// Market data from an Arrow IPC stream (what `pyarrow.ipc.new_stream` writes; Python's
    /// `barter.backtest.from_arrow` sends any Arrow table, pandas or polars frame this way), its
    /// columns read by name, its instruments by name through `instruments`, in one call.
    ///
    /// Columns: `time_exchange` (a timestamp of any unit with a time zone, int64 nanoseconds, or
    /// RFC 3339 text; 1980-2200), `time_received` (optional), `instrument` (barter's internal
    /// name or the exchange's), `exchange` (optional, barter's `ExchangeId` text), `kind`
    /// (`"trade"` or `"order_book_l1"`; optional where only one kind's columns exist), `price`,
    /// `amount`, `side` (`"buy"`/`"sell"`), `trade_id` (trades), `bid_price`, `bid_amount`,
    /// `ask_price`, `ask_amount` (L1; decimals and text exact, floats as barter converts them).
    /// A bad cell is a `BarterError::Column` naming its column and 0-based row; times going
    /// back are refused unless `order` (default `TimeOrder::Sorted`) says otherwise.
    #[uniffi::constructor(default(order = None))]
    pub fn from_arrow_ipc(data: &[u8], instruments: &Instruments, order: Option<TimeOrder>) -> Result<Arc<Self>> {
        Self::from_batches(arrow::ipc_batches(data)?, instruments, order)
    }

    /// Market data from a Parquet file, read in Rust: the columns of `from_arrow_ipc`.
    #[uniffi::constructor(default(order = None))]
    pub fn from_parquet_file(path: &str, instruments: &Instruments, order: Option<TimeOrder>) -> Result<Arc<Self>> {
        Self::from_batches(arrow::parquet_batches(path)?, instruments, order)
    }

    /// Market data from a CSV file with a header row, read in Rust: the columns of
    /// `from_arrow_ipc`, times as RFC 3339 text or int64 nanoseconds, L1 levels parsed as exact
    /// decimals.
    #[uniffi::constructor(default(order = None))]
    pub fn from_csv_file(path: &str, instruments: &Instruments, order: Option<TimeOrder>) -> Result<Arc<Self>> {
        Self::from_batches(arrow::csv_batches(path)?, instruments, order)
    }

    /// barter's JSON lines of every event, as `from_json_lines` reads them (and as barter's
    /// `examples/data` files are written): market data built in Python, saved for barter.
    pub fn to_json_lines(&self) -> Result<Vec<u8>> {
        let mut lines = Vec::new();
        for event in self.events.iter() {
            serde_json::to_writer(&mut lines, event)?;
            lines.push(b'\n');
        }
        Ok(lines)
    }

    /// Every market event as a table of the columns `from_arrow_ipc` reads (an Arrow IPC
    /// stream), instruments by their internal names in `instruments`: market data to look at,
    /// plot or save as Parquet. Trades and L1 books only; reconnections are not rows.
    pub fn to_arrow_ipc(&self, instruments: &Instruments) -> Result<Vec<u8>> {
        arrow::table(&self.events, &instruments.0)
    }

    /// Number of events, market items and reconnections alike.
    pub fn len(&self) -> usize {
        self.events.len()
    }

    /// barter's `BacktestMarketData::stream`: every event, as fast as the engine reads them, for
    /// a system (`SystemArgs.market_stream`). Its events are checked against the system's
    /// instruments when the system is built.
    pub fn stream(&self) -> Result<Arc<MarketStream>> {
        let stream = runtime::block_on(self.inner.stream())?;
        Ok(MarketStream::new(stream.boxed(), Some(Arc::clone(&self.events))))
    }

    /// Exchange time of the first market event: the start of a backtest's clock.
    pub fn time_first_event(&self) -> Result<Timestamp> {
        runtime::block_on(self.inner.time_first_event()).map_err(BarterError::from)
    }
}

/// The values of a column of little-endian `N`-byte values, checked to hold `rows` of them.
fn column<'a, const N: usize, T: 'a>(
    name: &str,
    bytes: &'a [u8],
    rows: usize,
    decode: fn([u8; N]) -> T,
) -> Result<impl Fn(usize) -> T + 'a> {
    if bytes.len() != rows * N {
        return Err(invalid_column(name, format!("{} bytes, but {rows} rows need {}", bytes.len(), rows * N)));
    }
    Ok(move |row: usize| decode(bytes[row * N..(row + 1) * N].try_into().expect("N bytes")))
}

fn invalid_column(name: &str, what: impl std::fmt::Display) -> BarterError {
    arrow::column_error(name, None, what)
}

fn timestamp(nanos: i64) -> Timestamp {
    Timestamp::from_timestamp_nanos(nanos)
}

/// An L1 level from floats; a NaN price is no level.
fn level(price: f64, amount: f64) -> Result<Option<Level>, String> {
    if price.is_nan() {
        return Ok(None);
    }
    let decimal = |value: f64| Decimal::from_f64(value).ok_or_else(|| format!("{value} is not a Decimal"));
    Ok(Some(Level { price: decimal(price)?, amount: decimal(amount)? }))
}

/// The first float of an event that is NaN or infinite, with its field.
fn check_finite(kind: &DataKind) -> std::result::Result<(), (&'static str, f64)> {
    let fields: &[(&'static str, f64)] = match kind {
        DataKind::Trade(trade) => &[("Trade.price", trade.price), ("Trade.amount", trade.amount)],
        DataKind::Candle(candle) => &[
            ("Candle.open", candle.open),
            ("Candle.high", candle.high),
            ("Candle.low", candle.low),
            ("Candle.close", candle.close),
            ("Candle.volume", candle.volume),
        ],
        DataKind::Liquidation(liquidation) => &[("Liquidation.price", liquidation.price), ("Liquidation.quantity", liquidation.quantity)],
        DataKind::OrderBookL1(_) | DataKind::OrderBook(_) => &[],
    };
    fields.iter().find(|(_, value)| !value.is_finite()).map_or(Ok(()), |field| Err(*field))
}

impl MarketDataInMemory {
    /// Barter's `MarketDataInMemory::new` panics without a market item: refuse such data here.
    /// A NaN or infinite float (a trade's price, ...) is refused too: barter's JSON writes it as
    /// `null`, which it cannot read back, so the data could not be saved or sent by value.
    fn new(events: Events) -> Result<Self> {
        if !events.iter().any(|event| matches!(event, Event::Item(_))) {
            return Err(BarterError::InvalidInput {
                reason: "market data holds no market event".into(),
            });
        }
        for (index, event) in events.iter().enumerate() {
            if let Event::Item(event) = event {
                check_finite(&event.kind).map_err(|(field, value)| {
                    BarterError::invalid_value(format!("market event {}: kind.{field}: {value} is not a finite number", index + 1))
                })?;
            }
        }
        let events = Arc::new(events);
        Ok(Self {
            inner: BarterMarketData::new(Arc::clone(&events)),
            events,
        })
    }

    fn from_batches(
        batches: impl IntoIterator<Item = std::result::Result<::arrow_array::RecordBatch, ::arrow_schema::ArrowError>>,
        instruments: &Instruments,
        order: Option<TimeOrder>,
    ) -> Result<Arc<Self>> {
        Self::new(arrow::events(batches, &instruments.0, order.unwrap_or_default())?).map(Arc::new)
    }

    pub(crate) fn inner(&self) -> BarterMarketData<DataKind> {
        self.inner.clone()
    }

    /// Fail, naming the first offending event, if an event refers to an instrument index or an
    /// exchange the system does not have: barter's engine would panic on it mid-backtest.
    pub(crate) fn check_keys(&self, instruments: &IndexedInstruments) -> Result<()> {
        crate::data::check_keys(self.events.iter(), instruments)
    }
}
