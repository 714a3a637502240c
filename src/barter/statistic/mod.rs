//! Bindings for `barter::statistic`: trading summaries, tear sheets and their metrics.
//!
//! Barter's summaries are generic over the summary interval (`Daily`, `Annual252`, `Annual365`).
//! The bindings instantiate them once, at [`SummaryInterval`], an enum that delegates to barter's
//! own interval types, so every metric is still computed by barter.
//!
//! Barter's metric constructors and methods are functions (`sharpe_ratio_calculate`, ...) that
//! the Python package attaches to the types (`SharpeRatio.calculate(...)`, `ratio.scale(...)`);
//! barter's generators are objects in [`generator`].

pub mod generator;

use crate::{
    custom::Timestamp,
    error::{BarterError, Result, barter_call},
    execution::Balance,
    instrument::ExchangeAsset,
    json::json_functions,
};
use ::barter::statistic::{
    metric::drawdown,
    summary::{TradingSummary as TradingSummaryOf, asset, instrument},
    time::{Annual252, Annual365, Daily, TimeInterval},
};
use barter_instrument::instrument::name::InstrumentNameInternal;
use barter_integration::collection::FnvIndexMap;
use chrono::TimeDelta;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize, Serializer};
use smol_str::SmolStr;

/// Time interval over which barter scales summary metrics: `Daily`, `Annual252` (traditional
/// markets, 252 trading days) or `Annual365` (crypto, 24/7 trading).
#[derive(Debug, Copy, Clone, PartialEq, Eq, Deserialize, Serialize, uniffi::Enum)]
pub enum SummaryInterval {
    Daily,
    Annual252,
    Annual365,
}

impl TimeInterval for SummaryInterval {
    fn name(&self) -> SmolStr {
        match self {
            Self::Daily => Daily.name(),
            Self::Annual252 => Annual252.name(),
            Self::Annual365 => Annual365.name(),
        }
    }

    fn interval(&self) -> TimeDelta {
        match self {
            Self::Daily => Daily.interval(),
            Self::Annual252 => Annual252.interval(),
            Self::Annual365 => Annual365.interval(),
        }
    }
}

pub type RateOfReturn = ::barter::statistic::metric::rate_of_return::RateOfReturn<SummaryInterval>;
pub type SharpeRatio = ::barter::statistic::metric::sharpe::SharpeRatio<SummaryInterval>;
pub type SortinoRatio = ::barter::statistic::metric::sortino::SortinoRatio<SummaryInterval>;
pub type CalmarRatio = ::barter::statistic::metric::calmar::CalmarRatio<SummaryInterval>;
pub type Drawdown = drawdown::Drawdown;
pub type MeanDrawdown = drawdown::mean::MeanDrawdown;
/// Largest peak-to-trough decline; crosses as the `Drawdown` it wraps.
pub type MaxDrawdown = drawdown::max::MaxDrawdown;
pub type WinRate = ::barter::statistic::metric::win_rate::WinRate;
pub type ProfitFactor = ::barter::statistic::metric::profit_factor::ProfitFactor;
pub type TearSheet = instrument::TearSheet<SummaryInterval>;
pub type TearSheetAsset = asset::TearSheetAsset;
pub type TradingSummary = TradingSummaryOf<SummaryInterval>;

/// Rate of return over the summary interval.
#[uniffi::remote(Record)]
pub struct RateOfReturn {
    pub value: Decimal,
    pub interval: SummaryInterval,
}

/// Sharpe Ratio: risk-adjusted return, excess return over the risk-free rate per unit of standard deviation.
#[uniffi::remote(Record)]
pub struct SharpeRatio {
    pub value: Decimal,
    pub interval: SummaryInterval,
}

/// Sortino Ratio: like Sharpe, but penalising only downside volatility.
#[uniffi::remote(Record)]
pub struct SortinoRatio {
    pub value: Decimal,
    pub interval: SummaryInterval,
}

/// Calmar Ratio: return relative to the maximum drawdown.
#[uniffi::remote(Record)]
pub struct CalmarRatio {
    pub value: Decimal,
    pub interval: SummaryInterval,
}

/// Peak-to-trough decline of a value (PnL, asset balance) between `time_start` and `time_end`.
#[uniffi::remote(Record)]
pub struct Drawdown {
    pub value: Decimal,
    pub time_start: Timestamp,
    pub time_end: Timestamp,
}

