//! Market data from Arrow record batches (an Arrow IPC stream, a Parquet or a CSV file), read by
//! column name, in Rust: one crossing of the FFI for a whole table.
//!
//! Instruments are named, never indexed: each row's `instrument` is looked up in the system's
//! `IndexedInstruments` (barter's internal name, or the exchange's name on the row's `exchange`),
//! so listing instruments in another order cannot book one pair's prices on another.

use crate::{
    barter::backtest::frames::Table,
    data::{MarketEvent, MarketStreamEvent},
    error::{BarterError, Result},
};
use arrow_array::{
    Array, ArrayRef, Decimal128Array, Float64Array, Int64Array, RecordBatch, StringArray,
    cast::AsArray,
    types::{TimestampMicrosecondType, TimestampMillisecondType, TimestampNanosecondType, TimestampSecondType},
};
use arrow_schema::{ArrowError, DataType, TimeUnit};
use barter_data::{
    books::Level,
    event::DataKind,
    streams::reconnect::Event,
    subscription::{book::OrderBookL1, trade::PublicTrade},
};
use barter_instrument::{Side, exchange::ExchangeId, index::IndexedInstruments, instrument::InstrumentIndex};
use chrono::{DateTime, Utc};
use rust_decimal::{Decimal, prelude::FromPrimitive};
use std::collections::HashMap;

/// What to do with rows whose `time_exchange` goes back in time.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, uniffi::Enum)]
pub enum TimeOrder {
    /// Refuse the table, naming the first row earlier than the row before it.
    #[default]
    Sorted,
    /// Sort the rows by `time_exchange`, keeping the order of rows of the same time.
    Sort,
    /// Keep the rows in the order given, as barter replays its own JSON-lines files (whose
    /// events are merged from several streams, not sorted).
    AsGiven,
}

/// Exchange times before this are taken for a wrong unit (seconds or milliseconds read as
/// nanoseconds land in January 1970), as are those after [`LATEST`].
const EARLIEST: &str = "1980-01-01T00:00:00Z";
const LATEST: &str = "2200-01-01T00:00:00Z";

/// The events of `batches`, in order (see [`TimeOrder`]).
pub(super) fn events(
    batches: impl IntoIterator<Item = std::result::Result<RecordBatch, ArrowError>>,
    instruments: &IndexedInstruments,
    order: TimeOrder,
) -> Result<Vec<MarketStreamEvent>> {
    let names = Names::new(instruments);
    let mut events = Vec::new();
    for batch in batches {
        let batch = batch.map_err(table_error)?;
        let first_row = events.len();
        events.extend(Batch::new(&batch, first_row)?.events(&names)?);
    }
    let time = |event: &MarketStreamEvent| match event {
        Event::Item(event) => event.time_exchange,
        Event::Reconnecting(_) => DateTime::<Utc>::MIN_UTC,
    };
    match order {
        TimeOrder::Sorted => {
            if let Some(row) = events.windows(2).position(|pair| time(&pair[1]) < time(&pair[0])) {
                return Err(column_error(
                    "time_exchange",
                    Some(row + 1),
                    format!(
                        "{} is earlier than the row before ({}): sort the table, or ask for TimeOrder.SORT or TimeOrder.AS_GIVEN",
                        time(&events[row + 1]),
                        time(&events[row])
                    ),
                ));
            }
        }
        TimeOrder::Sort => events.sort_by_key(time),
        TimeOrder::AsGiven => {}
    }
    Ok(events)
}

/// The system's instruments by the names a table may give them.
struct Names<'a> {
    exchanges: HashMap<&'static str, ExchangeId>,
    /// By (exchange, barter's internal name or the exchange's name).
    on_exchange: HashMap<(ExchangeId, &'a str), InstrumentIndex>,
    /// By internal name, or by exchange name where only one exchange lists it.
    alone: HashMap<&'a str, Option<(ExchangeId, InstrumentIndex)>>,
    known: String,
}

