//! Parity: a backtest through the bindings gives exactly the `TradingSummary` native barter
//! computes for the same inputs, for every summary interval. Also writes barter's own paper
//! trading session (`target/parity/paper_session.json`), which the Python tests replay through
//! the bindings' `System`.
//!
//! Barter's `HistoricalClock` adds wall-clock microseconds to `time_engine_start/end`, so those
//! two are compared within 10 ms (in upstream mode); everything else exactly. The native summary is also
//! written to `target/parity/native_summary.json`, the reference of the Python and Kotlin tests.


use barter::statistic::{
    summary::TradingSummary,
    time::{Annual252, Annual365, Daily, TimeInterval},
};
use barter_ffi::{
    barter::{
        backtest::{
            self as ffi_backtest, BacktestArgsConstant as FfiArgsConstant, BacktestMode, BacktestArgsDynamic as FfiArgsDynamic,
            MarketDataInMemory as FfiMarketData,
        },
        statistic::SummaryInterval,
        system::config::BacktestConfig,
    },
};
use crate::native::{self, CONFIG, MARKET_DATA, barter_crate_dir};
use rust_decimal::Decimal;
use serde::Serialize;
use serde_json::{Value, json};
use std::{
    path::PathBuf,
    sync::{Arc, Mutex},
};

/// One backtest at a time: the engine times include wall-clock delays, which concurrent tests
/// on a 2-core machine would stretch past the millisecond tolerance.
static ONE_AT_A_TIME: Mutex<()> = Mutex::new(());

/// barter's own backtest of the same inputs, through `native` (no bindings code but the seeding).
fn run_native<Interval: TimeInterval + Send + Sync + 'static>(interval: Interval, id: &str) -> barter::backtest::summary::BacktestSummary<Interval> {
    let dir = barter_crate_dir();
    let config = native::load_config(&dir, None);
    let args_constant = native::args_constant(config.system, native::load_events(&dir), interval);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    runtime.block_on(barter::backtest::backtest(args_constant, native::args_dynamic(id, config.risk_free_return))).unwrap()
}

fn ffi_args(interval: SummaryInterval) -> (Arc<FfiArgsConstant>, Arc<BacktestConfig>) {
    let dir = barter_crate_dir();
    let config = BacktestConfig::from_file(dir.join(CONFIG).to_str().unwrap()).unwrap();
    let market_data = FfiMarketData::from_json_lines_file(dir.join(MARKET_DATA).to_str().unwrap()).unwrap();
    (FfiArgsConstant::from_config(&config, market_data, interval).unwrap(), config)
}

/// A summary as JSON: barter's serde of every tear sheet, both maps as lists in barter's order
/// (asset keys are structs, which JSON objects cannot hold) and the interval by name (barter's
/// unit intervals serialise as null).
fn summary_json<Interval: TimeInterval + Serialize>(summary: &TradingSummary<Interval>, interval: &str, risk_free_return: Decimal) -> Value {
    let instruments = summary.instruments.iter().map(|(name, tear_sheet)| {
        let mut tear_sheet = serde_json::to_value(tear_sheet).unwrap();
        for metric in ["pnl_return", "sharpe_ratio", "sortino_ratio", "calmar_ratio"] {
            tear_sheet[metric]["interval"] = Value::Null;
        }
        json!({ "instrument": name, "tear_sheet": tear_sheet })
    }).collect::<Vec<_>>();
    json!({
        "interval": interval,
        "risk_free_return": risk_free_return,
        "time_engine_start": summary.time_engine_start,
        "time_engine_end": summary.time_engine_end,
        "instruments": instruments,
        "assets": summary.assets.iter().map(|(asset, tear_sheet)| json!({
            "exchange": asset.exchange,
            "asset": asset.asset.name(),
            "tear_sheet": tear_sheet,
        })).collect::<Vec<_>>(),
    })
}

