//! barter's serde JSON, natively: the reference for the JSON the bindings read and write.
//!
//! barter's example market data is barter's own serde output, line for line, so the Python
//! tests compare the bindings' `to_json` with its lines; for the kinds the file lacks, one value
//! of each is serialised here into `target/parity/data_samples.json` (the Python tests build the
//! same values and compare).

#[allow(dead_code)] // shared with the parity test; only barter's crate directory is needed here
mod native;

use barter_data::{
    books::{Level, OrderBook},
    event::{DataKind, MarketEvent},
    streams::{consumer::MarketStreamEvent, reconnect::Event},
    subscription::{
        book::{OrderBookEvent, OrderBookL1},
        candle::Candle,
        liquidation::Liquidation,
    },
};
use barter_instrument::{Side, exchange::ExchangeId, instrument::InstrumentIndex};
use chrono::{DateTime, Utc};
use rust_decimal::Decimal;
use serde_json::json;

#[test]
fn example_market_data_is_barters_own_serde_output() {
    let text = std::fs::read_to_string(native::barter_crate_dir().join(native::MARKET_DATA)).unwrap();
    for (number, line) in text.lines().enumerate() {
        let event: MarketStreamEvent<InstrumentIndex, DataKind> = serde_json::from_str(line).unwrap();
        assert_eq!(serde_json::to_string(&event).unwrap(), line, "line {}", number + 1);
    }
}

#[test]
fn write_data_samples() {
    let time = |text: &str| text.parse::<DateTime<Utc>>().unwrap();
    let level = |price: &str, amount: &str| Level::new(Decimal::from_str_exact(price).unwrap(), Decimal::from_str_exact(amount).unwrap());
    let candle = Candle {
        close_time: time("2025-03-25T23:07:59.999999999Z"),
        open: 87232.0,
        high: 87300.5,
        low: 87100.25,
        close: 87250.75,
        volume: 12.5,
        trade_count: 42,
    };
    let liquidation = Liquidation { side: Side::Sell, price: 87000.5, quantity: 0.25, time: time("2025-03-25T23:07:01.5Z") };
    // Levels given unsorted: barter sorts bids best (highest) first, asks best (lowest) first.
    let book = OrderBook::new(
        7,
        Some(time("2025-03-25T23:07:00.000000001Z")),
        [level("87231.5", "0.5"), level("87232.00", "1.25")],
        [level("87233.1", "2"), level("87232.01", "0.001")],
    );
    let candle_event: MarketEvent<InstrumentIndex, DataKind> = MarketEvent {
        time_exchange: time("2025-03-25T23:08:00Z"),
        time_received: time("2025-03-25T23:08:00.000123Z"),
        exchange: ExchangeId::Kraken,
        instrument: InstrumentIndex(2),
        kind: DataKind::Candle(candle),
    };
    let l1 = OrderBookL1 { last_update_time: time("2025-03-25T23:07:00.5Z"), best_bid: Some(level("87231.5", "0.5")), best_ask: Some(level("87232.01", "1.75")) };
    let samples = json!({
        "book_mid_price": book.mid_price().unwrap().to_string(),
        "book_volume_weighed_mid_price": book.volume_weighed_mid_price().unwrap().to_string(),
        "l1": serde_json::to_string(&l1).unwrap(),
        "l1_mid_price": l1.mid_price().unwrap().to_string(),
        "l1_volume_weighed_mid_price": l1.volume_weighed_mid_price().unwrap().to_string(),
        "candle": serde_json::to_string(&DataKind::Candle(candle)).unwrap(),
        "liquidation": serde_json::to_string(&DataKind::Liquidation(liquidation)).unwrap(),
        "order_book_snapshot": serde_json::to_string(&DataKind::OrderBook(OrderBookEvent::Snapshot(book))).unwrap(),
        "order_book_update": serde_json::to_string(&DataKind::OrderBook(OrderBookEvent::Update(OrderBook::new(8, None, [], [level("87234", "0")])))).unwrap(),
        "candle_event": serde_json::to_string(&Event::<ExchangeId, _>::Item(candle_event)).unwrap(),
        "reconnecting": serde_json::to_string(&Event::<ExchangeId, MarketEvent<InstrumentIndex, DataKind>>::Reconnecting(ExchangeId::Kraken)).unwrap(),
    });
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/parity");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("data_samples.json"), serde_json::to_string_pretty(&samples).unwrap()).unwrap();
}
