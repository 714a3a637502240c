//! Event-time backtests against barter's own parts, with no FFI: barter's execution builder, mock
//! exchange, engine and system build composed here as barter's `backtest()` composes them, on a
//! paused current-thread runtime, with the bindings' `EventClock` and paced market stream in place
//! of `HistoricalClock` and the raw stream, and barter's audit stream enabled.
//!
//! - The latency elapses in event time: read from barter's audit, every fill comes after exactly
//!   the market events of the latency that follows its order.
//! - The same backtest gives the same summary and fills on every run, and what the bindings'
//!   `backtest` gives (which runs without the audit, and records fills on their way to the engine).
//! - Writes the reference the Python tests compare with (`target/parity/event_time.json`).


use barter::{
    EngineEvent,
    engine::state::position::PositionExited,
    backtest::{BacktestArgsDynamic, market_data::BacktestMarketData},
    engine::{EngineOutput, audit::EngineAudit},
    execution::builder::{ExecutionBuild, ExecutionBuilder},
    system::{
        builder::{AuditMode, EngineFeedMode, SystemBuild},
        config::ExecutionConfig,
    },
};
use barter_data::streams::consumer::MarketStreamEvent;
use barter_execution::{AccountEventKind, trade::Trade};
use barter_ffi::{
    barter::{
        backtest::{self as ffi_backtest, BacktestArgsConstant, BacktestArgsDynamic as FfiArgsDynamic, BacktestMode},
        statistic::SummaryInterval,
        risk::manager::BindingsRisk,
        strategy::{BindingsStrategy, Strategy},
    },
    sim::event_time::{EventClock, VenueClock, paced},
};
use barter_instrument::{asset::QuoteAsset, instrument::InstrumentIndex};
use chrono::{DateTime, TimeDelta, Utc};
use crate::native::{self, barter_crate_dir};
use serde_json::{Value, json};
use rust_decimal::Decimal;
use std::sync::Arc;

type Summary = barter::backtest::summary::BacktestSummary<SummaryInterval>;

/// What a run gives: barter's summary, every fill, the audit's sequence of what the engine
/// processed, the positions it exited, how many open requests it sent, and the final balances
/// (in asset index order).
struct Run {
    summary: Summary,
    fills: Vec<Trade<QuoteAsset, InstrumentIndex>>,
    processed: Vec<Processed>,
    exits: Vec<PositionExited<QuoteAsset>>,
    opens_sent: usize,
    balances: Vec<Decimal>,
}

/// What the engine did, in order, as its audit tells it.
#[derive(Debug)]
enum Processed {
    Market(DateTime<Utc>),
    Fill(Trade<QuoteAsset, InstrumentIndex>),
    /// Open requests sent while processing the event before, at this engine time (the latest
    /// market time).
    OrdersSent(DateTime<Utc>),
    Other,
}

fn args(latency_ms: u64) -> Arc<BacktestArgsConstant> {
    native::ffi_args(&barter_crate_dir(), latency_ms).0
}

/// barter's `backtest()`, composed from barter's parts with the event-time clock and stream, with
/// the audit enabled and read, running barter's `DefaultStrategy` plus a buy of every trade.
fn run_native(latency_ms: u64) -> Run {
    run_native_with(latency_ms, BindingsStrategy::backtest(Strategy::BuyEveryTrade))
}