/// Equal except for the engine times, which barter's clock moves by wall-clock time: they must
/// agree within `tolerance`.
fn assert_summaries_match(actual: &Value, expected: &Value, tolerance: chrono::TimeDelta) {
    let time = |value: &Value, key: &str| value[key].as_str().unwrap().parse::<chrono::DateTime<chrono::Utc>>().unwrap();
    for key in ["time_engine_start", "time_engine_end"] {
        let delta = (time(actual, key) - time(expected, key)).abs();
        assert!(delta < tolerance, "{key} differs by {delta}");
    }
    let strip = |value: &Value| {
        let mut value = value.clone();
        value["time_engine_start"] = Value::Null;
        value["time_engine_end"] = Value::Null;
        value
    };
    assert_eq!(strip(actual), strip(expected));
}

#[test]
fn backtest_summary_equals_native_barter_for_every_interval() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    struct TestCase {
        interval: SummaryInterval,
        native: fn() -> Value,
    }
    let cases = [
        // TC0: Daily
        TestCase { interval: SummaryInterval::Daily, native: || native_json(Daily, "Daily") },
        // TC1: Annual252
        TestCase { interval: SummaryInterval::Annual252, native: || native_json(Annual252, "Annual252") },
        // TC2: Annual365
        TestCase { interval: SummaryInterval::Annual365, native: || native_json(Annual365, "Annual365") },
    ];
    for (index, case) in cases.into_iter().enumerate() {
        let expected = (case.native)();
        let (args, config) = ffi_args(case.interval);
        let dynamic = FfiArgsDynamic { id: "parity".into(), risk_free_return: config.risk_free_return(), strategy: None, foreign_strategy: None, risk: None };
        let result = ffi_backtest::backtest(&args, dynamic, Some(BacktestMode::Upstream), None).unwrap();
        assert!(result.fills().is_none(), "barter's backtest() records no fills");
        let summary = result.summary();
        assert_eq!(summary.id, "parity", "TC{index}");
        let actual = summary_json(&summary.trading_summary, &format!("{:?}", case.interval), summary.risk_free_return);
        // barter's clock adds the wall-clock time since the last event: a loaded 2-core machine can
        // stretch that past a millisecond.
        assert_summaries_match(&actual, &expected, chrono::TimeDelta::milliseconds(10));

        if case.interval == SummaryInterval::Daily {
            let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/parity");
            std::fs::create_dir_all(&dir).unwrap();
            std::fs::write(dir.join("native_summary.json"), serde_json::to_string_pretty(&expected).unwrap()).unwrap();
        }
    }
}

fn native_json<Interval: TimeInterval + Serialize + Send + Sync + 'static>(interval: Interval, name: &str) -> Value {
    let native = run_native(interval, "parity");
    summary_json(&native.trading_summary, name, native.risk_free_return)
}

#[test]
fn run_backtests_returns_every_summary_in_order() {
    let _serial = ONE_AT_A_TIME.lock().unwrap_or_else(|poisoned| poisoned.into_inner());
    let expected = native_json(Daily, "Daily");
    let (args, config) = ffi_args(SummaryInterval::Daily);
    let ids = ["a", "b", "c"];
    let multi = ffi_backtest::run_backtests(
        &args,
        ids.iter().map(|id| FfiArgsDynamic { id: (*id).into(), risk_free_return: config.risk_free_return(), strategy: None, foreign_strategy: None, risk: None }).collect(),
        Some(BacktestMode::Upstream),
        None,
    )
    .unwrap()
    .summary()
    .unwrap();
    assert_eq!(multi.num_backtests, 3);
    assert_eq!(multi.summaries.iter().map(|summary| summary.id.as_str()).collect::<Vec<_>>(), ids);
    // Concurrent backtests share the cores, so each one's engine times also carry the others'
    // wall-clock time: within the batch's duration.
    let tolerance = chrono::TimeDelta::from_std(multi.duration).unwrap();
    for summary in &multi.summaries {
        assert_summaries_match(&summary_json(&summary.trading_summary, "Daily", summary.risk_free_return), &expected, tolerance);
    }
}

