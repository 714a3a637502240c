//! barter's statistic generators as objects: each holds barter's generator and calls barter's
//! methods on it (`DrawdownGenerator.update(point)`, `TradingSummaryGenerator.generate(interval)`).
//!
//! An update that barter cannot compute (a `Decimal` overflow in its running statistics) raises
//! `BarterError` and leaves the generator as it was: barter runs on a copy of the state, which
//! replaces the state only on success. Each generator reads and writes barter's serde JSON of
//! its state (`to_json()`, `from_json(text)`).

use super::{Drawdown, MaxDrawdown, MeanDrawdown, SummaryInterval, TearSheet, TearSheetAsset, TradingSummary};
use crate::{
    barter::position::PositionExited,
    custom::Timestamp,
    error::{BarterError, Result, barter_call},
    execution::{Balance, balance::AssetBalance},
    instrument::ExchangeAsset,
    json::json_functions,
};
use ::barter::statistic::{metric::drawdown, summary};
use barter_instrument::instrument::name::InstrumentNameInternal;
use barter_integration::collection::{FnvIndexMap, snapshot::Snapshot};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, de::DeserializeOwned};
use std::sync::{Arc, Mutex, MutexGuard};

pub type TimedDecimal = ::barter::Timed<Decimal>;
pub type TimedBalance = ::barter::Timed<Balance>;
pub type DataSetSummary = summary::dataset::DataSetSummary;
pub type Dispersion = summary::dataset::dispersion::Dispersion;
pub type Range = summary::dataset::dispersion::Range;
pub type PnLReturns = summary::pnl::PnLReturns;

/// A `Decimal` `value` at a `time` (barter's `Timed<Decimal>`), eg/ a PnL or balance point.
#[uniffi::remote(Record)]
pub struct TimedDecimal {
    pub value: Decimal,
    pub time: Timestamp,
}

/// A `Balance` `value` at a `time` (barter's `Timed<Balance>`).
#[uniffi::remote(Record)]
pub struct TimedBalance {
    pub value: Balance,
    pub time: Timestamp,
}

/// Running statistics of a data set (Welford's online algorithm): `count`, `sum`, `mean` and its
/// `dispersion`.
#[uniffi::remote(Record)]
pub struct DataSetSummary {
    pub count: Decimal,
    pub sum: Decimal,
    pub mean: Decimal,
    pub dispersion: Dispersion,
}

/// Dispersion of a data set: its `range`, Welford's `recurrence_relation_m`, population
/// `variance` and `std_dev`.
#[uniffi::remote(Record)]
pub struct Dispersion {
    pub range: Range,
    pub recurrence_relation_m: Decimal,
    pub variance: Decimal,
    pub std_dev: Decimal,
}

/// Highest and lowest value of a data set (`activated` once it has a value).
#[uniffi::remote(Record)]
pub struct Range {
    pub activated: bool,
    pub high: Decimal,
    pub low: Decimal,
}

/// PnL of closed positions: `pnl_raw` (quote asset), and the statistics of their returns, `total`
/// (wins and losses) and `losses` only.
#[uniffi::remote(Record)]
pub struct PnLReturns {
    pub pnl_raw: Decimal,
    pub total: DataSetSummary,
    pub losses: DataSetSummary,
}

json_functions!(TimedDecimal, TimedBalance, DataSetSummary, Dispersion, Range, PnLReturns);

/// A generator's state: barter's generator behind a lock (objects are shared across threads).
struct State<T>(Mutex<T>);

impl<T: Clone + Serialize + DeserializeOwned> State<T> {
    fn new(inner: T) -> Self {
        Self(Mutex::new(inner))
    }

    fn lock(&self) -> MutexGuard<'_, T> {
        // Barter never runs on the locked state itself (see `update`), so no panic poisons it.
        self.0.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Run barter's `operation` on a copy of the state; keep the copy only if barter succeeds.
    fn update<R>(&self, operation: &str, call: impl FnOnce(&mut T) -> R) -> Result<R> {
        let mut state = self.lock();
        let mut next = state.clone();
        let result = barter_call(operation, || call(&mut next))?;
        *state = next;
        Ok(result)
    }

    fn to_json(&self) -> Result<String> {
        serde_json::to_string(&*self.lock()).map_err(BarterError::from)
    }

    fn from_json(json: &str) -> Result<Self> {
        crate::json::from_json(json.as_bytes()).map(Self::new)
    }
}