/// As [`run_native`], with `strategy`.
fn run_native_with(latency_ms: u64, strategy: BindingsStrategy) -> Run {
    let args = args(latency_ms);
    let args = args.barter();
    let runtime = tokio::runtime::Builder::new_current_thread().enable_time().start_paused(true).build().unwrap();
    runtime.block_on(async {
        let time_first_event = args.market_data.time_first_event().await.unwrap();
        let clock = EventClock::new(time_first_event);
        let venue_clock = VenueClock::new(time_first_event);
        let stream = paced(args.market_data.stream().await.unwrap(), venue_clock.clone());
        let ExecutionBuild { execution_tx_map, account_channel, futures } = args
            .executions
            .iter()
            .cloned()
            .try_fold(ExecutionBuilder::new(&args.instruments), |builder, ExecutionConfig::Mock(mock)| builder.add_mock(mock, venue_clock.clone()))
            .unwrap()
            .build();
        let risk = BindingsRisk::new(None, strategy.scope(), true);
        let dynamic = BacktestArgsDynamic { id: "event-time".into(), risk_free_return: rust_decimal::Decimal::ZERO, strategy, risk };
        let engine = barter::engine::Engine::new(clock, args.engine_state.clone(), execution_tx_map, dynamic.strategy, dynamic.risk);
        let mut system = SystemBuild::new(engine, EngineFeedMode::Stream, AuditMode::Enabled, stream, account_channel, futures).init().await.unwrap();
        let audit = system.take_audit().unwrap();
        let (engine, _) = system.shutdown_after_backtest().await.unwrap();

        let (mut processed, mut exits, mut opens_sent) = (Vec::new(), Vec::new(), 0);
        let mut updates = audit.updates;
        while let Some(tick) = updates.rx.recv().await {
            let EngineAudit::Process(process) = tick.event else { continue };
            processed.push(match process.event {
                EngineEvent::Market(MarketStreamEvent::Item(market)) => Processed::Market(market.time_exchange),
                EngineEvent::Account(barter_data::streams::reconnect::Event::Item(account)) => match account.kind {
                    AccountEventKind::Trade(trade) => Processed::Fill(trade),
                    _ => Processed::Other,
                },
                _ => Processed::Other,
            });
            let sent_orders = process.outputs.iter().any(|output| matches!(output, EngineOutput::AlgoOrders(orders) if !orders.cancels_and_opens.opens.sent.is_none()));
            if sent_orders {
                processed.push(Processed::OrdersSent(tick.context.time));
            }
            for output in process.outputs {
                match output {
                    EngineOutput::AlgoOrders(orders) => opens_sent += orders.cancels_and_opens.opens.sent.len(),
                    EngineOutput::PositionExit(exited) => exits.push(exited),
                    _ => {}
                }
            }
        }
        let fills = processed.iter().filter_map(|p| match p { Processed::Fill(trade) => Some(trade.clone()), _ => None }).collect();
        let balances = engine.state.assets.assets().map(|asset| asset.balance.map_or(Decimal::ZERO, |balance| balance.value.total)).collect();
        let trading_summary = engine.trading_summary_generator(dynamic.risk_free_return).generate(SummaryInterval::Daily);
        let summary = Summary { id: dynamic.id, risk_free_return: dynamic.risk_free_return, trading_summary };
        Run { summary, fills, processed, exits, opens_sent, balances }
    })
}

/// The millisecond after `time` on the grid tokio's timers tick on, which starts at `origin`.
fn tick_at_or_after(origin: DateTime<Utc>, time: DateTime<Utc>) -> DateTime<Utc> {
    let nanos = (time - origin).num_nanoseconds().unwrap();
    let millis = (nanos + 999_999) / 1_000_000;
    origin + TimeDelta::milliseconds(millis)
}

