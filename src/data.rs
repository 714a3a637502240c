//! Bindings for `barter-data`: barter's normalised market events of every kind, exported as
//! themselves, with barter's serde JSON and its order-book helpers; market data subscriptions and
//! which exchanges support them.

use crate::{
    custom::Timestamp,
    error::{BarterError, Result, barter_call},
    instrument::IndexedInstruments,
    json::json_functions,
    runtime,
};
use barter_data::{
    books::{self, Level},
    error::DataError,
    event::DataKind,
    subscription::{
        SubKind,
        book::{OrderBookEvent, OrderBookL1},
        candle::Candle,
        liquidation::Liquidation,
        trade::PublicTrade,
    },
};
use barter_instrument::{
    Side,
    exchange::ExchangeId,
    index::error::IndexError,
    instrument::{
        InstrumentIndex,
        market_data::{MarketDataInstrument, kind::MarketDataInstrumentKind},
        name::InstrumentNameExchange,
    },
};
use barter_integration::subscription::SubscriptionId;
use futures::{StreamExt, stream::BoxStream};
use rust_decimal::Decimal;
use std::sync::{Arc, Mutex};

pub type MarketEvent = barter_data::event::MarketEvent<InstrumentIndex, DataKind>;

/// A normalised market event of any kind, for the instrument at `instrument` of the system.
#[uniffi::remote(Record)]
pub struct MarketEvent {
    pub time_exchange: Timestamp,
    pub time_received: Timestamp,
    pub exchange: ExchangeId,
    pub instrument: InstrumentIndex,
    pub kind: DataKind,
}

pub type MarketStreamEvent = barter_data::streams::reconnect::Event<ExchangeId, MarketEvent>;

/// What a market stream or market data holds: a `MarketEvent` (`Item`), or a notice that the
/// stream of an exchange is reconnecting (`Reconnecting`).
#[uniffi::remote(Enum)]
pub enum MarketStreamEvent {
    Reconnecting(ExchangeId),
    Item(MarketEvent),
}

/// The kinds of normalised market data a `MarketEvent` carries.
#[uniffi::remote(Enum)]
pub enum DataKind {
    Trade(PublicTrade),
    OrderBookL1(OrderBookL1),
    OrderBook(OrderBookEvent),
    Candle(Candle),
    Liquidation(Liquidation),
}

/// A public trade: exchange trade `id`, `price`, `amount` and aggressor `side`.
#[uniffi::remote(Record)]
pub struct PublicTrade {
    pub id: String,
    pub price: f64,
    pub amount: f64,
    pub side: Side,
}

/// The best bid and ask levels of an order book, at `last_update_time`.
#[uniffi::remote(Record)]
pub struct OrderBookL1 {
    pub last_update_time: Timestamp,
    pub best_bid: Option<Level>,
    pub best_ask: Option<Level>,
}

/// An order book level: `price` and the `amount` available at it.
#[uniffi::remote(Record)]
pub struct Level {
    pub price: Decimal,
    pub amount: Decimal,
}

/// A full order book, or an update to apply to one.
#[uniffi::remote(Enum)]
pub enum OrderBookEvent {
    Snapshot(BarterOrderBook),
    Update(BarterOrderBook),
}

/// barter's `OrderBook` keeps its fields private; it crosses as [`OrderBook`], its public parts.
type BarterOrderBook = books::OrderBook;

/// A normalised order book: `bids` (best, highest, first) and `asks` (best, lowest, first),
/// with the exchange's `sequence` number and the `time_engine` it was last updated.
#[derive(uniffi::Record)]
pub struct OrderBook {
    pub sequence: u64,
    pub time_engine: Option<Timestamp>,
    pub bids: Vec<Level>,
    pub asks: Vec<Level>,
}

uniffi::custom_type!(BarterOrderBook, OrderBook, {
    remote,
    lower: |book| OrderBook {
        sequence: book.sequence(),
        time_engine: book.time_engine(),
        bids: book.bids().levels().to_vec(),
        asks: book.asks().levels().to_vec(),
    },
    // barter sorts the levels, as it does for every book it builds.
    try_lift: |book| Ok(books::OrderBook::new(book.sequence, book.time_engine, book.bids, book.asks)),
});

/// A candle (OHLCV) closing at `close_time`.
#[uniffi::remote(Record)]
pub struct Candle {
    pub close_time: Timestamp,
    pub open: f64,
    pub high: f64,
    pub low: f64,
    pub close: f64,
    pub volume: f64,
    pub trade_count: u64,
}