/// The market trade and the order of the paper session (tests/python/test_system.py sends the
/// same through the bindings).
fn paper_session_inputs() -> (barter::EngineEvent, barter_execution::order::request::OrderRequestOpen) {
    use barter_data::{event::MarketEvent, streams::consumer::MarketStreamEvent, subscription::trade::PublicTrade};
    use barter_execution::order::{OrderKey, OrderKind, TimeInForce, id::ClientOrderId, request::{OrderRequestOpen, RequestOpen}};
    use barter_instrument::{Side, exchange::{ExchangeId, ExchangeIndex}, instrument::InstrumentIndex};
    let time = "2025-03-25T00:00:00Z".parse().unwrap();
    let trade = PublicTrade { id: "1".into(), price: 87000.0, amount: 0.01, side: Side::Buy };
    let event = MarketEvent { time_exchange: time, time_received: time, exchange: ExchangeId::BinanceSpot, instrument: InstrumentIndex(0), kind: barter_data::event::DataKind::Trade(trade) };
    let order = OrderRequestOpen {
        key: OrderKey { exchange: ExchangeIndex(0), instrument: InstrumentIndex(0), strategy: barter_execution::order::id::StrategyId::new("paper"), cid: ClientOrderId::new("cid-1") },
        state: RequestOpen { side: Side::Buy, price: Decimal::new(87000, 0), quantity: Decimal::new(1, 2), kind: OrderKind::Market, time_in_force: TimeInForce::ImmediateOrCancel },
    };
    (barter::EngineEvent::Market(MarketStreamEvent::Item(event)), order)
}

/// barter's own paper trading session: a `System` of the example config (mock exchange, latency
/// 0), barter's `LiveClock`, `DefaultStrategy` and audit stream; one market trade is fed, one
/// market buy sent, and the session shuts down once the engine has processed the order's
/// response and its trade. Writes the engine's final state and last audit as barter's JSON.
#[test]
fn paper_session_native() {
    use barter::{
        engine::{clock::LiveClock, state::{global::DefaultGlobalData, instrument::data::DefaultInstrumentMarketData}},
        risk::DefaultRiskManager,
        strategy::DefaultStrategy,
        system::builder::{AuditMode, SystemArgs, SystemBuilder},
    };
    use barter_execution::AccountEventKind;
    use barter_integration::{channel::Tx, collection::one_or_many::OneOrMany};
    use futures::StreamExt;

    let config = native::load_config(&barter_crate_dir(), Some(0));
    let instruments = barter_instrument::index::IndexedInstruments::new(config.system.instruments);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let (state, audit) = runtime.block_on(async {
        let args = SystemArgs::new(
            &instruments,
            config.system.executions,
            LiveClock,
            DefaultStrategy::default(),
            DefaultRiskManager::default(),
            futures::stream::empty::<barter_data::streams::consumer::MarketStreamEvent<barter_instrument::instrument::InstrumentIndex, barter_data::event::DataKind>>(),
            DefaultGlobalData::default(),
            |_| DefaultInstrumentMarketData::default(),
        );
        let mut system = SystemBuilder::new(args).audit_mode(AuditMode::Enabled).build::<barter::EngineEvent, _>().unwrap().init().await.unwrap();
        let mut updates = system.take_audit().unwrap().updates.into_stream();
        let account_kind = |tick: &barter::engine::audit::AuditTick<_>| match &tick.event {
            barter::engine::audit::EngineAudit::Process(barter::engine::audit::ProcessAudit {
                event: barter::EngineEvent::Account(barter::execution::AccountStreamEvent::Item(event)), ..
            }) => Some(event.kind.clone()),
            _ => None,
        };
        // The mock exchange's first account snapshot, then the session.
        while !matches!(account_kind(&updates.next().await.unwrap()), Some(AccountEventKind::Snapshot(_))) {}
        let (market_event, order) = paper_session_inputs();
        system.feed_tx.send(market_event).unwrap();
        system.send_open_requests(OneOrMany::One(order));
        let (mut responded, mut traded) = (false, false);
        while !(responded && traded) {
            match account_kind(&updates.next().await.unwrap()) {
                Some(AccountEventKind::OrderSnapshot(_)) => responded = true,
                Some(AccountEventKind::Trade(_)) => traded = true,
                _ => {}
            }
        }
        let (engine, audit) = system.shutdown().await.unwrap();
        (serde_json::to_value(&engine.state).unwrap(), serde_json::to_value(&audit).unwrap())
    });
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/parity");
    std::fs::create_dir_all(&dir).unwrap();
    let session = json!({ "state": state, "audit": audit });
    std::fs::write(dir.join("paper_session.json"), serde_json::to_string_pretty(&session).unwrap()).unwrap();
}
