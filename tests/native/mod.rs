//! Native barter, set up as barter's `examples/backtests_concurrent.rs` does, plus the one input
//! the bindings add: the engine starts with the mock executions' initial balances. Shared by the
//! parity test and the native benchmark (`examples/bench_native.rs`), so both measure and compare
//! against the same native setup.

pub mod sma;

use barter::{
    backtest::{
        BacktestArgsConstant, BacktestArgsDynamic,
        market_data::{BacktestMarketData, MarketDataInMemory},
    },
    engine::state::{
        EngineState, builder::EngineStateBuilder, global::DefaultGlobalData,
        instrument::data::{DefaultInstrumentMarketData, InstrumentDataState}, trading::TradingState,
    },
    risk::DefaultRiskManager,
    strategy::DefaultStrategy,
    system::config::{ExecutionConfig, SystemConfig},
};
use barter_data::{event::DataKind, streams::consumer::MarketStreamEvent};
use barter_ffi::barter::backtest::initial_balances;
use barter_instrument::{index::IndexedInstruments, instrument::InstrumentIndex};
use rust_decimal::Decimal;
use serde::Deserialize;
use std::{path::{Path, PathBuf}, sync::Arc};

pub const CONFIG: &str = "examples/config/backtest_config.json";
pub const MARKET_DATA: &str = "examples/data/binance_spot_trades_l1_btcusdt_ethusdt_solusdt.json";

pub type State = EngineState<DefaultGlobalData, DefaultInstrumentMarketData>;
pub type ArgsConstant<Interval, Data = DefaultInstrumentMarketData, Global = DefaultGlobalData> =
    BacktestArgsConstant<MarketDataInMemory<DataKind>, Interval, EngineState<Global, Data>>;
pub type ArgsDynamic = BacktestArgsDynamic<DefaultStrategy<State>, DefaultRiskManager<State>>;

/// Source folder of the `barter` crate that `Cargo.lock` resolves.
pub fn barter_crate_dir() -> PathBuf {
    if let Ok(dir) = std::env::var("BARTER_CRATE_DIR") {
        return dir.into();
    }
    let output = std::process::Command::new(env!("CARGO"))
        .args(["metadata", "--format-version", "1"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .output()
        .expect("cargo metadata");
    let metadata: serde_json::Value = serde_json::from_slice(&output.stdout).expect("cargo metadata JSON");
    let manifest = metadata["packages"]
        .as_array()
        .and_then(|packages| packages.iter().find(|package| package["name"] == "barter"))
        .and_then(|package| package["manifest_path"].as_str())
        .expect("barter is a dependency");
    Path::new(manifest).parent().unwrap().to_owned()
}

/// barter's example configuration (its `examples/backtests_concurrent.rs`).
#[derive(Deserialize)]
pub struct Config {
    pub risk_free_return: Decimal,
    pub system: SystemConfig,
}

pub fn load_config(dir: &Path, latency_ms: Option<u64>) -> Config {
    let mut config: Config = serde_json::from_str(&std::fs::read_to_string(dir.join(CONFIG)).unwrap()).unwrap();
    if let Some(latency_ms) = latency_ms {
        for ExecutionConfig::Mock(mock) in &mut config.system.executions {
            mock.latency_ms = latency_ms;
        }
    }
    config
}

/// barter's example market data, parsed line by line as barter's example does.
pub fn load_events(dir: &Path) -> Vec<MarketStreamEvent<InstrumentIndex, DataKind>> {
    std::fs::read_to_string(dir.join(MARKET_DATA))
        .unwrap()
        .lines()
        .map(|line| serde_json::from_str(line).unwrap())
        .collect()
}

/// Barter's engine inputs over the given instrument data (barter's default in the parity test).
pub fn args_constant<Interval, Data: InstrumentDataState + Default, Global: Default>(
    system: SystemConfig,
    events: Vec<MarketStreamEvent<InstrumentIndex, DataKind>>,
    interval: Interval,
) -> Arc<ArgsConstant<Interval, Data, Global>> {
    let SystemConfig { instruments, executions } = system;
    let instruments = IndexedInstruments::new(instruments);
    let market_data = MarketDataInMemory::new(Arc::new(events));
    // Ready at once (barter stores it): any runtime will do.
    let time_engine_start = tokio::runtime::Builder::new_current_thread()
        .build()
        .unwrap()
        .block_on(BacktestMarketData::time_first_event(&market_data))
        .unwrap();
    let engine_state = EngineStateBuilder::new(&instruments, Global::default(), |_| Data::default())
        .time_engine_start(time_engine_start)
        .trading_state(TradingState::Enabled)
        .balances(initial_balances(&instruments, &executions.iter().cloned().map(Into::into).collect::<Vec<_>>()).unwrap())
        .build();
    Arc::new(BacktestArgsConstant { instruments, executions, market_data, summary_interval: interval, engine_state })
}

pub fn args_dynamic(id: &str, risk_free_return: Decimal) -> ArgsDynamic {
    BacktestArgsDynamic {
        id: id.into(),
        risk_free_return,
        strategy: DefaultStrategy::default(),
        risk: DefaultRiskManager::default(),
    }
}

/// The bindings' backtest arguments of barter's example at `latency_ms`, built as Python builds
/// them (a `BacktestConfig` of barter's JSON, the JSON-lines data file), and the config's
/// risk-free return.
pub fn ffi_args(dir: &Path, latency_ms: u64) -> (Arc<barter_ffi::barter::backtest::BacktestArgsConstant>, Decimal) {
    use barter_ffi::barter::{backtest::{BacktestArgsConstant, MarketDataInMemory}, statistic::SummaryInterval, system::config::BacktestConfig};
    let config = load_config(dir, Some(latency_ms));
    let config = BacktestConfig::from_json(&serde_json::json!({ "risk_free_return": config.risk_free_return, "system": config.system }).to_string()).unwrap();
    let data = MarketDataInMemory::from_json_lines_file(dir.join(MARKET_DATA).to_str().unwrap()).unwrap();
    (BacktestArgsConstant::from_config(&config, data, SummaryInterval::Daily).unwrap(), config.risk_free_return())
}