impl<'a> Names<'a> {
    fn new(instruments: &'a IndexedInstruments) -> Self {
        let mut names = Names { exchanges: HashMap::new(), on_exchange: HashMap::new(), alone: HashMap::new(), known: String::new() };
        for instrument in instruments.instruments() {
            let exchange = instrument.value.exchange.value;
            names.exchanges.insert(exchange.as_str(), exchange);
            let internal = instrument.value.name_internal.name().as_str();
            let external = instrument.value.name_exchange.name().as_str();
            names.on_exchange.insert((exchange, internal), instrument.key);
            names.on_exchange.insert((exchange, external), instrument.key);
            names.alone.insert(internal, Some((exchange, instrument.key)));
            names
                .alone
                .entry(external)
                .and_modify(|found| *found = found.filter(|(other, _)| *other == exchange && external == internal))
                .or_insert(Some((exchange, instrument.key)));
            names.known += &format!("{}{internal} ({} {external})", if names.known.is_empty() { "" } else { ", " }, exchange.as_str());
        }
        names
    }
}

/// The columns of one record batch, by name, converted once.
struct Batch<'a> {
    first_row: usize,
    rows: usize,
    time_exchange: Vec<i64>,
    time_received: Option<Vec<i64>>,
    exchange: Option<StringArray>,
    instrument: StringArray,
    kind: Kind,
    price: Option<Float64Array>,
    amount: Option<Float64Array>,
    side: Option<StringArray>,
    trade_id: Option<StringArray>,
    bid_price: Option<Decimals<'a>>,
    bid_amount: Option<Decimals<'a>>,
    ask_price: Option<Decimals<'a>>,
    ask_amount: Option<Decimals<'a>>,
}

/// Each row's kind: from a `kind` column, or the same for all rows when only one kind's columns
/// are present.
enum Kind {
    Column(StringArray),
    Trades,
    Books,
}

impl<'a> Batch<'a> {
    fn new(batch: &'a RecordBatch, first_row: usize) -> Result<Self> {
        let column = |name: &str| batch.column_by_name(name);
        let required = |name: &str| column(name).ok_or_else(|| column_error(name, None, format!("missing; the table has {}", column_names(batch))));
        let text = |name: &str| column(name).map(|array| strings(name, array)).transpose();
        let numbers = |name: &str| column(name).map(|array| floats(name, array)).transpose();
        let levels = |name: &str| column(name).map(|array| Decimals::new(name, array)).transpose();

        let trades = column("price").is_some();
        let books = ["bid_price", "ask_price"].iter().any(|name| column(name).is_some());
        let kind = match (column("kind"), trades, books) {
            (Some(array), _, _) => Kind::Column(strings("kind", array)?),
            (None, true, false) => Kind::Trades,
            (None, false, true) => Kind::Books,
            (None, _, _) => {
                return Err(column_error("kind", None, "missing: give each row's kind (\"trade\" or \"order_book_l1\") where trade and book columns are mixed"));
            }
        };
        let time_exchange = times("time_exchange", required("time_exchange")?, first_row)?;
        let time_received = column("time_received").map(|array| times("time_received", array, first_row)).transpose()?;
        Ok(Self {
            first_row,
            rows: batch.num_rows(),
            time_exchange,
            time_received,
            exchange: text("exchange")?,
            instrument: strings("instrument", required("instrument")?)?,
            kind,
            price: numbers("price")?,
            amount: numbers("amount")?,
            side: text("side")?,
            trade_id: text("trade_id")?,
            bid_price: levels("bid_price")?,
            bid_amount: levels("bid_amount")?,
            ask_price: levels("ask_price")?,
            ask_amount: levels("ask_amount")?,
        })
    }

    fn events(&self, names: &Names) -> Result<Vec<MarketStreamEvent>> {
        (0..self.rows).map(|row| self.event(row, names).map(Event::Item)).collect()
    }