/// Mean of the drawdowns: `mean_drawdown` value and `mean_drawdown_ms` duration in milliseconds.
#[uniffi::remote(Record)]
pub struct MeanDrawdown {
    pub mean_drawdown: Decimal,
    pub mean_drawdown_ms: i64,
}

uniffi::custom_type!(MaxDrawdown, Drawdown, {
    remote,
    lower: |max| max.0,
    try_lift: |drawdown| Ok(drawdown::max::MaxDrawdown(drawdown)),
});

/// Ratio of winning trades to all trades, between 0 and 1.
#[uniffi::remote(Record)]
pub struct WinRate {
    pub value: Decimal,
}

/// Gross profit divided by gross loss.
#[uniffi::remote(Record)]
pub struct ProfitFactor {
    pub value: Decimal,
}

/// TearSheet summarising the trading performance of one instrument.
#[uniffi::remote(Record)]
pub struct TearSheet {
    pub pnl: Decimal,
    pub pnl_return: RateOfReturn,
    pub sharpe_ratio: SharpeRatio,
    pub sortino_ratio: SortinoRatio,
    pub calmar_ratio: CalmarRatio,
    pub pnl_drawdown: Option<Drawdown>,
    pub pnl_drawdown_mean: Option<MeanDrawdown>,
    pub pnl_drawdown_max: Option<MaxDrawdown>,
    pub win_rate: Option<WinRate>,
    pub profit_factor: Option<ProfitFactor>,
}

/// TearSheet summarising the trading session changes of one exchange asset.
#[uniffi::remote(Record)]
pub struct TearSheetAsset {
    pub balance_end: Option<Balance>,
    pub drawdown: Option<Drawdown>,
    pub drawdown_mean: Option<MeanDrawdown>,
    pub drawdown_max: Option<MaxDrawdown>,
}

/// Barter's ordered map of instrument tear sheets; crosses as entries, in barter's order
/// (Python: a `dict[str, TearSheet]`).
pub type InstrumentTearSheets = FnvIndexMap<InstrumentNameInternal, TearSheet>;
/// Barter's ordered map of asset tear sheets; crosses as entries, in barter's order
/// (Python: a `dict[ExchangeAsset, TearSheetAsset]`).
pub type AssetTearSheets = FnvIndexMap<ExchangeAsset, TearSheetAsset>;

/// One entry of `TradingSummary.instruments`.
#[derive(uniffi::Record)]
pub struct InstrumentTearSheet {
    pub instrument: InstrumentNameInternal,
    pub tear_sheet: TearSheet,
}

/// One entry of `TradingSummary.assets`.
#[derive(uniffi::Record)]
pub struct AssetTearSheet {
    pub asset: ExchangeAsset,
    pub tear_sheet: TearSheetAsset,
}

uniffi::custom_type!(InstrumentTearSheets, Vec<InstrumentTearSheet>, {
    remote,
    lower: |map| map
        .into_iter()
        .map(|(instrument, tear_sheet)| InstrumentTearSheet { instrument, tear_sheet })
        .collect(),
    try_lift: |entries| Ok(entries
        .into_iter()
        .map(|entry| (entry.instrument, entry.tear_sheet))
        .collect()),
});

uniffi::custom_type!(AssetTearSheets, Vec<AssetTearSheet>, {
    remote,
    lower: |map| map
        .into_iter()
        .map(|(asset, tear_sheet)| AssetTearSheet { asset, tear_sheet })
        .collect(),
    try_lift: |entries| Ok(entries
        .into_iter()
        .map(|entry| (entry.asset, entry.tear_sheet))
        .collect()),
});

/// Summary of a trading session: time range, a `TearSheet` per instrument and a
/// `TearSheetAsset` per exchange asset.
#[uniffi::remote(Record)]
pub struct TradingSummary {
    pub time_engine_start: Timestamp,
    pub time_engine_end: Timestamp,
    pub instruments: InstrumentTearSheets,
    pub assets: AssetTearSheets,
}

/// Barter's own tables of a summary (instrument metrics, then asset metrics), as `print_summary` shows them.
///
/// Fallible because the summary comes from Python, where its values may not fit barter's types.
#[uniffi::export]
pub fn trading_summary_table(summary: TradingSummary) -> Result<String> {
    Ok(format!("{}\n{}", summary.instrument_table(), summary.asset_table()))
}