/// barter's `DrawdownGenerator`: tracks the peak of a value and the deepest decline from it;
/// `update` returns the drawdown that a new peak ends.
#[derive(uniffi::Object)]
pub struct DrawdownGenerator(State<drawdown::DrawdownGenerator>);

#[uniffi::export]
impl DrawdownGenerator {
    /// An empty generator (barter's `Default`): the first point becomes the peak.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self(State::new(Default::default())))
    }

    /// barter's `DrawdownGenerator::init`: the first `point` is the peak.
    #[uniffi::constructor]
    pub fn init(point: TimedDecimal) -> Arc<Self> {
        Arc::new(Self(State::new(drawdown::DrawdownGenerator::init(point))))
    }

    /// A generator from barter's serde JSON of its state.
    #[uniffi::constructor]
    pub fn from_json(json: &str) -> Result<Arc<Self>> {
        State::from_json(json).map(|state| Arc::new(Self(state)))
    }

    /// barter's `update`: the next `point`; the drawdown it ends, if it is a new peak.
    pub fn update(&self, point: TimedDecimal) -> Result<Option<Drawdown>> {
        self.0.update("DrawdownGenerator::update", |generator| generator.update(point))
    }

    /// barter's `generate`: the current drawdown, if non-zero.
    pub fn generate(&self) -> Option<Drawdown> {
        self.0.lock().generate()
    }

    /// The current peak value, if any.
    pub fn peak(&self) -> Option<Decimal> {
        self.0.lock().peak
    }

    /// The deepest decline from the current peak, as a fraction of it.
    pub fn drawdown_max(&self) -> Decimal {
        self.0.lock().drawdown_max
    }

    /// barter's serde JSON of the state.
    pub fn to_json(&self) -> Result<String> {
        self.0.to_json()
    }
}

/// barter's `MaxDrawdownGenerator`: the largest of the drawdowns it is given.
#[derive(uniffi::Object)]
pub struct MaxDrawdownGenerator(State<drawdown::max::MaxDrawdownGenerator>);

#[uniffi::export]
impl MaxDrawdownGenerator {
    /// An empty generator (barter's `Default`).
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self(State::new(Default::default())))
    }

    /// barter's `MaxDrawdownGenerator::init` from a first `drawdown`.
    #[uniffi::constructor]
    pub fn init(drawdown: Drawdown) -> Arc<Self> {
        Arc::new(Self(State::new(drawdown::max::MaxDrawdownGenerator::init(drawdown))))
    }

    /// A generator from barter's serde JSON of its state.
    #[uniffi::constructor]
    pub fn from_json(json: &str) -> Result<Arc<Self>> {
        State::from_json(json).map(|state| Arc::new(Self(state)))
    }

    /// barter's `update`: `next_drawdown` supersedes the maximum if larger.
    pub fn update(&self, next_drawdown: Drawdown) -> Result<()> {
        self.0.update("MaxDrawdownGenerator::update", |generator| generator.update(&next_drawdown))
    }

    /// barter's `generate`: the maximum drawdown, if any.
    pub fn generate(&self) -> Option<MaxDrawdown> {
        self.0.lock().generate()
    }

    /// barter's serde JSON of the state.
    pub fn to_json(&self) -> Result<String> {
        self.0.to_json()
    }
}

/// barter's `MeanDrawdownGenerator`: the mean value and duration of the drawdowns it is given.
#[derive(uniffi::Object)]
pub struct MeanDrawdownGenerator(State<drawdown::mean::MeanDrawdownGenerator>);

#[uniffi::export]
impl MeanDrawdownGenerator {
    /// An empty generator (barter's `Default`).
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self(State::new(Default::default())))
    }

    /// barter's `MeanDrawdownGenerator::init` from a first `drawdown`.
    #[uniffi::constructor]
    pub fn init(drawdown: Drawdown) -> Arc<Self> {
        Arc::new(Self(State::new(drawdown::mean::MeanDrawdownGenerator::init(drawdown))))
    }

    /// A generator from barter's serde JSON of its state.
    #[uniffi::constructor]
    pub fn from_json(json: &str) -> Result<Arc<Self>> {
        State::from_json(json).map(|state| Arc::new(Self(state)))
    }

    /// barter's `update`: the means including `next_drawdown`.
    pub fn update(&self, next_drawdown: Drawdown) -> Result<()> {
        self.0.update("MeanDrawdownGenerator::update", |generator| generator.update(&next_drawdown))
    }

    /// barter's `generate`: the mean drawdown, if any.
    pub fn generate(&self) -> Option<MeanDrawdown> {
        self.0.lock().generate()
    }

    /// How many drawdowns the mean is of.
    pub fn count(&self) -> u64 {
        self.0.lock().count
    }

    /// barter's serde JSON of the state.
    pub fn to_json(&self) -> Result<String> {
        self.0.to_json()
    }
}