    fn event(&self, row: usize, names: &Names) -> Result<MarketEvent> {
        let at = self.first_row + row;
        let error = |column: &str, reason: String| column_error(column, Some(at), reason);
        let (exchange, instrument) = self.instrument(row, names).map_err(|(column, reason)| error(column, reason))?;
        let time_exchange = DateTime::from_timestamp_nanos(self.time_exchange[row]);
        let kind = match self.kind.at(row).map_err(|reason| error("kind", reason))? {
            Kind::Trades => DataKind::Trade(PublicTrade {
                id: self.trade_id.as_ref().filter(|ids| ids.is_valid(row)).map_or_else(String::new, |ids| ids.value(row).to_owned()),
                price: float("price", self.price.as_ref(), row).map_err(|reason| error("price", reason))?,
                amount: float("amount", self.amount.as_ref(), row).map_err(|reason| error("amount", reason))?,
                side: match self.side.as_ref().filter(|sides| sides.is_valid(row)).map(|sides| sides.value(row)) {
                    Some(side) if side.eq_ignore_ascii_case("buy") => Side::Buy,
                    Some(side) if side.eq_ignore_ascii_case("sell") => Side::Sell,
                    Some(side) => return Err(error("side", format!("{side:?} is neither \"buy\" nor \"sell\""))),
                    None => return Err(error("side", "a trade needs its side (\"buy\" or \"sell\")".into())),
                },
            }),
            _ => DataKind::OrderBookL1(OrderBookL1 {
                last_update_time: time_exchange,
                best_bid: level(("bid_price", &self.bid_price), ("bid_amount", &self.bid_amount), row).map_err(|(column, reason)| error(column, reason))?,
                best_ask: level(("ask_price", &self.ask_price), ("ask_amount", &self.ask_amount), row).map_err(|(column, reason)| error(column, reason))?,
            }),
        };
        Ok(MarketEvent {
            time_exchange,
            time_received: self.time_received.as_ref().map_or(time_exchange, |times| DateTime::from_timestamp_nanos(times[row])),
            exchange,
            instrument,
            kind,
        })
    }

    /// The row's exchange and instrument, or the column at fault and why.
    fn instrument(&self, row: usize, names: &Names) -> std::result::Result<(ExchangeId, InstrumentIndex), (&'static str, String)> {
        if !self.instrument.is_valid(row) {
            return Err(("instrument", "null".into()));
        }
        let name = self.instrument.value(row);
        let unknown = || ("instrument", format!("{name:?} is not one of the system's instruments: {}", names.known));
        match &self.exchange {
            Some(exchanges) => {
                let exchange = exchanges.is_valid(row).then(|| exchanges.value(row)).ok_or(("exchange", "null".to_owned()))?;
                let exchange = *names.exchanges.get(exchange).ok_or_else(|| {
                    ("exchange", format!("{exchange:?} is not one of the system's exchanges: {:?}", names.exchanges.keys().collect::<Vec<_>>()))
                })?;
                names.on_exchange.get(&(exchange, name)).map(|index| (exchange, *index)).ok_or_else(unknown)
            }
            None => match names.alone.get(name) {
                Some(Some(found)) => Ok(*found),
                Some(None) => Err(("exchange", format!("missing: {name:?} is listed on several exchanges; give an exchange column"))),
                None => Err(unknown()),
            },
        }
    }
}

impl Kind {
    /// The row's kind, as [`Kind::Trades`] or [`Kind::Books`].
    fn at(&self, row: usize) -> std::result::Result<Kind, String> {
        match self {
            Kind::Trades => Ok(Kind::Trades),
            Kind::Books => Ok(Kind::Books),
            Kind::Column(kinds) if !kinds.is_valid(row) => Err("null".into()),
            Kind::Column(kinds) => {
                let kind = kinds.value(row);
                // Case and underscores aside (barter's `OrderBookL1`), without allocating per row.
                let is = |name: &str| kind.bytes().filter(|byte| *byte != b'_').map(|byte| byte.to_ascii_lowercase()).eq(name.bytes());
                if is("trade") {
                    Ok(Kind::Trades)
                } else if is("orderbookl1") {
                    Ok(Kind::Books)
                } else {
                    Err(format!("{kind:?} is neither \"trade\" nor \"order_book_l1\""))
                }
            }
        }
    }
}

/// A trade's price or amount: present, finite and not negative.
fn float(column: &str, values: Option<&Float64Array>, row: usize) -> std::result::Result<f64, String> {
    let values = values.ok_or_else(|| format!("missing: a trade needs its {column}"))?;
    if !values.is_valid(row) {
        return Err("null".into());
    }
    let value = values.value(row);
    if !value.is_finite() || value < 0.0 {
        return Err(format!("{value} is not a finite number >= 0"));
    }
    Ok(value)
}