/// barter's `RateOfReturn::calculate`: the `mean_return` over `returns_period`.
#[uniffi::export]
pub fn rate_of_return_calculate(mean_return: Decimal, returns_period: SummaryInterval) -> RateOfReturn {
    RateOfReturn::calculate(mean_return, returns_period)
}

/// barter's `RateOfReturn::scale`: the rate over `target`, scaled linearly with time.
#[uniffi::export]
pub fn rate_of_return_scale(rate: RateOfReturn, target: SummaryInterval) -> Result<RateOfReturn> {
    barter_call("RateOfReturn::scale", || rate.scale(target))
}

/// barter's `SharpeRatio::calculate`: excess return over `risk_free_return` per unit of
/// `std_dev_returns`, over `returns_period` (`Decimal` max when the deviation is zero).
#[uniffi::export]
pub fn sharpe_ratio_calculate(
    risk_free_return: Decimal,
    mean_return: Decimal,
    std_dev_returns: Decimal,
    returns_period: SummaryInterval,
) -> Result<SharpeRatio> {
    barter_call("SharpeRatio::calculate", || {
        SharpeRatio::calculate(risk_free_return, mean_return, std_dev_returns, returns_period)
    })
}

/// barter's `SharpeRatio::scale`: the ratio over `target`, scaled by the square root of time.
#[uniffi::export]
pub fn sharpe_ratio_scale(ratio: SharpeRatio, target: SummaryInterval) -> Result<SharpeRatio> {
    barter_call("SharpeRatio::scale", || ratio.scale(target))
}

/// barter's `SortinoRatio::calculate`: excess return over `risk_free_return` per unit of
/// `std_dev_loss_returns` (downside deviation), over `returns_period`.
#[uniffi::export]
pub fn sortino_ratio_calculate(
    risk_free_return: Decimal,
    mean_return: Decimal,
    std_dev_loss_returns: Decimal,
    returns_period: SummaryInterval,
) -> Result<SortinoRatio> {
    barter_call("SortinoRatio::calculate", || {
        SortinoRatio::calculate(risk_free_return, mean_return, std_dev_loss_returns, returns_period)
    })
}

/// barter's `SortinoRatio::scale`: the ratio over `target`, scaled by the square root of time.
#[uniffi::export]
pub fn sortino_ratio_scale(ratio: SortinoRatio, target: SummaryInterval) -> Result<SortinoRatio> {
    barter_call("SortinoRatio::scale", || ratio.scale(target))
}

/// barter's `CalmarRatio::calculate`: excess return over `risk_free_return` per unit of
/// `max_drawdown`, over `returns_period`.
#[uniffi::export]
pub fn calmar_ratio_calculate(
    risk_free_return: Decimal,
    mean_return: Decimal,
    max_drawdown: Decimal,
    returns_period: SummaryInterval,
) -> Result<CalmarRatio> {
    barter_call("CalmarRatio::calculate", || {
        CalmarRatio::calculate(risk_free_return, mean_return, max_drawdown, returns_period)
    })
}

/// barter's `CalmarRatio::scale`: the ratio over `target`, scaled by the square root of time.
#[uniffi::export]
pub fn calmar_ratio_scale(ratio: CalmarRatio, target: SummaryInterval) -> Result<CalmarRatio> {
    barter_call("CalmarRatio::scale", || ratio.scale(target))
}

/// barter's `WinRate::calculate`: `|wins| / |total|`, none without positions (or on overflow).
#[uniffi::export]
pub fn win_rate_calculate(wins: Decimal, total: Decimal) -> Option<WinRate> {
    WinRate::calculate(wins, total)
}

/// barter's `ProfitFactor::calculate`: `|profits| / |losses|` (`Decimal` max without losses,
/// min without profits), none when both are zero.
#[uniffi::export]
pub fn profit_factor_calculate(profits_gross_abs: Decimal, losses_gross_abs: Decimal) -> Option<ProfitFactor> {
    ProfitFactor::calculate(profits_gross_abs, losses_gross_abs)
}