/// barter's `TearSheetGenerator`: the PnL statistics of one instrument's closed positions,
/// from which `generate` computes a `TearSheet`.
#[derive(uniffi::Object)]
pub struct TearSheetGenerator(State<summary::instrument::TearSheetGenerator>);

impl TearSheetGenerator {
    /// A generator holding (a copy of) barter's `generator`, as the engine's state keeps one.
    pub(crate) fn of(generator: summary::instrument::TearSheetGenerator) -> Arc<Self> {
        Arc::new(Self(State::new(generator)))
    }
}

#[uniffi::export]
impl TearSheetGenerator {
    /// barter's `TearSheetGenerator::init`: a session starting at `time_engine_start`.
    #[uniffi::constructor]
    pub fn init(time_engine_start: Timestamp) -> Arc<Self> {
        Arc::new(Self(State::new(summary::instrument::TearSheetGenerator::init(time_engine_start))))
    }

    /// A generator from barter's serde JSON of its state.
    #[uniffi::constructor]
    pub fn from_json(json: &str) -> Result<Arc<Self>> {
        State::from_json(json).map(|state| Arc::new(Self(state)))
    }

    /// barter's `update_from_position`: add the next closed `position`.
    pub fn update_from_position(&self, position: PositionExited) -> Result<()> {
        self.0.update("TearSheetGenerator::update_from_position", |generator| generator.update_from_position(&position))
    }

    /// barter's `generate`: the `TearSheet` at `interval`, with `risk_free_return`.
    pub fn generate(&self, risk_free_return: Decimal, interval: SummaryInterval) -> Result<TearSheet> {
        self.0.update("TearSheetGenerator::generate", |generator| generator.generate(risk_free_return, interval))
    }

    /// barter's `reset`: start again at `time_engine_start`.
    pub fn reset(&self, time_engine_start: Timestamp) {
        self.0.lock().reset(time_engine_start)
    }

    /// Start of the session.
    pub fn time_engine_start(&self) -> Timestamp {
        self.0.lock().time_engine_start
    }

    /// Time of the last update.
    pub fn time_engine_now(&self) -> Timestamp {
        self.0.lock().time_engine_now
    }

    /// The PnL and return statistics so far.
    pub fn pnl_returns(&self) -> PnLReturns {
        self.0.lock().pnl_returns.clone()
    }

    /// barter's serde JSON of the state.
    pub fn to_json(&self) -> Result<String> {
        self.0.to_json()
    }
}

/// barter's `TearSheetAssetGenerator`: the balance history of one exchange asset, from which
/// `generate` computes a `TearSheetAsset`.
#[derive(uniffi::Object)]
pub struct TearSheetAssetGenerator(State<summary::asset::TearSheetAssetGenerator>);

impl TearSheetAssetGenerator {
    /// A generator holding (a copy of) barter's `generator`, as the engine's state keeps one.
    pub(crate) fn of(generator: summary::asset::TearSheetAssetGenerator) -> Arc<Self> {
        Arc::new(Self(State::new(generator)))
    }
}

#[uniffi::export]
impl TearSheetAssetGenerator {
    /// An empty generator (barter's `Default`): no balance yet.
    #[uniffi::constructor]
    pub fn new() -> Arc<Self> {
        Arc::new(Self(State::new(Default::default())))
    }

    /// barter's `TearSheetAssetGenerator::init` from the `initial` balance.
    #[uniffi::constructor]
    pub fn init(initial: TimedBalance) -> Arc<Self> {
        Arc::new(Self(State::new(summary::asset::TearSheetAssetGenerator::init(&initial))))
    }

    /// A generator from barter's serde JSON of its state.
    #[uniffi::constructor]
    pub fn from_json(json: &str) -> Result<Arc<Self>> {
        State::from_json(json).map(|state| Arc::new(Self(state)))
    }

    /// barter's `update_from_balance`: the next `balance` snapshot of the asset.
    pub fn update_from_balance(&self, balance: AssetBalance) -> Result<()> {
        self.0.update("TearSheetAssetGenerator::update_from_balance", |generator| generator.update_from_balance(Snapshot(&balance)))
    }