/// Every fill is of an order sent at an event time `t`, stamped `⌈t⌉ + latency / 2` (barter's
/// mock: the client-to-exchange half; `⌈t⌉` is `t` rounded up to tokio's millisecond grid), and
/// reaches the engine after every market event up to `⌈t⌉ + latency`, before every later one.
fn assert_latency_in_event_time(run: &Run, latency_ms: i64) {
    let origin = run.processed.iter().find_map(|p| match p { Processed::Market(time) => Some(*time), _ => None }).unwrap();
    let latency = TimeDelta::milliseconds(latency_ms);
    let mut checked = 0;
    for (position, processed) in run.processed.iter().enumerate() {
        let Processed::Fill(fill) = processed else { continue };
        // The latest order sent in the millisecond the fill was stamped for.
        let order = run.processed[..position]
            .iter()
            .rposition(|p| matches!(p, Processed::OrdersSent(time) if tick_at_or_after(origin, *time) + latency / 2 == fill.time_exchange))
            .unwrap_or_else(|| panic!("fill {} has no order: {:?}", fill.time_exchange, run.processed[..position].iter().filter(|p| !matches!(p, Processed::Other)).map(|p| match p { Processed::Market(t) => format!("M{}", t.format("%S%.9f")), Processed::OrdersSent(t) => format!("O{}", t.format("%S%.9f")), _ => "F".into() }).collect::<Vec<_>>()));
        let Processed::OrdersSent(order_time) = run.processed[order] else { unreachable!() };
        let answered = tick_at_or_after(origin, order_time) + latency;
        for between in &run.processed[order..position] {
            if let Processed::Market(time) = between {
                assert!(*time <= answered, "market event at {time} processed before the fill answered at {answered}");
            }
        }
        if let Some(Processed::Market(next)) = run.processed[position..].iter().find(|p| matches!(p, Processed::Market(_))) {
            assert!(*next > answered, "market event at {next} (not after {answered}) processed after its fill");
        }
        checked += 1;
    }
    assert_eq!(checked, run.fills.len());
    assert!(checked >= 20, "only {checked} fills to check at latency {latency_ms}");
    eprintln!("latency {latency_ms}: {checked} fills, each after exactly the market events of its latency");
}

fn summary_value(summary: &Summary) -> Value {
    let trading = &summary.trading_summary;
    json!({
        "time_engine_start": trading.time_engine_start,
        "time_engine_end": trading.time_engine_end,
        "instruments": trading.instruments.iter().map(|(name, tear_sheet)| json!([name, serde_json::to_value(tear_sheet).unwrap()])).collect::<Vec<_>>(),
        "assets": trading.assets.iter().map(|(asset, tear_sheet)| json!([asset.asset.name(), tear_sheet])).collect::<Vec<_>>(),
    })
}

#[test]
fn latency_elapses_in_event_time_and_every_run_agrees() {
    let mut reference = serde_json::Map::new();
    for latency_ms in [0, 100, 1000] {
        let run = run_native(latency_ms);
        assert_latency_in_event_time(&run, latency_ms as i64);

        let again = run_native(latency_ms);
        assert_eq!(again.fills, run.fills, "latency {latency_ms}: fills differ between runs");
        assert_eq!(summary_value(&again.summary), summary_value(&run.summary), "latency {latency_ms}");

        // The bindings' own event-time backtest (no audit; fills recorded on their way to the
        // engine) agrees with this composition.
        let ffi = ffi_backtest::backtest(
            &args(latency_ms),
            FfiArgsDynamic { id: "event-time".into(), risk_free_return: rust_decimal::Decimal::ZERO, strategy: Some(Strategy::BuyEveryTrade), foreign_strategy: None, risk: None },
            Some(BacktestMode::EventTime),
            None,
        )
        .unwrap();
        assert_eq!(summary_value(&ffi.summary()), summary_value(&run.summary), "latency {latency_ms}: the bindings' backtest differs");
        assert_eq!(ffi.fills().unwrap(), run.fills, "latency {latency_ms}: the bindings' fills differ from the audit's");

        let time_last_event = run.processed.iter().rev().find_map(|p| match p { Processed::Market(time) => Some(*time), _ => None }).unwrap();
        assert_eq!(run.summary.trading_summary.time_engine_end, time_last_event, "the engine clock reads the data's time");
        reference.insert(latency_ms.to_string(), json!({
            "fills": serde_json::to_value(&run.fills).unwrap(),
            "summary": summary_value(&run.summary),
        }));
    }
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/parity");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("event_time.json"), serde_json::to_string_pretty(&reference).unwrap()).unwrap();
}