/// An L1 level: both cells null (or the columns absent) is no level.
fn level(
    (price_column, price): (&'static str, &Option<Decimals>),
    (amount_column, amount): (&'static str, &Option<Decimals>),
    row: usize,
) -> std::result::Result<Option<Level>, (&'static str, String)> {
    let price = price.as_ref().map(|values| values.at(row).map_err(|reason| (price_column, reason))).transpose()?.flatten();
    let amount = amount.as_ref().map(|values| values.at(row).map_err(|reason| (amount_column, reason))).transpose()?.flatten();
    match (price, amount) {
        (Some(price), Some(amount)) => Ok(Some(Level { price, amount })),
        (None, None) => Ok(None),
        (Some(_), None) => Err((amount_column, format!("null where {price_column} is given"))),
        (None, Some(_)) => Err((price_column, format!("null where {amount_column} is given"))),
    }
}

/// A column of L1 prices or amounts: Arrow decimals and decimal text (CSV) are kept exactly;
/// floats become `Decimal`s as barter converts floats (`Decimal::from_f64`, the shortest decimal
/// that reads back as the float).
enum Decimals<'a> {
    Exact(&'a Decimal128Array, u32),
    Text(StringArray),
    Float(Float64Array),
}

impl<'a> Decimals<'a> {
    fn new(name: &str, array: &'a ArrayRef) -> Result<Self> {
        match array.data_type() {
            DataType::Decimal128(_, scale) => {
                let scale = u32::try_from(*scale).ok().filter(|scale| *scale <= 28).ok_or_else(|| {
                    column_error(name, None, format!("decimal scale {scale}: barter's Decimal holds scales 0 to 28"))
                })?;
                Ok(Self::Exact(array.as_primitive(), scale))
            }
            DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => strings(name, array).map(Self::Text),
            _ => floats(name, array).map(Self::Float),
        }
    }

    fn at(&self, row: usize) -> std::result::Result<Option<Decimal>, String> {
        if !self.is_valid(row) {
            return Ok(None);
        }
        let value = match self {
            Self::Exact(values, scale) => Decimal::try_from_i128_with_scale(values.value(row), *scale)
                .map_err(|error| format!("{}: {error}", values.value_as_string(row)))?,
            Self::Text(values) => crate::custom::parse_decimal(values.value(row).trim()).map_err(|error| error.to_string())?,
            Self::Float(values) => {
                let value = values.value(row);
                Decimal::from_f64(value).filter(|_| value.is_finite()).ok_or_else(|| format!("{value} is not a finite number"))?
            }
        };
        if value.is_sign_negative() && !value.is_zero() {
            return Err(format!("{value} is negative"));
        }
        Ok(Some(value))
    }

    fn is_valid(&self, row: usize) -> bool {
        match self {
            Self::Exact(values, _) => values.is_valid(row),
            Self::Text(values) => values.is_valid(row),
            Self::Float(values) => values.is_valid(row),
        }
    }
}

/// A column of any Arrow string type (dictionaries of strings too), or of integers (trade ids).
fn strings(name: &str, array: &ArrayRef) -> Result<StringArray> {
    let utf8 = arrow_cast::cast(array, &DataType::Utf8).map_err(|error| column_error(name, None, format!("{} is not text: {error}", array.data_type())))?;
    Ok(utf8.as_string::<i32>().clone())
}

/// A column of any Arrow number type, as f64 (decimals and integers converted exactly where f64
/// holds them, as barter's trades hold f64).
fn floats(name: &str, array: &ArrayRef) -> Result<Float64Array> {
    if !array.data_type().is_numeric() {
        return Err(column_error(name, None, format!("{} is not a number type", array.data_type())));
    }
    let floats = arrow_cast::cast(array, &DataType::Float64).map_err(|error| column_error(name, None, error))?;
    Ok(floats.as_primitive().clone())
}

/// A column of times as UTC nanoseconds: an Arrow timestamp of any unit with a time zone, int64
/// nanoseconds, or RFC 3339 text. A naive timestamp is refused (its zone is unknown), as is a
/// time outside 1980-2200 (a wrong unit) and a null.
fn times(name: &str, array: &ArrayRef, first_row: usize) -> Result<Vec<i64>> {
    let nanos_per = |unit: &TimeUnit| match unit {
        TimeUnit::Second => 1_000_000_000,
        TimeUnit::Millisecond => 1_000_000,
        TimeUnit::Microsecond => 1_000,
        TimeUnit::Nanosecond => 1,
    };
    let values: Vec<Option<i64>> = match array.data_type() {
        DataType::Timestamp(_, None) => {
            return Err(column_error(
                name,
                None,
                "a timestamp without a time zone: barter's times are UTC; give the column a zone (pandas: .dt.tz_localize(\"UTC\"))",
            ));
        }
        DataType::Timestamp(unit, Some(_)) => {
            let scale = nanos_per(unit);
            let raw: Vec<Option<i64>> = match unit {
                TimeUnit::Second => array.as_primitive::<TimestampSecondType>().iter().collect(),
                TimeUnit::Millisecond => array.as_primitive::<TimestampMillisecondType>().iter().collect(),
                TimeUnit::Microsecond => array.as_primitive::<TimestampMicrosecondType>().iter().collect(),
                TimeUnit::Nanosecond => array.as_primitive::<TimestampNanosecondType>().iter().collect(),
            };
            raw.into_iter().map(|value| value.map(|value| value.saturating_mul(scale))).collect()
        }
        DataType::Int64 => array.as_any().downcast_ref::<Int64Array>().expect("Int64").iter().collect(),
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => {
            let text = strings(name, array)?;
            text.iter()
                .enumerate()
                .map(|(row, text)| {
                    text.map(|text| {
                        crate::custom::parse_timestamp(text)
                            .ok()
                            .and_then(|time| time.timestamp_nanos_opt())
                            .ok_or_else(|| column_error(name, Some(first_row + row), format!("{text:?} is not an RFC 3339 time with nanoseconds at most")))
                    })
                    .transpose()
                })
                .collect::<Result<_>>()?
        }
        other => {
            return Err(column_error(name, None, format!("{other}: expected a timestamp with a time zone, int64 nanoseconds or RFC 3339 text")));
        }
    };
    let (earliest, latest) = (bound(EARLIEST), bound(LATEST));
    values
        .into_iter()
        .enumerate()
        .map(|(row, value)| {
            let error = |reason: String| column_error(name, Some(first_row + row), reason);
            let value = value.ok_or_else(|| error("null".into()))?;
            if !(earliest..latest).contains(&value) {
                return Err(error(format!(
                    "{value} ns ({}) is outside {EARLIEST}..{LATEST}: a time in another unit than its type says?",
                    DateTime::from_timestamp_nanos(value)
                )));
            }
            Ok(value)
        })
        .collect()
}

fn bound(time: &str) -> i64 {
    crate::custom::parse_timestamp(time).ok().and_then(|time| time.timestamp_nanos_opt()).expect("a constant in range")
}

fn column_names(batch: &RecordBatch) -> String {
    let names: Vec<_> = batch.schema().fields().iter().map(|field| field.name().clone()).collect();
    format!("{names:?}")
}

pub(super) fn column_error(column: &str, row: Option<usize>, reason: impl std::fmt::Display) -> BarterError {
    BarterError::Column { column: column.to_owned(), row: row.map(|row| row as u64), reason: reason.to_string() }
}

/// A table that could not be read at all: an Arrow, Parquet or CSV error.
pub(super) fn table_error(error: impl std::fmt::Display) -> BarterError {
    BarterError::InvalidInput { reason: format!("table: {error}") }
}

/// The columns of a CSV file read as text where their meaning needs it: times (parsed as RFC
/// 3339, keeping nanoseconds), L1 levels (parsed as exact decimals), names and ids; the rest as
/// Arrow infers them.
pub(super) fn csv_batches(path: &str) -> Result<impl Iterator<Item = std::result::Result<RecordBatch, ArrowError>>> {
    use arrow_schema::{Field, Schema};
    let open = || std::fs::File::open(path).map_err(|error| BarterError::io(path, error));
    let format = arrow_csv::reader::Format::default().with_header(true);
    let (inferred, _) = format.infer_schema(open()?, None).map_err(table_error)?;
    let text = ["time_exchange", "time_received", "exchange", "instrument", "kind", "side", "trade_id", "bid_price", "bid_amount", "ask_price", "ask_amount"];
    let fields: Vec<Field> = inferred
        .fields()
        .iter()
        .map(|field| if text.contains(&field.name().as_str()) { Field::new(field.name(), DataType::Utf8, true) } else { field.as_ref().clone() })
        .collect();
    arrow_csv::ReaderBuilder::new(std::sync::Arc::new(Schema::new(fields)))
        .with_format(format)
        .build(open()?)
        .map_err(table_error)
}

/// The record batches of a Parquet file.
pub(super) fn parquet_batches(path: &str) -> Result<impl Iterator<Item = std::result::Result<RecordBatch, ArrowError>>> {
    let file = std::fs::File::open(path).map_err(|error| BarterError::io(path, error))?;
    parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|builder| builder.build())
        .map_err(table_error)
}

/// The record batches of an Arrow IPC stream.
pub(super) fn ipc_batches(data: &[u8]) -> Result<impl Iterator<Item = std::result::Result<RecordBatch, ArrowError>> + '_> {
    arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(data), None).map_err(table_error)
}