    /// barter's `generate`: the `TearSheetAsset` so far.
    pub fn generate(&self) -> Result<TearSheetAsset> {
        self.0.update("TearSheetAssetGenerator::generate", |generator| generator.generate())
    }

    /// barter's `reset`: start again from `balance_start`.
    pub fn reset(&self, balance_start: TimedBalance) {
        self.0.lock().reset(&balance_start)
    }

    /// The latest balance, if any.
    pub fn balance_now(&self) -> Option<Balance> {
        self.0.lock().balance_now
    }

    /// barter's serde JSON of the state.
    pub fn to_json(&self) -> Result<String> {
        self.0.to_json()
    }
}

/// One instrument of a `TradingSummaryGenerator`: its name and (a copy of) its generator.
#[derive(uniffi::Record)]
pub struct InstrumentTearSheetGenerator {
    pub instrument: InstrumentNameInternal,
    pub generator: Arc<TearSheetGenerator>,
}

/// One exchange asset of a `TradingSummaryGenerator`: its key and (a copy of) its generator.
#[derive(uniffi::Record)]
pub struct AssetTearSheetGenerator {
    pub asset: ExchangeAsset,
    pub generator: Arc<TearSheetAssetGenerator>,
}

/// barter's `TradingSummaryGenerator`: a `TearSheetGenerator` per instrument (by
/// `InstrumentNameInternal`) and a `TearSheetAssetGenerator` per exchange asset (by
/// `ExchangeAsset`), in order. Updates address them as the engine does, by `InstrumentIndex`
/// and `AssetIndex`: the position in that order. Its JSON is barter's serde output but for
/// `assets`, a list of `[ExchangeAsset, TearSheetAssetGenerator]` pairs.
#[derive(uniffi::Object)]
pub struct TradingSummaryGenerator(State<summary::TradingSummaryGenerator>);

impl TradingSummaryGenerator {
    /// A generator holding barter's `generator`.
    pub(crate) fn of(generator: summary::TradingSummaryGenerator) -> Arc<Self> {
        Arc::new(Self(State::new(generator)))
    }
}

#[uniffi::export]
impl TradingSummaryGenerator {
    /// barter's `TradingSummaryGenerator::new`: `risk_free_return`, the session's start and
    /// current time, and the generators of its instruments and assets (copied: later updates of
    /// the objects passed here do not reach this generator). A repeated key is an error.
    #[uniffi::constructor]
    pub fn new(
        risk_free_return: Decimal,
        time_engine_start: Timestamp,
        time_engine_now: Timestamp,
        instruments: Vec<InstrumentTearSheetGenerator>,
        assets: Vec<AssetTearSheetGenerator>,
    ) -> Result<Arc<Self>> {
        let instrument_count = instruments.len();
        let instruments: FnvIndexMap<_, _> =
            instruments.into_iter().map(|entry| (entry.instrument, entry.generator.0.lock().clone())).collect();
        let asset_count = assets.len();
        let assets: FnvIndexMap<_, _> =
            assets.into_iter().map(|entry| (entry.asset, entry.generator.0.lock().clone())).collect();
        if instruments.len() != instrument_count || assets.len() != asset_count {
            return Err(BarterError::InvalidInput { reason: "TradingSummaryGenerator: an instrument or asset is repeated".into() });
        }
        Ok(Arc::new(Self(State::new(summary::TradingSummaryGenerator::new(
            risk_free_return, time_engine_start, time_engine_now, instruments, assets,
        )))))
    }

    /// A generator from the JSON form of its state (see `to_json`); an error names the field. A
    /// repeated asset is an error.
    #[uniffi::constructor]
    pub fn from_json(json: &str) -> Result<Arc<Self>> {
        let form: TradingSummaryGeneratorJson = crate::json::from_json(json.as_bytes())?;
        let count = form.assets.len();
        let assets: FnvIndexMap<_, _> = form.assets.into_iter().collect();
        if assets.len() != count {
            return Err(BarterError::InvalidInput { reason: "assets: an ExchangeAsset is repeated".into() });
        }
        Ok(Arc::new(Self(State::new(summary::TradingSummaryGenerator::new(
            form.risk_free_return, form.time_engine_start, form.time_engine_now, form.instruments, assets,
        )))))
    }