/// barter's `Drawdown::duration`, in nanoseconds (exact; an error beyond ±292 years, which
/// nanoseconds in an `i64` cannot hold).
#[uniffi::export]
pub fn drawdown_duration_ns(drawdown: Drawdown) -> Result<i64> {
    let duration = drawdown.duration();
    duration
        .num_nanoseconds()
        .ok_or_else(|| BarterError::invalid_value(format!("Drawdown duration of {} days in nanoseconds overflows i64", duration.num_days())))
}

/// `TradingSummary` in JSON: exactly barter's serde output of the summary, except `assets`, a
/// JSON array of `[ExchangeAsset, TearSheetAsset]` pairs in barter's order (barter's serde
/// cannot write the map itself: JSON object keys are strings, `ExchangeAsset` is a struct).
///
/// ```json
/// {"time_engine_start": "...", "time_engine_end": "...",
///  "instruments": {"binancespot-btc_usdt": {"pnl": "0", "pnl_return": {"value": "0", "interval": "Daily"}, ...}},
///  "assets": [[{"exchange": "binance_spot", "asset": "usdt"}, {"balance_end": {...}, ...}]]}
/// ```
#[uniffi::export]
pub fn trading_summary_to_json(summary: TradingSummary) -> Result<String> {
    serde_json::to_string(&TradingSummaryJsonRef::from(&summary)).map_err(BarterError::from)
}

/// Read a `TradingSummary` from its JSON form (see `trading_summary_to_json`); an error names
/// the field (`assets[0][1].balance_end.total: ...`). A repeated asset is an error.
#[uniffi::export]
pub fn trading_summary_from_json(json: &str) -> Result<TradingSummary> {
    let form: TradingSummaryJson = crate::json::from_json(json.as_bytes())?;
    let count = form.assets.len();
    let assets: AssetTearSheets = form.assets.into_iter().collect();
    if assets.len() != count {
        return Err(BarterError::InvalidInput { reason: "assets: an ExchangeAsset is repeated".into() });
    }
    Ok(TradingSummary {
        time_engine_start: form.time_engine_start,
        time_engine_end: form.time_engine_end,
        instruments: form.instruments,
        assets,
    })
}

/// The JSON form of `TradingSummary`, written: barter's fields, `assets` as pairs.
#[derive(Serialize)]
struct TradingSummaryJsonRef<'a> {
    time_engine_start: &'a Timestamp,
    time_engine_end: &'a Timestamp,
    instruments: &'a InstrumentTearSheets,
    #[serde(serialize_with = "pairs")]
    assets: &'a AssetTearSheets,
}

impl<'a> From<&'a TradingSummary> for TradingSummaryJsonRef<'a> {
    fn from(summary: &'a TradingSummary) -> Self {
        // Destructured: a field barter adds fails to compile here.
        let TradingSummaryOf { time_engine_start, time_engine_end, instruments, assets } = summary;
        Self { time_engine_start, time_engine_end, instruments, assets }
    }
}

fn pairs<S: Serializer>(assets: &&AssetTearSheets, serializer: S) -> std::result::Result<S::Ok, S::Error> {
    serializer.collect_seq(assets.iter())
}

/// The JSON form of `TradingSummary`, read.
#[derive(Deserialize)]
struct TradingSummaryJson {
    time_engine_start: Timestamp,
    time_engine_end: Timestamp,
    instruments: InstrumentTearSheets,
    assets: Vec<(ExchangeAsset, TearSheetAsset)>,
}

json_functions!(
    RateOfReturn, SharpeRatio, SortinoRatio, CalmarRatio, Drawdown, MeanDrawdown, WinRate, ProfitFactor,
    TearSheet, TearSheetAsset,
);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_interval_is_barters_interval() {
        struct TestCase {
            interval: SummaryInterval,
            barter: (SmolStr, TimeDelta),
        }
        let cases = [
            // TC0
            TestCase { interval: SummaryInterval::Daily, barter: (Daily.name(), Daily.interval()) },
            // TC1
            TestCase { interval: SummaryInterval::Annual252, barter: (Annual252.name(), Annual252.interval()) },
            // TC2
            TestCase { interval: SummaryInterval::Annual365, barter: (Annual365.name(), Annual365.interval()) },
        ];
        for (index, case) in cases.into_iter().enumerate() {
            assert_eq!((case.interval.name(), case.interval.interval()), case.barter, "TC{index} failed");
        }
    }
}