/// The events as the table [`events`] reads back (see `MarketDataInMemory::to_arrow_ipc`).
pub(super) fn table(events: &[MarketStreamEvent], instruments: &IndexedInstruments) -> Result<Vec<u8>> {
    let items: Vec<&MarketEvent> = events.iter().filter_map(|event| if let Event::Item(item) = event { Some(item) } else { None }).collect();
    let names: Vec<&str> = instruments.instruments().iter().map(|instrument| instrument.value.name_internal.name().as_str()).collect();
    for (row, item) in items.iter().enumerate() {
        if item.instrument.index() >= names.len() {
            return Err(column_error("instrument", Some(row), format!("{} is not one of the {} instruments", item.instrument, names.len())));
        }
        if !matches!(item.kind, DataKind::Trade(_) | DataKind::OrderBookL1(_)) {
            return Err(column_error("kind", Some(row), "only trades and L1 books are rows of a table"));
        }
    }
    fn trade<'a>(item: &&'a MarketEvent) -> Option<&'a PublicTrade> {
        if let DataKind::Trade(trade) = &item.kind { Some(trade) } else { None }
    }
    fn book<'a>(item: &&'a MarketEvent) -> Option<&'a OrderBookL1> {
        if let DataKind::OrderBookL1(book) = &item.kind { Some(book) } else { None }
    }
    let mut table = Table::default();
    table.times("time_exchange", items.iter().map(|item| Some(item.time_exchange)));
    table.times("time_received", items.iter().map(|item| Some(item.time_received)));
    table.text("exchange", items.iter().map(|item| Some(item.exchange.as_str())));
    table.text("instrument", items.iter().map(|item| Some(names[item.instrument.index()])));
    table.text("kind", items.iter().map(|item| Some(if trade(item).is_some() { "trade" } else { "order_book_l1" })));
    table.floats("price", items.iter().map(|item| trade(item).map(|trade| trade.price)));
    table.floats("amount", items.iter().map(|item| trade(item).map(|trade| trade.amount)));
    table.text("side", items.iter().map(|item| trade(item).map(|trade| if trade.side == Side::Buy { "buy" } else { "sell" })));
    table.text("trade_id", items.iter().map(|item| trade(item).map(|trade| trade.id.as_str())));
    let level = |item: &&MarketEvent, bid: bool| book(item).and_then(|book| if bid { book.best_bid } else { book.best_ask });
    table.decimals("bid_price", items.iter().map(|item| level(item, true).map(|level| level.price)));
    table.decimals("bid_amount", items.iter().map(|item| level(item, true).map(|level| level.amount)));
    table.decimals("ask_price", items.iter().map(|item| level(item, false).map(|level| level.price)));
    table.decimals("ask_amount", items.iter().map(|item| level(item, false).map(|level| level.amount)));
    table.ipc()
}