    /// barter's `update_time_now`.
    pub fn update_time_now(&self, time_now: Timestamp) {
        self.0.lock().update_time_now(time_now)
    }

    /// barter's `update_from_position`: the next closed `position`, of the instrument at its
    /// `InstrumentIndex` (an `Index` error if there is none: barter would panic).
    pub fn update_from_position(&self, position: PositionExited) -> Result<()> {
        let count = self.0.lock().instruments.len();
        if position.instrument.index() >= count {
            return Err(BarterError::Index {
                reason: format!("PositionExited.instrument: {} is not one of the {count} instruments", position.instrument),
            });
        }
        self.0.update("TradingSummaryGenerator::update_from_position", |generator| generator.update_from_position(&position))
    }

    /// barter's `update_from_balance`: the next `balance` snapshot, of the asset at its
    /// `AssetIndex` (an `Index` error if there is none: barter would panic).
    pub fn update_from_balance(&self, balance: AssetBalance) -> Result<()> {
        let count = self.0.lock().assets.len();
        if balance.asset.index() >= count {
            return Err(BarterError::Index {
                reason: format!("AssetBalance.asset: {} is not one of the {count} assets", balance.asset),
            });
        }
        self.0.update("TradingSummaryGenerator::update_from_balance", |generator| generator.update_from_balance(Snapshot(&balance)))
    }

    /// barter's `generate`: the `TradingSummary` at `interval`.
    pub fn generate(&self, interval: SummaryInterval) -> Result<TradingSummary> {
        self.0.update("TradingSummaryGenerator::generate", |generator| generator.generate(interval))
    }

    /// Theoretical return of a risk-free investment.
    pub fn risk_free_return(&self) -> Decimal {
        self.0.lock().risk_free_return
    }

    /// Start of the session.
    pub fn time_engine_start(&self) -> Timestamp {
        self.0.lock().time_engine_start
    }

    /// Time of the last update.
    pub fn time_engine_now(&self) -> Timestamp {
        self.0.lock().time_engine_now
    }

    /// The instruments, in order: the one at `InstrumentIndex(i)` is the `i`th.
    pub fn instruments(&self) -> Vec<InstrumentNameInternal> {
        self.0.lock().instruments.keys().cloned().collect()
    }

    /// The exchange assets, in order: the one at `AssetIndex(i)` is the `i`th.
    pub fn assets(&self) -> Vec<ExchangeAsset> {
        self.0.lock().assets.keys().cloned().collect()
    }

    /// The state in JSON: barter's serde output of it, except `assets`, a JSON array of
    /// `[ExchangeAsset, TearSheetAssetGenerator]` pairs in order (barter's serde cannot write the
    /// map: JSON object keys are strings, `ExchangeAsset` is a struct).
    pub fn to_json(&self) -> Result<String> {
        trading_summary_generator_json(&self.0.lock())
    }
}

/// The JSON form of barter's `TradingSummaryGenerator` (`TradingSummaryGenerator.to_json()`):
/// barter's serde output, except `assets` as `[ExchangeAsset, TearSheetAssetGenerator]` pairs.
pub fn trading_summary_generator_json(generator: &summary::TradingSummaryGenerator) -> Result<String> {
    // Destructured: a field barter adds fails to compile here.
    let summary::TradingSummaryGenerator { risk_free_return, time_engine_start, time_engine_now, instruments, assets } = generator;
    let form = TradingSummaryGeneratorJsonRef { risk_free_return, time_engine_start, time_engine_now, instruments, assets: assets.iter().collect() };
    serde_json::to_string(&form).map_err(BarterError::from)
}

#[derive(Serialize)]
struct TradingSummaryGeneratorJsonRef<'a> {
    risk_free_return: &'a Decimal,
    time_engine_start: &'a Timestamp,
    time_engine_now: &'a Timestamp,
    instruments: &'a FnvIndexMap<InstrumentNameInternal, summary::instrument::TearSheetGenerator>,
    assets: Vec<(&'a ExchangeAsset, &'a summary::asset::TearSheetAssetGenerator)>,
}

#[derive(Deserialize)]
struct TradingSummaryGeneratorJson {
    risk_free_return: Decimal,
    time_engine_start: Timestamp,
    time_engine_now: Timestamp,
    instruments: FnvIndexMap<InstrumentNameInternal, summary::instrument::TearSheetGenerator>,
    assets: Vec<(ExchangeAsset, summary::asset::TearSheetAssetGenerator)>,
}