/// The bindings' simulated venue in place of barter's mock (same exchange, balances and latency;
/// fees 1 and 5 bps), as `tests/python/test_simulated.py` and the Kotlin test configure it.
#[test]
fn simulated_venue_trades_the_same_on_every_run() {
    use barter_ffi::barter::{backtest::MarketDataInMemory, statistic::trading_summary_to_json, system::config::BacktestConfig};
    let dir = barter_crate_dir();
    let config = native::load_config(&dir, Some(100));
    let ExecutionConfig::Mock(mock) = &config.system.executions[0];
    let simulated = json!({ "simulated": {
        "exchange": mock.mocked_exchange, "initial_state": mock.initial_state, "latency_ms": 100,
        "fees": { "maker_bps": "1", "taker_bps": "5" }, "fill": "l1",
    }});
    let json = json!({ "risk_free_return": config.risk_free_return, "system": { "instruments": config.system.instruments, "executions": [simulated] } });
    let config = BacktestConfig::from_json(&json.to_string()).unwrap();
    let data = MarketDataInMemory::from_json_lines_file(dir.join(native::MARKET_DATA).to_str().unwrap()).unwrap();
    let args = BacktestArgsConstant::from_config(&config, data, SummaryInterval::Daily).unwrap();
    let run = || {
        let trading = FfiArgsDynamic { id: "simulated".into(), risk_free_return: config.risk_free_return(), strategy: Some(Strategy::BuyEveryTrade), foreign_strategy: None, risk: None };
        let result = ffi_backtest::backtest(&args, trading, Some(BacktestMode::EventTime), None).unwrap();
        (trading_summary_to_json(result.summary().trading_summary).unwrap(), result.fills().unwrap())
    };
    let (summary, fills) = run();
    assert!(fills.len() >= 20, "only {} fills", fills.len());
    assert_eq!(run(), (summary.clone(), fills.clone()), "a second run differs");

    // The reference the Python and Kotlin runs of the same backtest must equal.
    let dir = std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("target/parity");
    std::fs::create_dir_all(&dir).unwrap();
    let reference = json!({ "config": json, "summary": serde_json::from_str::<Value>(&summary).unwrap(), "fills": fills });
    std::fs::write(dir.join("simulated_venue.json"), serde_json::to_string_pretty(&reference).unwrap()).unwrap();
}

/// A table of a result's frames, read back from its Arrow IPC stream.
fn table(ipc: &[u8]) -> arrow_array::RecordBatch {
    let mut batches: Vec<_> = arrow_ipc::reader::StreamReader::try_new(std::io::Cursor::new(ipc), None).unwrap().map(Result::unwrap).collect();
    assert_eq!(batches.len(), 1, "a frame is one record batch");
    batches.remove(0)
}

/// A decimal column as barter's Decimals.
fn decimals(table: &arrow_array::RecordBatch, column: &str) -> Vec<Decimal> {
    use arrow_array::{Array, cast::AsArray, types::Decimal128Type};
    let column = table.column_by_name(column).unwrap_or_else(|| panic!("no column {column}"));
    let arrow_schema::DataType::Decimal128(_, scale) = column.data_type() else { panic!("{column:?} is not decimal") };
    let values = column.as_primitive::<Decimal128Type>();
    // A column shares its largest scale: drop the zeros that padded a value's own scale.
    let exact = |(mut mantissa, mut scale): (i128, u32)| {
        while scale > 0 && mantissa % 10 == 0 {
            (mantissa, scale) = (mantissa / 10, scale - 1);
        }
        Decimal::from_i128_with_scale(mantissa, scale)
    };
    (0..values.len()).map(|row| exact((values.value(row), *scale as u32))).collect()
}

fn texts(table: &arrow_array::RecordBatch, column: &str) -> Vec<Option<String>> {
    use arrow_array::cast::AsArray;
    table.column_by_name(column).unwrap().as_string::<i32>().iter().map(|text| text.map(str::to_owned)).collect()
}

