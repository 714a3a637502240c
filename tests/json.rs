//! barter's serde JSON, natively: the reference for the JSON the bindings read and write.
//!
//! barter's example market data is barter's own serde output, line for line, so the Python
//! tests compare the bindings' `to_json` with its lines; for the kinds the file lacks, one value
//! of each is serialised here into `target/parity/data_samples.json` (the Python tests build the
//! same values and compare).


use crate::native;
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
use serde_json::{Value, json};

#[test]
fn example_market_data_is_barters_own_serde_output() {
    let text = std::fs::read_to_string(native::barter_crate_dir().join(native::MARKET_DATA)).unwrap();
    for (number, line) in text.lines().enumerate() {
        let event: MarketStreamEvent<InstrumentIndex, DataKind> = serde_json::from_str(line).unwrap();
        assert_eq!(serde_json::to_string(&event).unwrap(), line, "line {}", number + 1);
    }
}

/// barter's JSON of instruments of every kind, as configured (assets by exchange name) and as
/// `IndexedInstruments` indexes them; market data instruments and subscriptions; which exchanges
/// support which instrument and subscription kinds; barter-data's errors; a metric.
#[test]
fn write_instrument_samples() {
    use barter::system::config::InstrumentConfig;
    use barter_data::{
        error::DataError,
        subscription::{Subscription, SubKind, exchange_supports_instrument_kind, exchange_supports_instrument_kind_sub_kind},
    };
    use barter_instrument::{
        Underlying,
        index::{IndexedInstruments, error::IndexError},
        instrument::{
            kind::{
                InstrumentKind, future::FutureContract, option::{OptionContract, OptionExercise, OptionKind},
                perpetual::PerpetualContract,
            },
            market_data::{MarketDataInstrument, kind::{MarketDataFutureContract, MarketDataInstrumentKind, MarketDataOptionContract}},
            quote::InstrumentQuoteAsset,
            spec::{InstrumentSpec, InstrumentSpecNotional, InstrumentSpecPrice, InstrumentSpecQuantity, OrderQuantityUnits},
        },
    };
    use barter_integration::{metric::{Field, Metric, Tag}, subscription::SubscriptionId};

    let decimal = |text: &str| Decimal::from_str_exact(text).unwrap();
    let expiry = "2026-06-26T08:00:00Z".parse::<DateTime<Utc>>().unwrap();
    let spec = InstrumentSpec {
        price: InstrumentSpecPrice { min: decimal("0.1"), tick_size: decimal("0.10") },
        quantity: InstrumentSpecQuantity { unit: OrderQuantityUnits::Asset("BTC".into()), min: decimal("0.001"), increment: decimal("0.001") },
        notional: InstrumentSpecNotional { min: decimal("5") },
    };
    let config = |exchange, name: &str, base: &str, quote: &str, kind, spec| InstrumentConfig {
        exchange,
        name_exchange: name.into(),
        underlying: Underlying::new(base, quote),
        quote: InstrumentQuoteAsset::UnderlyingQuote,
        kind,
        spec,
    };
    let configs = vec![
        config(ExchangeId::BinanceSpot, "BTCUSDT", "BTC", "USDT", InstrumentKind::Spot, Some(spec)),
        config(ExchangeId::BinanceFuturesUsd, "BTCUSDT", "BTC", "USDT", InstrumentKind::Perpetual(PerpetualContract { contract_size: decimal("1"), settlement_asset: "USDT".into() }), None),
        config(ExchangeId::Okx, "BTC-USD-260626", "BTC", "USD", InstrumentKind::Future(FutureContract { contract_size: decimal("100"), settlement_asset: "BTC".into(), expiry }), None),
        config(
            ExchangeId::Okx,
            "BTC-USD-260626-100000-C",
            "BTC",
            "USD",
            InstrumentKind::Option(OptionContract {
                contract_size: decimal("0.01"),
                settlement_asset: "BTC".into(),
                kind: OptionKind::Call,
                exercise: OptionExercise::European,
                expiry,
                strike: decimal("100000"),
            }),
            None,
        ),
    ];
    let indexed = IndexedInstruments::new(configs.clone());
    let market_data_kinds = [
        MarketDataInstrumentKind::Spot,
        MarketDataInstrumentKind::Perpetual,
        MarketDataInstrumentKind::Future(MarketDataFutureContract { expiry }),
        MarketDataInstrumentKind::Option(MarketDataOptionContract { kind: OptionKind::Put, exercise: OptionExercise::American, expiry, strike: decimal("95000.5") }),
    ];
    let sub_kinds = [SubKind::PublicTrades, SubKind::OrderBooksL1, SubKind::OrderBooksL2, SubKind::OrderBooksL3, SubKind::Liquidations, SubKind::Candles];
    // Every exchange's support of every instrument kind (and subscription kind), by barter's JSON names.
    let supports: serde_json::Map<String, Value> = all_exchanges()
        .map(|exchange| {
            let kinds: Vec<Value> = market_data_kinds
                .iter()
                .map(|kind| json!({
                    "any": exchange_supports_instrument_kind(exchange, kind),
                    "sub_kinds": sub_kinds.iter().map(|sub_kind| exchange_supports_instrument_kind_sub_kind(&exchange, kind, *sub_kind)).collect::<Vec<_>>(),
                }))
                .collect();
            (exchange.as_str().to_owned(), Value::Array(kinds))
        })
        .collect();
    let data_errors = [
        DataError::Index(IndexError::InstrumentIndex("InstrumentIndex(9)".into())),
        DataError::SubscriptionsEmpty,
        DataError::UnsupportedSubKind(SubKind::OrderBooksL3),
        DataError::InitialSnapshotMissing(SubscriptionId("btcusdt@depth".into())),
        DataError::InitialSnapshotInvalid("bad".into()),
        DataError::Socket("closed".into()),
        DataError::Unsupported { exchange: ExchangeId::Kraken, sub_kind: SubKind::Liquidations },
        DataError::InvalidSequence { prev_last_update_id: 10, first_update_id: 12 },
    ];
    let metric = Metric {
        name: "order_latency",
        time: 1_742_944_080_000,
        tags: vec![Tag::new("exchange", "binance_spot")],
        fields: vec![Field::new("ms", 12.5), Field::new("count", 3_u64), Field::new("retries", -1_i64), Field::new("ok", true), Field::new("note", String::from("ünïcode"))],
    };
    let samples = json!({
        "configs": configs.iter().map(|config| serde_json::to_string(config).unwrap()).collect::<Vec<_>>(),
        "indexed_instruments": serde_json::to_string(&indexed).unwrap(),
        "instruments": indexed.instruments().iter().map(|keyed| serde_json::to_string(&keyed.value).unwrap()).collect::<Vec<_>>(),
        "market_data_instruments": market_data_kinds.iter().map(|kind| serde_json::to_string(&MarketDataInstrument::new("btc", "usdt", kind.clone())).unwrap()).collect::<Vec<_>>(),
        "subscription": serde_json::to_string(&Subscription::<ExchangeId, MarketDataInstrument, SubKind>::new(ExchangeId::Okx, MarketDataInstrument::new("btc", "usd", market_data_kinds[3].clone()), SubKind::PublicTrades)).unwrap(),
        "supports": supports,
        "data_errors": data_errors.iter().map(|error| json!({"json": serde_json::to_string(error).unwrap(), "message": error.to_string()})).collect::<Vec<_>>(),
        "metric": serde_json::to_string(&metric).unwrap(),
    });
    write_samples("instrument_samples.json", &samples);
}

