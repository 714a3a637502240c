//! Bindings for `barter::statistic`: trading summaries, tear sheets and their metrics.
//!
//! Barter's summaries are generic over the summary interval (`Daily`, `Annual252`, `Annual365`).
//! The bindings instantiate them once, at [`SummaryInterval`], an enum that delegates to barter's
//! own interval types, so every metric is still computed by barter.

use crate::{custom::Timestamp, error::Result, execution::Balance, instrument::ExchangeAsset};
use ::barter::statistic::{
    metric::drawdown,
    summary::{TradingSummary as TradingSummaryOf, asset, instrument},
    time::{Annual252, Annual365, Daily, TimeInterval},
};
use barter_instrument::instrument::name::InstrumentNameInternal;
use barter_integration::collection::FnvIndexMap;
use chrono::TimeDelta;
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};
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