/// A liquidation: `side`, `price` and `quantity` liquidated at `time`.
#[uniffi::remote(Record)]
pub struct Liquidation {
    pub side: Side,
    pub price: f64,
    pub quantity: f64,
    pub time: Timestamp,
}

/// barter's mid price of the best bid and ask: `None` unless both exist. Prices beyond
/// Decimal's range raise `BarterError.InvalidValue`.
#[uniffi::export]
pub fn order_book_l1_mid_price(book: OrderBookL1) -> Result<Option<Decimal>> {
    barter_call("OrderBookL1::mid_price", || book.mid_price())
}

/// barter's volume-weighted mid price of the best bid and ask: `None` unless both exist.
/// Levels without volume (barter divides by it) or beyond Decimal's range raise
/// `BarterError.InvalidValue`.
#[uniffi::export]
pub fn order_book_l1_volume_weighed_mid_price(book: OrderBookL1) -> Result<Option<Decimal>> {
    barter_call("OrderBookL1::volume_weighed_mid_price", || book.volume_weighed_mid_price())
}

/// barter's mid price of the best bid and ask levels: `None` unless both sides have one. Prices
/// beyond Decimal's range raise `BarterError.InvalidValue`.
#[uniffi::export]
pub fn order_book_mid_price(book: BarterOrderBook) -> Result<Option<Decimal>> {
    barter_call("OrderBook::mid_price", || book.mid_price())
}

/// barter's volume-weighted mid price of the best levels: `None` unless both sides have one.
/// Levels without volume (barter divides by it) or beyond Decimal's range raise
/// `BarterError.InvalidValue`.
#[uniffi::export]
pub fn order_book_volume_weighed_mid_price(book: BarterOrderBook) -> Result<Option<Decimal>> {
    barter_call("OrderBook::volume_weighed_mid_price", || book.volume_weighed_mid_price())
}

pub type Subscription = barter_data::subscription::Subscription<ExchangeId, MarketDataInstrument, SubKind>;

/// Barter `Subscription` used to subscribe to a `SubKind` of market data for a particular
/// exchange `MarketDataInstrument`.
#[uniffi::remote(Record)]
pub struct Subscription {
    pub exchange: ExchangeId,
    pub instrument: MarketDataInstrument,
    pub kind: SubKind,
}

/// The kinds of market data a `Subscription` can ask for.
#[uniffi::remote(Enum)]
pub enum SubKind {
    PublicTrades,
    OrderBooksL1,
    OrderBooksL2,
    OrderBooksL3,
    Liquidations,
    Candles,
}

pub type MarketInstrumentData = barter_data::instrument::MarketInstrumentData<InstrumentIndex>;

/// An instrument as an indexed market data subscription identifies it: the engine's `key`, the
/// instrument's name on the exchange, and its kind.
#[uniffi::remote(Record)]
pub struct MarketInstrumentData {
    pub key: InstrumentIndex,
    pub name_exchange: InstrumentNameExchange,
    pub kind: MarketDataInstrumentKind,
}

/// Whether barter's connector for `exchange` supports market data for instruments of `instrument_kind`.
#[uniffi::export]
pub fn exchange_supports_instrument_kind(exchange: ExchangeId, instrument_kind: MarketDataInstrumentKind) -> bool {
    barter_data::subscription::exchange_supports_instrument_kind(exchange, &instrument_kind)
}

/// Whether barter's connector for `exchange` supports the `sub_kind` of market data for
/// instruments of `instrument_kind`.
#[uniffi::export]
pub fn exchange_supports_instrument_kind_sub_kind(
    exchange: ExchangeId,
    instrument_kind: MarketDataInstrumentKind,
    sub_kind: SubKind,
) -> bool {
    barter_data::subscription::exchange_supports_instrument_kind_sub_kind(&exchange, &instrument_kind, sub_kind)
}

/// barter-data's errors, as data (a failing call raises `BarterError.Data` with its message).
#[uniffi::remote(Enum)]
pub enum DataError {
    Index(IndexError),
    SubscriptionsEmpty,
    UnsupportedSubKind(SubKind),
    InitialSnapshotMissing(SubscriptionId),
    InitialSnapshotInvalid(String),
    Socket(String),
    Unsupported { exchange: ExchangeId, sub_kind: SubKind },
    InvalidSequence { prev_last_update_id: u64, first_update_id: u64 },
}

/// A failing call of barter-data raises `BarterError.Data` with barter's message.
impl From<barter_data::error::DataError> for BarterError {
    fn from(error: barter_data::error::DataError) -> Self {
        Self::Data { reason: error.to_string() }
    }
}