/// barter-macro's derives act at compile time; their runtime effect is these names: exchange
/// connectors read and write their `ExchangeId`'s JSON name (which the Python tests round-trip
/// through `ExchangeId`), subscription kind markers a snake_case name.
#[test]
fn barter_macro_names_round_trip() {
    use barter_data::{
        exchange::{bitfinex::Bitfinex, coinbase::Coinbase, gateio::spot::GateioServerSpot, kraken::Kraken, okx::Okx},
        subscription::{
            book::{OrderBooksL1, OrderBooksL2, OrderBooksL3},
            trade::PublicTrades,
        },
    };
    use serde::{Serialize, de::DeserializeOwned};

    fn round_trip<T: Serialize + DeserializeOwned + Default + PartialEq + std::fmt::Debug>(expected: &str) {
        let json = serde_json::to_string(&T::default()).unwrap();
        assert_eq!(json, expected);
        assert_eq!(serde_json::from_str::<T>(&json).unwrap(), T::default());
    }
    let exchange = |id: ExchangeId| serde_json::to_string(&id).unwrap();
    round_trip::<Bitfinex>(&exchange(ExchangeId::Bitfinex));
    round_trip::<Coinbase>(&exchange(ExchangeId::Coinbase));
    round_trip::<GateioServerSpot>(&exchange(ExchangeId::GateioSpot));
    round_trip::<Kraken>(&exchange(ExchangeId::Kraken));
    round_trip::<Okx>(&exchange(ExchangeId::Okx));
    round_trip::<PublicTrades>(r#""public_trades""#);
    // barter's own mismatch, kept: SerSubKind writes the book kinds as `order_books_l_1` while
    // DeSubKind reads only `order_books_l1`, so barter cannot read the names it writes.
    fn written_not_read<T: Serialize + DeserializeOwned + Default + PartialEq + std::fmt::Debug>(written: &str, read: &str) {
        assert_eq!(serde_json::to_string(&T::default()).unwrap(), written);
        assert!(serde_json::from_str::<T>(written).is_err());
        assert_eq!(serde_json::from_str::<T>(read).unwrap(), T::default());
    }
    written_not_read::<OrderBooksL1>(r#""order_books_l_1""#, r#""order_books_l1""#);
    written_not_read::<OrderBooksL2>(r#""order_books_l_2""#, r#""order_books_l2""#);
    written_not_read::<OrderBooksL3>(r#""order_books_l_3""#, r#""order_books_l3""#);
}

/// barter's JSON of the engine's events, commands, filters, requests and errors, and of barter's
/// example execution config.
#[test]
fn write_engine_samples() {
    use barter::{
        EngineEvent,
        engine::{
            command::Command,
            error::{EngineError, RecoverableEngineError, UnrecoverableEngineError},
            state::{
                asset::filter::AssetFilter,
                connectivity::{ConnectivityState, Health},
                instrument::filter::InstrumentFilter,
                trading::{TradingState, TradingStateUpdateAudit},
            },
        },
        execution::request::ExecutionRequest,
        risk::{RiskRefused, check::{CheckHigherThan, RiskCheck}},
        shutdown::Shutdown,
        system::{builder::{AuditMode, EngineFeedMode}, config::SystemConfig},
    };
    use barter_execution::{
        AccountEvent, AccountEventKind,
        balance::{AssetBalance, Balance},
        order::{
            OrderEvent, OrderKey, OrderKind, TimeInForce,
            id::{ClientOrderId, OrderId, StrategyId},
            request::{RequestCancel, RequestOpen},
        },
    };
    use barter_instrument::{Underlying, asset::AssetIndex, exchange::ExchangeIndex, index::error::IndexError};
    use barter_integration::collection::{one_or_many::OneOrMany, snapshot::Snapshot};

    let time = |text: &str| text.parse::<DateTime<Utc>>().unwrap();
    let decimal = |text: &str| Decimal::from_str_exact(text).unwrap();
    let key = |cid: &str| OrderKey {
        exchange: ExchangeIndex(0),
        instrument: InstrumentIndex(1),
        strategy: StrategyId::new("python"),
        cid: ClientOrderId::new(cid),
    };
    let open = OrderEvent {
        key: key("cid-1"),
        state: RequestOpen { side: Side::Buy, price: decimal("2059.1"), quantity: decimal("0.5"), kind: OrderKind::Market, time_in_force: TimeInForce::ImmediateOrCancel },
    };
    let cancel = |cid: &str| OrderEvent { key: key(cid), state: RequestCancel { id: Some(OrderId::new("7")) } };
    let filters = [
        InstrumentFilter::None,
        InstrumentFilter::exchanges([ExchangeIndex(0)]),
        InstrumentFilter::instruments([InstrumentIndex(0), InstrumentIndex(2)]),
        InstrumentFilter::underlyings([Underlying::new(AssetIndex(0), AssetIndex(1))]),
    ];
    let commands = [
        Command::SendOpenRequests(OneOrMany::One(open.clone())),
        Command::SendCancelRequests(OneOrMany::Many(vec![cancel("cid-2"), cancel("cid-3")])),
        Command::ClosePositions(InstrumentFilter::None),
        Command::CancelOrders(filters[3].clone()),
    ];
    let market_line = std::fs::read_to_string(native::barter_crate_dir().join(native::MARKET_DATA)).unwrap().lines().next().unwrap().to_owned();
    let balance = AssetBalance { asset: AssetIndex(1), balance: Balance::new(decimal("9999.5"), decimal("9000")), time_exchange: time("2025-03-25T23:07:00.123456789Z") };
    let events: Vec<EngineEvent> = vec![
        EngineEvent::Shutdown(Shutdown),
        EngineEvent::Command(commands[1].clone()),
        EngineEvent::TradingStateUpdate(TradingState::Disabled),
        EngineEvent::Account(Event::Item(AccountEvent { exchange: ExchangeIndex(0), kind: AccountEventKind::BalanceSnapshot(Snapshot(balance)) })),
        EngineEvent::Account(Event::Reconnecting(ExchangeId::BinanceSpot)),
        EngineEvent::Market(serde_json::from_str(&market_line).unwrap()),
    ];
    let errors = [
        EngineError::Recoverable(RecoverableEngineError::ExecutionChannelUnhealthy("full".into())),
        EngineError::Unrecoverable(UnrecoverableEngineError::IndexError(IndexError::ExchangeIndex("ExchangeIndex(3)".into()))),
        EngineError::Unrecoverable(UnrecoverableEngineError::ExecutionChannelTerminated("closed".into())),
        EngineError::Unrecoverable(UnrecoverableEngineError::Custom("ünïcode".into())),
    ];
    let config: Value = serde_json::from_str(&std::fs::read_to_string(native::barter_crate_dir().join(native::CONFIG)).unwrap()).unwrap();
    let system: SystemConfig = serde_json::from_value(config["system"].clone()).unwrap();
    let check_higher_than: Vec<String> = ["9.99", "10", "10.000001"]
        .iter()
        .map(|input| serde_json::to_string(&CheckHigherThan::new(decimal("10")).check(&decimal(input)).err()).unwrap())
        .collect();
    let samples = json!({
        "filters": filters.iter().map(|filter| serde_json::to_string(filter).unwrap()).collect::<Vec<_>>(),
        "asset_filters": [serde_json::to_string(&AssetFilter::None).unwrap(), serde_json::to_string(&AssetFilter::exchanges([ExchangeId::BinanceSpot, ExchangeId::Okx])).unwrap()],
        "commands": commands.iter().map(|command| serde_json::to_string(command).unwrap()).collect::<Vec<_>>(),
        "events": events.iter().map(|event| serde_json::to_string(event).unwrap()).collect::<Vec<_>>(),
        "requests": [
            serde_json::to_string(&ExecutionRequest::<ExchangeIndex, InstrumentIndex>::Shutdown).unwrap(),
            serde_json::to_string(&ExecutionRequest::Open(open.clone())).unwrap(),
            serde_json::to_string(&ExecutionRequest::Cancel(cancel("cid-4"))).unwrap(),
        ],
        "errors": errors.iter().map(|error| json!({"json": serde_json::to_string(error).unwrap(), "message": error.to_string()})).collect::<Vec<_>>(),
        "trading_state_update": serde_json::to_string(&TradingStateUpdateAudit { prev: TradingState::Enabled, current: TradingState::Disabled }).unwrap(),
        "connectivity": serde_json::to_string(&ConnectivityState { market_data: Health::Healthy, account: Health::Reconnecting }).unwrap(),
        "execution_config": serde_json::to_string(&system.executions[0]).unwrap(),
        "system": serde_json::to_string(&system).unwrap(),
        "audit_modes": [serde_json::to_string(&AuditMode::Enabled).unwrap(), serde_json::to_string(&AuditMode::Disabled).unwrap()],
        "feed_modes": [serde_json::to_string(&EngineFeedMode::Iterator).unwrap(), serde_json::to_string(&EngineFeedMode::Stream).unwrap()],
        "keyed_balance": serde_json::to_string(&barter_instrument::Keyed::new(
            barter_instrument::asset::ExchangeAsset::<barter_instrument::asset::name::AssetNameInternal>::new(barter_instrument::exchange::ExchangeId::BinanceSpot, "usdt"),
            Balance::new(Decimal::new(1000050, 2), Decimal::new(99, 0)),
        )).unwrap(),
        "risk_refused_open": serde_json::to_string(&RiskRefused::new(open.clone(), "too big")).unwrap(),
        "risk_refused_cancel": serde_json::to_string(&RiskRefused::new(cancel("cid-5"), "ünïcode")).unwrap(),
        // barter's verdicts of CheckHigherThan(limit 10) on 9.99, 10 and 10.000001.
        "check_higher_than": check_higher_than,
    });
    write_samples("engine_samples.json", &samples);
}

/// barter's initial `EngineState` of the example backtest, as the bindings build it (their
/// strategies' instrument data), and the `TradingSummary` barter's `TradingSummaryGenerator::init`
/// generates from it, in the bindings' documented JSON form.
#[test]
fn write_engine_state_sample() {
    use barter::statistic::{summary::TradingSummaryGenerator, time::Daily};
    use barter_ffi::barter::{statistic::{SummaryInterval, trading_summary_to_json}, strategy::{GlobalData, InstrumentMarketData}};

    let dir = native::barter_crate_dir();
    let config = native::load_config(&dir, None);
    let args = native::args_constant::<Daily, InstrumentMarketData, GlobalData>(config.system, native::load_events(&dir), Daily);
    let state = &args.engine_state;
    let start = state.instruments.0.values().next().unwrap().tear_sheet.time_engine_start;
    let summary = TradingSummaryGenerator::init(config.risk_free_return, start, start, &state.instruments, &state.assets).generate(SummaryInterval::Daily);
    let samples = json!({
        "engine_state": serde_json::to_string(state).unwrap(),
        "risk_free_return": config.risk_free_return.to_string(),
        "time_engine_start": start.to_rfc3339_opts(chrono::SecondsFormat::Nanos, true),
        "trading_summary": trading_summary_to_json(summary).unwrap(),
    });
    write_samples("engine_state_sample.json", &samples);
}

/// Every `ExchangeId`, in declaration order: serde's derive reads a variant from its index.
fn all_exchanges() -> impl Iterator<Item = ExchangeId> {
    use serde::{Deserialize, de::value::{Error, U32Deserializer}};
    (0..).map_while(|index| ExchangeId::deserialize(U32Deserializer::<Error>::new(index)).ok())
}

/// barter's serde JSON of `value`.
fn json<T: serde::Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap()
}

/// Write `samples` into `target/parity/{name}` for the Python tests.
fn write_samples(name: &str, samples: &Value) {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/parity");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join(name), serde_json::to_string_pretty(samples).unwrap()).unwrap();
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

/// barter-execution natively: barter's serde JSON of one value of each execution type, barter's
/// `AccountEventIndexer` on one of them, and a session with barter's `MockExchange` through
/// barter's `MockExecution` client (the example config, latency 0), all written to
/// `target/parity/execution_samples.json`; the Python tests build and run the same.
#[test]
fn write_execution_samples() {
    use barter_execution::{
        AccountEvent, AccountEventKind, AccountSnapshot, InstrumentAccountSnapshot, UnindexedAccountEvent,
        balance::{AssetBalance, Balance},
        client::{ExecutionClient, mock::{MockExecution, MockExecutionClientConfig}},
        error::{ApiError, ClientError, ConnectivityError, KeyError, OrderError, UnindexedOrderError},
        exchange::mock::MockExchange,
        indexer::AccountEventIndexer,
        map::generate_execution_instrument_map,
        order::{
            Order, OrderEvent, OrderKey, OrderKind, TimeInForce,
            id::{ClientOrderId, OrderId, StrategyId},
            request::{RequestCancel, RequestOpen},
            state::{CancelInFlight, Cancelled, Open, OpenInFlight, OrderState},
        },
        trade::{AssetFees, Trade, TradeId},
    };
    use barter::system::config::ExecutionConfig;
    use barter_instrument::{
        asset::{Asset, AssetIndex, name::AssetNameExchange},
        exchange::ExchangeIndex,
        index::IndexedInstruments,
        instrument::{Instrument, name::InstrumentNameExchange},
    };
    use barter_integration::collection::snapshot::Snapshot;
    use futures::StreamExt;
    use serde::Serialize;

    let time = |text: &str| text.parse::<DateTime<Utc>>().unwrap();
    let dec = |text: &str| Decimal::from_str_exact(text).unwrap();

    // --- One value of each type (indexed), and their unindexed counterparts.
    let key = OrderKey { exchange: ExchangeIndex(0), instrument: InstrumentIndex(1), strategy: StrategyId::new("strategy-a"), cid: ClientOrderId::new("cid-1") };
    let open = Open { id: OrderId::new("7"), time_exchange: time("2025-03-25T23:07:00.123456789Z"), filled_quantity: dec("0.005") };
    let cancelled = Cancelled { id: OrderId::new("7"), time_exchange: time("2025-03-25T23:08:00Z") };
    let request_open = RequestOpen { side: Side::Buy, price: dec("87000.5"), quantity: dec("0.01"), kind: OrderKind::Market, time_in_force: TimeInForce::GoodUntilCancelled { post_only: true } };
    let states: Vec<OrderState> = vec![
        OrderState::active(OpenInFlight),
        OrderState::active(open.clone()),
        OrderState::active(CancelInFlight { order: None }),
        OrderState::active(CancelInFlight { order: Some(open.clone()) }),
        OrderState::inactive(cancelled.clone()),
        OrderState::fully_filled(),
        OrderState::inactive(OrderError::Rejected(ApiError::BalanceInsufficient(AssetIndex(1), "Available Balance: 1".into()))),
        OrderState::inactive(OrderError::Connectivity(ConnectivityError::Timeout)),
        OrderState::expired(),
    ];
    let order = |state: OrderState| Order { key: key.clone(), side: Side::Sell, price: dec("2059.10"), quantity: dec("-0.5"), kind: OrderKind::Limit, time_in_force: TimeInForce::ImmediateOrCancel, state };
    let trade = Trade { id: TradeId::new("t-1"), order_id: OrderId::new("7"), instrument: InstrumentIndex(1), strategy: StrategyId::new("strategy-a"), time_exchange: time("2025-03-25T23:07:00.5Z"), side: Side::Buy, price: dec("87000.5"), quantity: dec("0.01"), fees: AssetFees::quote_fees(dec("0.435")) };
    let balance = AssetBalance { asset: AssetIndex(1), balance: Balance { total: dec("10000"), free: dec("9000.25") }, time_exchange: time("2025-03-25T23:06:00.000000001Z") };
    let snapshot = AccountSnapshot { exchange: ExchangeIndex(0), balances: vec![balance.clone()], instruments: vec![InstrumentAccountSnapshot { instrument: InstrumentIndex(1), orders: vec![order(OrderState::active(open.clone())), order(OrderState::inactive(cancelled.clone()))] }] };
    let kinds: Vec<AccountEventKind<ExchangeIndex, AssetIndex, InstrumentIndex>> = vec![
        AccountEventKind::Snapshot(snapshot.clone()),
        AccountEventKind::BalanceSnapshot(Snapshot(balance.clone())),
        AccountEventKind::OrderSnapshot(Snapshot(order(OrderState::active(open.clone())))),
        AccountEventKind::OrderCancelled(OrderEvent { key: key.clone(), state: Ok(cancelled.clone()) }),
        AccountEventKind::OrderCancelled(OrderEvent { key: key.clone(), state: Err(OrderError::Connectivity(ConnectivityError::ExchangeOffline(ExchangeId::BinanceSpot))) }),
        AccountEventKind::Trade(trade.clone()),
    ];
    let client_errors: Vec<ClientError> = vec![
        ClientError::Connectivity(ConnectivityError::Socket("closed".into())),
        ClientError::Api(ApiError::AssetInvalid(AssetIndex(2), "bad asset".into())),
        ClientError::Api(ApiError::InstrumentInvalid(InstrumentIndex(3), "bad instrument".into())),
        ClientError::Api(ApiError::RateLimit),
        ClientError::Api(ApiError::OrderRejected("no".into())),
        ClientError::Api(ApiError::OrderAlreadyCancelled),
        ClientError::Api(ApiError::OrderAlreadyFullyFilled),
        ClientError::AccountSnapshot("snapshot failed".into()),
        ClientError::AccountStream("stream failed".into()),
    ];
    let key_errors = vec![KeyError::ExchangeId("e".into()), KeyError::AssetKey("a".into()), KeyError::InstrumentKey("i".into())];
    let unindexed_key = OrderKey { exchange: ExchangeId::BinanceSpot, instrument: InstrumentNameExchange::new("BTCUSDT"), strategy: StrategyId::new("strategy-a"), cid: ClientOrderId::new("cid-1") };
    let unindexed_trade: UnindexedAccountEvent = AccountEvent::new(
        ExchangeId::BinanceSpot,
        Trade {
            id: trade.id.clone(),
            order_id: trade.order_id.clone(),
            instrument: InstrumentNameExchange::new("BTCUSDT"),
            strategy: trade.strategy.clone(),
            time_exchange: trade.time_exchange,
            side: trade.side,
            price: trade.price,
            quantity: trade.quantity,
            fees: trade.fees.clone(),
        },
    );
    let unindexed_failed: UnindexedAccountEvent = AccountEvent::new(
        ExchangeId::BinanceSpot,
        Snapshot(Order {
            key: unindexed_key.clone(),
            side: Side::Buy,
            price: dec("1"),
            quantity: dec("2"),
            kind: OrderKind::Market,
            time_in_force: TimeInForce::FillOrKill,
            state: OrderState::inactive(UnindexedOrderError::Rejected(ApiError::BalanceInsufficient(AssetNameExchange::new("usdt"), "short".into()))),
        }),
    );

    // --- barter's AccountEventIndexer over the example config's instruments.
    let dir = native::barter_crate_dir();
    let config = native::load_config(&dir, Some(0));
    let instruments = IndexedInstruments::new(config.system.instruments.clone());
    let indexer = AccountEventIndexer::new(std::sync::Arc::new(generate_execution_instrument_map(&instruments, ExchangeId::BinanceSpot).unwrap()));

    // --- A session with barter's MockExchange through barter's MockExecution client.
    let ExecutionConfig::Mock(mock_config) = config.system.executions[0].clone();
    let mock_instruments = config
        .system
        .instruments
        .iter()
        .map(|instrument| {
            let instrument = Instrument::<ExchangeId, Asset>::from(instrument.clone());
            let instrument = instrument.map_asset_key_with_lookup(|asset| Ok::<_, ()>(asset.name_exchange.clone())).unwrap();
            (instrument.name_exchange.clone(), instrument)
        })
        .collect();
    let request = |instrument: &str, cid: &str, side: Side, price: &str, quantity: &str, kind: OrderKind| OrderEvent {
        key: OrderKey { exchange: ExchangeId::BinanceSpot, instrument: InstrumentNameExchange::new(instrument), strategy: StrategyId::new("strategy-a"), cid: ClientOrderId::new(cid) },
        state: RequestOpen { side, price: dec(price), quantity: dec(quantity), kind, time_in_force: TimeInForce::ImmediateOrCancel },
    };
    fn borrow(request: &OrderEvent<RequestOpen, ExchangeId, InstrumentNameExchange>) -> OrderEvent<RequestOpen, ExchangeId, &InstrumentNameExchange> {
        OrderEvent {
            key: OrderKey { exchange: request.key.exchange, instrument: &request.key.instrument, strategy: request.key.strategy.clone(), cid: request.key.cid.clone() },
            state: request.state.clone(),
        }
    }
    let runtime = tokio::runtime::Builder::new_multi_thread().enable_all().build().unwrap();
    let session = runtime.block_on(async {
        let (request_tx, request_rx) = tokio::sync::mpsc::unbounded_channel();
        let (event_tx, event_rx) = tokio::sync::broadcast::channel(256);
        tokio::spawn(MockExchange::new(mock_config.clone(), request_rx, event_tx, mock_instruments).run());
        let client = <MockExecution<fn() -> DateTime<Utc>> as ExecutionClient>::new(MockExecutionClientConfig { mocked_exchange: ExchangeId::BinanceSpot, clock: Utc::now as fn() -> DateTime<Utc>, request_tx, event_rx });
        let mut stream = client.account_stream(&[], &[]).await.unwrap();
        let buy = client.open_order(borrow(&request("BTCUSDT", "cid-1", Side::Buy, "87000.5", "0.01", OrderKind::Market))).await.unwrap();
        let buy_events: Vec<_> = stream.by_ref().take(2).collect().await;
        let sell = client.open_order(borrow(&request("ETHUSDT", "cid-2", Side::Sell, "2059.1", "0.5", OrderKind::Market))).await.unwrap();
        let sell_events: Vec<_> = stream.by_ref().take(2).collect().await;
        let limit = client.open_order(borrow(&request("BTCUSDT", "cid-3", Side::Buy, "87000", "0.01", OrderKind::Limit))).await.unwrap();
        let too_big = client.open_order(borrow(&request("BTCUSDT", "cid-4", Side::Buy, "87000", "1000", OrderKind::Market))).await.unwrap();
        let unknown = client.open_order(borrow(&request("DOGEUSDT", "cid-5", Side::Buy, "1", "1", OrderKind::Market))).await.unwrap();
        let cancel = client
            .cancel_order(OrderEvent { key: OrderKey { exchange: unindexed_key.exchange, instrument: &unindexed_key.instrument, strategy: unindexed_key.strategy.clone(), cid: unindexed_key.cid.clone() }, state: RequestCancel { id: Some(OrderId::new("0")) } })
            .await
            .unwrap();
        let mut balances = client.fetch_balances(&[AssetNameExchange::new("usdt"), AssetNameExchange::new("btc")]).await.unwrap();
        balances.sort_by(|a, b| a.asset.cmp(&b.asset));
        let open_orders = client.fetch_open_orders(&[InstrumentNameExchange::new("BTCUSDT")]).await.unwrap();
        let trades = client.fetch_trades(time("2000-01-01T00:00:00Z")).await.unwrap();
        let mut snapshot = client.account_snapshot(&[], &[]).await.unwrap();
        snapshot.balances.sort_by(|a, b| a.asset.cmp(&b.asset));
        json!({
            "buy": json(&buy), "buy_events": json(&buy_events), "sell": json(&sell), "sell_events": json(&sell_events),
            "limit": json(&limit), "too_big": json(&too_big), "unknown": json(&unknown), "cancel": json(&cancel),
            "balances": json(&balances), "open_orders": json(&open_orders), "trades": json(&trades), "snapshot": json(&snapshot),
        })
    });

    #[derive(Serialize)]
    struct Samples {
        order_request_open: String,
        unindexed_order_request_cancel: String,
        orders: Vec<String>,
        account_events: Vec<String>,
        client_errors: Vec<String>,
        key_errors: Vec<String>,
        unindexed_trade_event: String,
        unindexed_failed_event: String,
        indexed_trade_event: String,
        indexed_failed_event: String,
        indexed_order_request_open: String,
        mock_execution_config: String,
        balance_used: String,
        trade_value_quote: String,
        snapshot_time_most_recent: String,
        mock_session: serde_json::Value,
    }
    let request_open_indexed = OrderEvent { key: key.clone(), state: request_open.clone() };
    let samples = Samples {
        order_request_open: json(&request_open_indexed),
        unindexed_order_request_cancel: json(&OrderEvent { key: unindexed_key.clone(), state: RequestCancel { id: Some(OrderId::new("7")) } }),
        orders: states.into_iter().map(|state| json(&order(state))).collect(),
        account_events: kinds.into_iter().map(|kind| json(&AccountEvent::new(ExchangeIndex(0), kind))).collect(),
        client_errors: client_errors.iter().map(json).collect(),
        key_errors: key_errors.iter().map(|error| json(error)).collect(),
        unindexed_trade_event: json(&unindexed_trade),
        unindexed_failed_event: json(&unindexed_failed),
        indexed_trade_event: json(&indexer.account_event(unindexed_trade.clone()).unwrap()),
        indexed_failed_event: json(&indexer.account_event(unindexed_failed.clone()).unwrap()),
        indexed_order_request_open: json(&indexer.order_request(&OrderEvent { key: OrderKey { instrument: InstrumentIndex(0), ..key.clone() }, state: request_open.clone() }).unwrap()),
        mock_execution_config: json(&mock_config),
        balance_used: balance.balance.used().to_string(),
        trade_value_quote: trade.value_quote().to_string(),
        snapshot_time_most_recent: json(&snapshot.time_most_recent()),
        mock_session: session,
    };
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target/parity");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("execution_samples.json"), serde_json::to_string_pretty(&samples).unwrap()).unwrap();
}

/// barter's positions and statistics, natively: a table of trades (shared with
/// tests/python/test_statistic.py) through barter's `PositionManager`, the exits and balances
/// through barter's `TradingSummaryGenerator`, barter's drawdown generators and metrics; written
/// to `target/parity/statistic_samples.json`. Also shows that `TradingSummary`'s JSON form is
/// barter's serde output but for `assets`, which are `[ExchangeAsset, TearSheetAsset]` pairs.
#[test]
fn write_statistic_samples() {
    use barter::{
        Timed,
        engine::state::position::PositionManager,
        statistic::{
            metric::{
                calmar::CalmarRatio, drawdown::DrawdownGenerator, rate_of_return::RateOfReturn, sharpe::SharpeRatio,
                sortino::SortinoRatio,
            },
            summary::{TradingSummaryGenerator, asset::TearSheetAssetGenerator, instrument::TearSheetGenerator},
        },
    };
    use barter_execution::{
        balance::{AssetBalance, Balance},
        order::id::{OrderId, StrategyId},
        trade::{AssetFees, Trade, TradeId},
    };
    use barter_ffi::barter::statistic::{SummaryInterval, generator::trading_summary_generator_json, trading_summary_to_json};
    use barter_instrument::{
        asset::{AssetIndex, ExchangeAsset, QuoteAsset, name::AssetNameInternal},
        instrument::name::InstrumentNameInternal,
    };
    use barter_integration::collection::snapshot::Snapshot;

    let decimal = |text: &str| Decimal::from_str_exact(text).unwrap();
    let start: DateTime<Utc> = "2025-03-25T00:00:00.000000001Z".parse().unwrap();
    let at = |seconds: i64| start + chrono::TimeDelta::seconds(seconds);
    // (instrument, side, price, quantity, fees, seconds after start): increase, reduce, close,
    // open SHORT, flip to LONG, close; a losing round trip of instrument 1.
    let table = [
        (0, Side::Buy, "100", "1", "0.1", 60),
        (0, Side::Buy, "110", "1", "0.1", 120),
        (1, Side::Buy, "10", "5", "0.01", 150),
        (0, Side::Sell, "120", "0.5", "0.05", 180),
        (0, Side::Sell, "90", "1.5", "0.15", 3600),
        (1, Side::Sell, "9", "5", "0.01", 4000),
        (0, Side::Sell, "95", "2", "0.2", 7200),
        (0, Side::Buy, "80", "3", "0.3", 86400),
        (0, Side::Sell, "85", "1", "0.1", 172800),
    ];
    let trades: Vec<Trade<QuoteAsset, InstrumentIndex>> = table
        .iter()
        .enumerate()
        .map(|(number, (instrument, side, price, quantity, fees, seconds))| Trade {
            id: TradeId::new(format!("trade-{number}")),
            order_id: OrderId::new(format!("order-{number}")),
            instrument: InstrumentIndex(*instrument),
            strategy: StrategyId::new("strategy"),
            time_exchange: at(*seconds),
            side: *side,
            price: decimal(price),
            quantity: decimal(quantity),
            fees: AssetFees { asset: QuoteAsset, fees: decimal(fees) },
        })
        .collect();

    // barter's PositionManager per instrument: its state and exit after every trade.
    let mut managers = [PositionManager::default(), PositionManager::default()];
    let mut managers_after = Vec::new();
    let mut exits = Vec::new();
    let mut exits_after = Vec::new();
    for trade in &trades {
        let exited = managers[trade.instrument.index()].update_from_trade(trade);
        managers_after.push(serde_json::to_string(&managers[trade.instrument.index()]).unwrap());
        exits_after.push(serde_json::to_string(&exited).unwrap());
        exits.extend(exited);
    }
    assert_eq!(exits.len(), 4, "the table closes four positions");

    // barter's TradingSummaryGenerator: two instruments, two assets, the exits and balances.
    let usdt = ExchangeAsset::new(ExchangeId::BinanceSpot, AssetNameInternal::new("usdt"));
    let btc = ExchangeAsset::new(ExchangeId::BinanceSpot, AssetNameInternal::new("btc"));
    let mut generator = TradingSummaryGenerator::new(
        decimal("0.0001"),
        start,
        start,
        [("binancespot-btc_usdt", TearSheetGenerator::init(start)), ("binancespot-eth_usdt", TearSheetGenerator::init(start))]
            .into_iter()
            .map(|(name, generator)| (InstrumentNameInternal::new(name), generator))
            .collect(),
        [
            (usdt.clone(), TearSheetAssetGenerator::init(&Timed::new(Balance::new(decimal("1000"), decimal("1000")), start))),
            (btc.clone(), TearSheetAssetGenerator::init(&Timed::new(Balance::new(decimal("1"), decimal("0.5")), start))),
        ]
        .into_iter()
        .collect(),
    );
    let balances = [(0, "900", "850", 100), (1, "2", "2", 200), (0, "950", "950", 5000), (0, "800", "800", 9000), (0, "1200", "1100", 90000)];
    let balances: Vec<AssetBalance<AssetIndex>> = balances
        .iter()
        .map(|(asset, total, free, seconds)| AssetBalance {
            asset: AssetIndex(*asset),
            balance: Balance::new(decimal(total), decimal(free)),
            time_exchange: at(*seconds),
        })
        .collect();
    for exited in &exits {
        generator.update_from_position(exited);
    }
    for balance in &balances {
        generator.update_from_balance(Snapshot(balance));
    }
    generator.update_time_now(at(200000));
    // The generator's JSON form: barter's serde output of it but for `assets`.
    let generator_json = |generator: &TradingSummaryGenerator| {
        let form: Value = serde_json::from_str(&trading_summary_generator_json(generator).unwrap()).unwrap();
        let mut without_assets = generator.clone();
        without_assets.assets.clear();
        let mut barter_serde = serde_json::to_value(&without_assets).unwrap();
        barter_serde["assets"] = generator.assets.iter().map(|(asset, tear_sheet)| json!([asset, tear_sheet])).collect();
        assert_eq!(form, barter_serde);
        trading_summary_generator_json(generator).unwrap()
    };
    let generator_before_generate = generator_json(&generator);
    let summary = generator.generate(SummaryInterval::Daily);

    // The JSON form: barter's serde output of the summary but for `assets`.
    let form: Value = serde_json::from_str(&trading_summary_to_json(summary.clone()).unwrap()).unwrap();
    let mut without_assets = summary.clone();
    without_assets.assets.clear();
    let mut barter_serde = serde_json::to_value(&without_assets).unwrap();
    barter_serde["assets"] = summary.assets.iter().map(|(asset, tear_sheet)| json!([asset, tear_sheet])).collect();
    assert_eq!(form, barter_serde);
    assert_eq!(form.as_object().unwrap().keys().collect::<Vec<_>>(), barter_serde.as_object().unwrap().keys().collect::<Vec<_>>());

    // barter's DrawdownGenerator over a series (of the usdt balances), after each point.
    let mut drawdown = DrawdownGenerator::init(Timed::new(decimal("1000"), start));
    let drawdowns: Vec<String> = balances
        .iter()
        .filter(|balance| balance.asset == AssetIndex(0))
        .map(|balance| serde_json::to_string(&drawdown.update(Timed::new(balance.balance.total, balance.time_exchange))).unwrap())
        .collect();

    // barter's metric constructors, then scaled from Daily to Annual365.
    let (risk_free, mean, std_dev, max_drawdown) = (decimal("0.0001"), decimal("0.0123"), decimal("0.045"), decimal("0.2"));
    let interval = (SummaryInterval::Daily, SummaryInterval::Annual365);
    let metrics = json!({
        "rate_of_return": serde_json::to_string(&RateOfReturn::calculate(mean, interval.0).scale(interval.1)).unwrap(),
        "sharpe_ratio": serde_json::to_string(&SharpeRatio::calculate(risk_free, mean, std_dev, interval.0).scale(interval.1)).unwrap(),
        "sortino_ratio": serde_json::to_string(&SortinoRatio::calculate(risk_free, mean, std_dev, interval.0).scale(interval.1)).unwrap(),
        "calmar_ratio": serde_json::to_string(&CalmarRatio::calculate(risk_free, mean, max_drawdown, interval.0).scale(interval.1)).unwrap(),
    });

    let samples = json!({
        "trades": trades.iter().map(|trade| serde_json::to_string(trade).unwrap()).collect::<Vec<_>>(),
        "managers_after": managers_after,
        "exits_after": exits_after,
        "generator_before_generate": generator_before_generate,
        "generator_after_generate": generator_json(&generator),
        "summary": trading_summary_to_json(summary).unwrap(),
        "balances": balances.iter().map(|balance| serde_json::to_string(balance).unwrap()).collect::<Vec<_>>(),
        "drawdowns": drawdowns,
        "drawdown_generate": serde_json::to_string(&drawdown.generate()).unwrap(),
        "metrics": metrics,
    });
    write_samples("statistic_samples.json", &samples);
}

/// What barter's engine emits, natively: barter's `Engine` (the bindings' engine state and
/// strategy, buying every public trade, with barter's `DefaultRiskManager` (through the bindings'
/// risk adapter), and a clock that
/// steps a millisecond per event) processes a sequence of events with `process_with_audit`, and
/// the audit ticks it produced (then `FeedEnded`) are written with one value of each output type
/// barter builds outside a run, to `target/parity/audit_samples.json`.
#[test]
fn write_audit_samples() {
    use barter::{
        EngineEvent,
        engine::{
            Engine, EngineMeta, EngineOutput, Processor, UpdateFromAccountOutput, UpdateFromMarketOutput,
            UpdateTradingStateOutput,
            action::{
                ActionOutput,
                generate_algo_orders::GenerateAlgoOrdersOutput,
                send_requests::{SendCancelsAndOpensOutput, SendRequestsOutput},
            },
            audit::{AuditTick, Auditor, EngineAudit, context::EngineContext},
            clock::EngineClock,
            command::Command,
            error::{EngineError, RecoverableEngineError, UnrecoverableEngineError},
            execution_tx::MultiExchangeTxMap,
            process_with_audit,
            state::{builder::EngineStateBuilder, instrument::filter::InstrumentFilter, trading::TradingState},
        },
        execution::{AccountStreamEvent, error::ExecutionError},
        risk::RiskRefused,
        shutdown::Shutdown,
    };
    use barter_execution::{
        AccountEvent, AccountEventKind,
        error::{ApiError, ClientError, ConnectivityError},
        order::{
            OrderEvent, OrderKey, OrderKind, TimeInForce,
            id::{ClientOrderId, OrderId, StrategyId},
            request::{RequestCancel, RequestOpen},
        },
        trade::{AssetFees, Trade, TradeId},
    };
    use barter_ffi::barter::{backtest::initial_balances, risk::manager::BindingsRisk, strategy::{BindingsStrategy, GlobalData, InstrumentMarketData, Strategy}};
    use barter_instrument::{asset::AssetIndex, exchange::ExchangeIndex, index::{IndexedInstruments, error::IndexError}};
    use barter_integration::{
        FeedEnded,
        channel::mpsc_unbounded,
        collection::{none_one_or_many::NoneOneOrMany, one_or_many::OneOrMany},
    };

    /// A clock a millisecond later on every event: deterministic audit times.
    struct SteppingClock(DateTime<Utc>);
    impl EngineClock for SteppingClock {
        fn time(&self) -> DateTime<Utc> {
            self.0
        }
    }
    impl Processor<&EngineEvent> for SteppingClock {
        type Audit = ();
        fn process(&mut self, _: &EngineEvent) {
            self.0 += chrono::TimeDelta::milliseconds(1);
        }
    }

    let time = |text: &str| text.parse::<DateTime<Utc>>().unwrap();
    let decimal = |text: &str| Decimal::from_str_exact(text).unwrap();

    let dir = native::barter_crate_dir();
    let config = native::load_config(&dir, Some(0));
    let instruments = IndexedInstruments::new(config.system.instruments.clone());
    let start = time("2025-03-25T23:07:00Z");
    let state = EngineStateBuilder::new(&instruments, GlobalData::default(), |_| InstrumentMarketData::default())
        .time_engine_start(start)
        .trading_state(TradingState::Enabled)
        .balances(initial_balances(&instruments, &config.system.executions.iter().cloned().map(Into::into).collect::<Vec<_>>()).unwrap())
        .build();
    let (execution_tx, execution_rx) = mpsc_unbounded();
    let execution_txs = MultiExchangeTxMap::from_iter([(ExchangeId::BinanceSpot, Some(execution_tx))]);
    let strategy = BindingsStrategy::backtest(Strategy::BuyEveryTrade);
    let risk = BindingsRisk::new(None, strategy.scope(), false);
    let mut engine = Engine::new(SteppingClock(start), state, execution_txs, strategy, risk);
    let meta_start = json(&engine.meta);

    let key = |cid: &str| OrderKey { exchange: ExchangeIndex(0), instrument: InstrumentIndex(0), strategy: StrategyId::new("python"), cid: ClientOrderId::new(cid) };
    let open = |cid: &str, side| OrderEvent { key: key(cid), state: RequestOpen { side, price: decimal("87000"), quantity: decimal("0.01"), kind: OrderKind::Market, time_in_force: TimeInForce::ImmediateOrCancel } };
    let cancel = |cid: &str| OrderEvent { key: key(cid), state: RequestCancel { id: Some(OrderId::new("7")) } };
    let trade = |id: &str, side, price: &str, seconds| {
        EngineEvent::Account(AccountStreamEvent::Item(AccountEvent::new(
            ExchangeIndex(0),
            AccountEventKind::Trade(Trade {
                id: TradeId::new(id),
                order_id: OrderId::new(id),
                instrument: InstrumentIndex(0),
                strategy: StrategyId::new("python"),
                time_exchange: start + chrono::TimeDelta::seconds(seconds),
                side,
                price: decimal(price),
                quantity: decimal("0.01"),
                fees: AssetFees::quote_fees(decimal("0.1")),
            }),
        )))
    };
    let public_trade = std::fs::read_to_string(dir.join(native::MARKET_DATA)).unwrap().lines().find(|line| line.contains("\"Trade\"")).unwrap().to_owned();
    // Sent while the execution is listening, then after it stopped (the sends fail).
    let listening = vec![
        EngineEvent::Command(Command::SendOpenRequests(OneOrMany::One(open("cid-1", Side::Buy)))),
        trade("t-1", Side::Buy, "87000", 1),
        EngineEvent::Command(Command::ClosePositions(InstrumentFilter::None)),
        trade("t-2", Side::Sell, "88000.5", 2),
        EngineEvent::Command(Command::CancelOrders(InstrumentFilter::None)),
        EngineEvent::Account(AccountStreamEvent::Reconnecting(ExchangeId::BinanceSpot)),
        EngineEvent::Market(Event::Reconnecting(ExchangeId::BinanceSpot)),
        EngineEvent::Market(serde_json::from_str(&public_trade).unwrap()),
        EngineEvent::TradingStateUpdate(TradingState::Disabled),
    ];
    let stopped = vec![
        EngineEvent::Command(Command::SendOpenRequests(OneOrMany::Many(vec![open("cid-2", Side::Buy), open("cid-3", Side::Sell)]))),
        EngineEvent::Command(Command::SendCancelRequests(OneOrMany::One(cancel("cid-4")))),
        EngineEvent::Shutdown(Shutdown),
    ];
    type Audit = EngineAudit<EngineEvent, EngineOutput<(), ()>>;
    let mut ticks: Vec<AuditTick<Audit, EngineContext>> = listening.iter().map(|event| process_with_audit(&mut engine, event.clone())).collect();
    drop(execution_rx);
    ticks.extend(stopped.iter().map(|event| process_with_audit(&mut engine, event.clone())));
    ticks.push(Auditor::<Audit>::audit(&mut engine, FeedEnded));

    // Values barter builds outside a run of its engine.
    let refused = GenerateAlgoOrdersOutput::new(
        SendRequestsOutput::new(NoneOneOrMany::One(cancel("cid-5")), NoneOneOrMany::None),
        SendRequestsOutput::new(NoneOneOrMany::None, NoneOneOrMany::One((open("cid-6", Side::Buy), EngineError::Recoverable(RecoverableEngineError::ExecutionChannelUnhealthy("full".into()))))),
        NoneOneOrMany::Many(vec![RiskRefused::new(cancel("cid-7"), "no"), RiskRefused::new(cancel("cid-8"), "ünïcode")]),
        NoneOneOrMany::One(RiskRefused::new(open("cid-9", Side::Sell), "too big")),
    );
    let execution_errors = [
        ExecutionError::Config("no executions".into()),
        ExecutionError::Index(IndexError::AssetIndex("AssetIndex(9)".into())),
        ExecutionError::Client(ClientError::Connectivity(ConnectivityError::Timeout)),
        ExecutionError::Client(ClientError::Api(ApiError::BalanceInsufficient(AssetIndex(1), "short".into()))),
    ];
    let unrecoverable = |errors: Vec<UnrecoverableEngineError>| NoneOneOrMany::from_iter(errors);
    let samples = json!({
        "meta_start": meta_start,
        "meta_end": json(&engine.meta),
        "meta": json(&EngineMeta { time_start: time("2025-03-25T23:07:00.123456789Z"), sequence: barter::Sequence(42) }),
        "context": json(&EngineContext::new(barter::Sequence(7), time("2025-03-25T23:07:00.000000001Z"))),
        "ticks": ticks.iter().map(|tick| json(tick)).collect::<Vec<_>>(),
        "generate_algo_orders": json(&refused),
        "generate_algo_orders_default": json(&GenerateAlgoOrdersOutput::<ExchangeIndex, InstrumentIndex>::default()),
        "action_outputs": [
            json(&ActionOutput::GenerateAlgoOrders(refused.clone())),
            json(&ActionOutput::<ExchangeIndex, InstrumentIndex>::ClosePositions(SendCancelsAndOpensOutput::default())),
        ],
        "unrecoverable": [
            json(&unrecoverable(vec![])),
            json(&unrecoverable(vec![UnrecoverableEngineError::Custom("one".into())])),
            json(&unrecoverable(vec![UnrecoverableEngineError::Custom("one".into()), UnrecoverableEngineError::ExecutionChannelTerminated("two".into())])),
        ],
        "update_trading_state": [json(&UpdateTradingStateOutput::<()>::None), json(&UpdateTradingStateOutput::OnTradingDisabled(()))],
        "update_from_account": [
            json(&UpdateFromAccountOutput::<()>::None),
            json(&UpdateFromAccountOutput::<()>::OnDisconnect(())),
        ],
        "update_from_market": [json(&UpdateFromMarketOutput::<()>::None), json(&UpdateFromMarketOutput::OnDisconnect(()))],
        "engine_outputs": [
            json(&EngineOutput::<(), ()>::OnTradingDisabled(())),
            json(&EngineOutput::<(), ()>::AccountDisconnect(())),
            json(&EngineOutput::<(), ()>::MarketDisconnect(())),
        ],
        "execution_errors": execution_errors.iter().map(|error| json!({"json": json(error), "message": error.to_string()})).collect::<Vec<_>>(),
    });
    write_samples("audit_samples.json", &samples);
}