/// The frames of the bindings' backtest of the SMA crossover (it buys and sells, so positions
/// open and exit) agree with barter's audit of the same run and its `TradingSummary`: every fill,
/// every position exited (barter's engine's, field by field), the open requests sent, and the
/// final balances.
#[test]
fn frames_agree_with_barters_audit_and_summary() {
    use barter_ffi::barter::strategy::{ForeignStrategy, algo::Wakes, context::OrderIds};
    let sma = || ForeignStrategy {
        algo: Arc::new(native::sma::SmaCrossover::default()),
        wakes: Wakes { trades: true, ..Wakes::default() },
        close_positions: None,
        on_disconnect: None,
        on_trading_disabled: None,
    };
    let run = run_native_with(100, BindingsStrategy::new(None, Some(sma()), OrderIds::sequence()).unwrap());
    let dynamic = FfiArgsDynamic { id: "event-time".into(), risk_free_return: Decimal::ZERO, strategy: None, foreign_strategy: Some(sma()), risk: None };
    let ffi = ffi_backtest::backtest(&args(100), dynamic, Some(BacktestMode::EventTime), None).unwrap();
    assert_eq!(summary_value(&ffi.summary()), summary_value(&run.summary), "the bindings' backtest differs");
    let frames = ffi.frames().unwrap().expect("recorded by default");

    let fills = table(&frames.fills);
    assert!(run.fills.len() >= 20, "only {} fills", run.fills.len());
    assert_eq!(decimals(&fills, "price"), run.fills.iter().map(|fill| fill.price).collect::<Vec<_>>());
    assert_eq!(decimals(&fills, "quantity"), run.fills.iter().map(|fill| fill.quantity).collect::<Vec<_>>());
    assert_eq!(decimals(&fills, "fees"), run.fills.iter().map(|fill| fill.fees.fees).collect::<Vec<_>>());
    assert_eq!(texts(&fills, "order_id"), run.fills.iter().map(|fill| Some(fill.order_id.0.to_string())).collect::<Vec<_>>());

    let positions = table(&frames.positions);
    assert!(run.exits.len() >= 5, "only {} positions exited", run.exits.len());
    assert_eq!(positions.num_rows(), run.exits.len());
    assert_eq!(decimals(&positions, "pnl_realised"), run.exits.iter().map(|exit| exit.pnl_realised).collect::<Vec<_>>());
    assert_eq!(decimals(&positions, "quantity"), run.exits.iter().map(|exit| exit.quantity_abs_max).collect::<Vec<_>>());
    assert_eq!(decimals(&positions, "price_entry_average"), run.exits.iter().map(|exit| exit.price_entry_average).collect::<Vec<_>>());
    assert_eq!(decimals(&positions, "fees_exit"), run.exits.iter().map(|exit| exit.fees_exit.fees).collect::<Vec<_>>());
    // barter's tear sheets sum the pnl of each instrument's positions exited, in order.
    let instruments = texts(&positions, "instrument");
    for (name, tear_sheet) in &run.summary.trading_summary.instruments {
        let pnl = decimals(&positions, "pnl_realised").into_iter().zip(&instruments).filter(|(_, of)| of.as_deref() == Some(name.name().as_str()));
        assert_eq!(pnl.fold(Decimal::ZERO, |sum, (pnl, _)| sum + pnl), tear_sheet.pnl, "{name}");
    }

    let orders = table(&frames.orders);
    let events = texts(&orders, "event");
    let count = |event: &str| events.iter().filter(|row| row.as_deref() == Some(event)).count();
    assert_eq!(count("open_requested"), run.opens_sent);
    // Every open sent is answered (barter's mock fills market orders whole, or refuses them).
    assert_eq!(count("filled") + count("open_refused_by_exchange"), run.opens_sent);
    assert_eq!(count("filled"), run.fills.len());

    let equity = table(&frames.equity);
    let last = equity.num_rows() - 1;
    let assets = args(100).barter().instruments.assets().iter().map(|asset| asset.value.asset.name_internal.name().to_string()).collect::<Vec<_>>();
    let final_balances: Vec<Decimal> = assets.iter().map(|asset| decimals(&equity, asset)[last]).collect();
    assert_eq!(final_balances, run.balances, "the equity curve ends at the engine's balances");
    let summary_balances: Vec<Decimal> =
        run.summary.trading_summary.assets.values().map(|tear_sheet| tear_sheet.balance_end.map_or(Decimal::ZERO, |balance| balance.total)).collect();
    assert_eq!(final_balances, summary_balances, "and at barter's summary's");
}