/// barter's market streams as a system takes them.
pub(crate) type BoxMarketStream = BoxStream<'static, MarketStreamEvent>;

/// The `MarketStreamEvent`s that feed one system's engine (the `market_stream` of `SystemArgs`):
/// barter-data's live streams (`init_indexed_multi_exchange_market_stream`) or in-memory market
/// data replayed as fast as the engine reads it (`MarketDataInMemory.stream()`).
///
/// A stream feeds one system: building a second system from it raises `BarterError.InvalidInput`.
#[derive(uniffi::Object)]
pub struct MarketStream {
    stream: Mutex<Option<BoxMarketStream>>,
    /// The events of in-memory data, checked against the system's instruments when it is built.
    known_events: Option<Arc<Vec<MarketStreamEvent>>>,
}

impl std::fmt::Debug for MarketStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("MarketStream").finish_non_exhaustive()
    }
}

impl MarketStream {
    pub(crate) fn new(stream: BoxMarketStream, known_events: Option<Arc<Vec<MarketStreamEvent>>>) -> Arc<Self> {
        Arc::new(Self { stream: Mutex::new(Some(stream)), known_events })
    }

    /// Whether it replays in-memory data (its events end), rather than a live stream.
    pub(crate) fn is_in_memory(&self) -> bool {
        self.known_events.is_some()
    }

    /// Exchange time of the first market event of in-memory data (`None` for a live stream).
    pub(crate) fn time_first_event(&self) -> Option<crate::custom::Timestamp> {
        self.known_events.as_ref()?.iter().find_map(|event| match event {
            MarketStreamEvent::Item(event) => Some(event.time_exchange),
            MarketStreamEvent::Reconnecting(_) => None,
        })
    }

    /// The stream, for a system trading `instruments`.
    pub(crate) fn take_for(&self, instruments: &barter_instrument::index::IndexedInstruments) -> Result<BoxMarketStream> {
        if let Some(events) = &self.known_events {
            check_keys(events.iter(), instruments)?;
        }
        self.stream
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
            .take()
            .ok_or_else(|| BarterError::InvalidInput { reason: "this MarketStream already feeds a system".into() })
    }
}

/// Fail, naming the first offending event, if an event refers to an instrument index or an
/// exchange that `instruments` does not have: barter's engine would panic on it.
pub(crate) fn check_keys<'a>(
    events: impl IntoIterator<Item = &'a MarketStreamEvent>,
    instruments: &barter_instrument::index::IndexedInstruments,
) -> Result<()> {
    let num_instruments = instruments.instruments().len();
    let has_exchange = |exchange| instruments.find_exchange_index(exchange).is_ok();
    let bad = events.into_iter().enumerate().find_map(|(index, event)| match event {
        MarketStreamEvent::Item(event) if event.instrument.index() >= num_instruments => Some((
            index,
            format!("{}, but the system has {num_instruments} instruments", event.instrument),
        )),
        MarketStreamEvent::Item(MarketEvent { exchange, .. }) | MarketStreamEvent::Reconnecting(exchange)
            if !has_exchange(*exchange) =>
        {
            Some((index, format!("exchange {exchange}, which the system does not have")))
        }
        _ => None,
    });
    match bad {
        None => Ok(()),
        Some((index, what)) => Err(BarterError::Index { reason: format!("market event {} refers to {what}", index + 1) }),
    }
}

/// barter-data's live market streams of every instrument in `instruments`, one subscription per
/// instrument and `sub_kinds` entry, connected to the exchanges' WebSocket APIs (and reconnecting
/// on failure). Blocks until every exchange has accepted its subscriptions; an exchange or kind
/// barter does not support raises `BarterError.Data`.
#[uniffi::export]
pub fn init_indexed_multi_exchange_market_stream(instruments: &IndexedInstruments, sub_kinds: Vec<SubKind>) -> Result<Arc<MarketStream>> {
    let stream = runtime::block_on(
        barter_data::streams::builder::dynamic::indexed::init_indexed_multi_exchange_market_stream(&instruments.0, &sub_kinds),
    )?;
    Ok(MarketStream::new(stream.boxed(), None))
}

json_functions!(
    MarketStreamEvent, MarketEvent, DataKind, PublicTrade, OrderBookL1, Level, OrderBookEvent,
    BarterOrderBook as OrderBook, Candle, Liquidation, Subscription, SubKind, MarketInstrumentData,
    DataError,
);
