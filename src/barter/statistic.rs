//! Bindings for `barter::statistic`: trading summaries, tear sheets and their metrics.
//!
//! Barter's summaries are generic over the summary interval (`Daily`, `Annual252`, `Annual365`).
//! The bindings instantiate them once, at [`SummaryInterval`], an enum that delegates to barter's
//! own interval types, so every metric is still computed by barter.

use crate::{
    custom::Timestamp,
    execution::Balance,
    instrument::ExchangeAsset,
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
use serde::{Deserialize, Serialize};
use smol_str::SmolStr;

/// Time interval over which barter scales summary metrics: `Daily`, `Annual252` (traditional
/// markets, 252 trading days) or `Annual365` (crypto, 24/7 trading).
#[derive(Debug, Copy, Clone, PartialEq, Eq, Hash, Default, Deserialize, Serialize, uniffi::Enum)]
pub enum SummaryInterval {
    #[default]
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

/// Rate of return over the summary interval.
pub type RateOfReturn = ::barter::statistic::metric::rate_of_return::RateOfReturn<SummaryInterval>;
/// Sharpe Ratio: risk-adjusted return, excess return over the risk-free rate per unit of standard deviation.
pub type SharpeRatio = ::barter::statistic::metric::sharpe::SharpeRatio<SummaryInterval>;
/// Sortino Ratio: like Sharpe, but penalising only downside volatility.
pub type SortinoRatio = ::barter::statistic::metric::sortino::SortinoRatio<SummaryInterval>;
/// Calmar Ratio: return relative to the maximum drawdown.
pub type CalmarRatio = ::barter::statistic::metric::calmar::CalmarRatio<SummaryInterval>;
/// Peak-to-trough decline of a value (PnL, asset balance) between `time_start` and `time_end`.
pub type Drawdown = drawdown::Drawdown;
/// Mean of the drawdowns: `mean_drawdown` value and `mean_drawdown_ms` duration in milliseconds.
pub type MeanDrawdown = drawdown::mean::MeanDrawdown;
/// Largest peak-to-trough decline; crosses as the `Drawdown` it wraps.
pub type MaxDrawdown = drawdown::max::MaxDrawdown;
/// Ratio of winning trades to all trades, between 0 and 1.
pub type WinRate = ::barter::statistic::metric::win_rate::WinRate;
/// Gross profit divided by gross loss.
pub type ProfitFactor = ::barter::statistic::metric::profit_factor::ProfitFactor;
/// TearSheet summarising the trading performance of one instrument.
pub type TearSheet = instrument::TearSheet<SummaryInterval>;
/// TearSheet summarising the trading session changes of one exchange asset.
pub type TearSheetAsset = asset::TearSheetAsset;
/// Summary of a trading session: time range, a `TearSheet` per instrument and a
/// `TearSheetAsset` per exchange asset.
pub type TradingSummary = TradingSummaryOf<SummaryInterval>;

#[uniffi::remote(Record)]
pub struct RateOfReturn {
    pub value: Decimal,
    pub interval: SummaryInterval,
}

#[uniffi::remote(Record)]
pub struct SharpeRatio {
    pub value: Decimal,
    pub interval: SummaryInterval,
}

#[uniffi::remote(Record)]
pub struct SortinoRatio {
    pub value: Decimal,
    pub interval: SummaryInterval,
}

#[uniffi::remote(Record)]
pub struct CalmarRatio {
    pub value: Decimal,
    pub interval: SummaryInterval,
}

#[uniffi::remote(Record)]
pub struct Drawdown {
    pub value: Decimal,
    pub time_start: Timestamp,
    pub time_end: Timestamp,
}

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

#[uniffi::remote(Record)]
pub struct WinRate {
    pub value: Decimal,
}

#[uniffi::remote(Record)]
pub struct ProfitFactor {
    pub value: Decimal,
}

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

#[uniffi::remote(Record)]
pub struct TradingSummary {
    pub time_engine_start: Timestamp,
    pub time_engine_end: Timestamp,
    pub instruments: InstrumentTearSheets,
    pub assets: AssetTearSheets,
}

/// Barter's own tables of a summary (instrument metrics, then asset metrics), as `print_summary` shows them.
#[uniffi::export]
pub fn trading_summary_table(summary: TradingSummary) -> String {
    format!("{}\n{}", summary.instrument_table(), summary.asset_table())
}
