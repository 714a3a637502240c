//! Bindings for `barter-data`: barter's normalised market events of every kind, exported as
//! themselves, with barter's serde JSON and its order-book helpers.

use crate::{custom::Timestamp, json::json_functions};
use barter_data::{
    books::{self, Level},
    event::DataKind,
    subscription::{
        book::{OrderBookEvent, OrderBookL1},
        candle::Candle,
        liquidation::Liquidation,
        trade::PublicTrade,
    },
};
use barter_instrument::{Side, exchange::ExchangeId, instrument::InstrumentIndex};
use rust_decimal::Decimal;

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

/// What a market stream or market data holds: a `MarketEvent` (`Item`), or a notice that the
/// stream of an exchange is reconnecting (`Reconnecting`).
pub type MarketStreamEvent = barter_data::streams::reconnect::Event<ExchangeId, MarketEvent>;

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

/// barter's mid price of the best bid and ask: `None` unless both exist.
#[uniffi::export]
pub fn order_book_l1_mid_price(book: OrderBookL1) -> Option<Decimal> {
    book.mid_price()
}

/// barter's volume-weighted mid price of the best bid and ask: `None` unless both exist.
#[uniffi::export]
pub fn order_book_l1_volume_weighed_mid_price(book: OrderBookL1) -> Option<Decimal> {
    book.volume_weighed_mid_price()
}

/// barter's mid price of the best bid and ask levels: `None` unless both sides have one.
#[uniffi::export]
pub fn order_book_mid_price(book: BarterOrderBook) -> Option<Decimal> {
    book.mid_price()
}

/// barter's volume-weighted mid price of the best levels: `None` unless both sides have one.
#[uniffi::export]
pub fn order_book_volume_weighed_mid_price(book: BarterOrderBook) -> Option<Decimal> {
    book.volume_weighed_mid_price()
}

json_functions!(MarketStreamEvent, market_stream_event_from_json, market_stream_event_to_json);
json_functions!(MarketEvent, market_event_from_json, market_event_to_json);
json_functions!(DataKind, data_kind_from_json, data_kind_to_json);
json_functions!(PublicTrade, public_trade_from_json, public_trade_to_json);
json_functions!(OrderBookL1, order_book_l1_from_json, order_book_l1_to_json);
json_functions!(Level, level_from_json, level_to_json);
json_functions!(OrderBookEvent, order_book_event_from_json, order_book_event_to_json);
json_functions!(BarterOrderBook, order_book_from_json, order_book_to_json);
json_functions!(Candle, candle_from_json, candle_to_json);
json_functions!(Liquidation, liquidation_from_json, liquidation_to_json);
