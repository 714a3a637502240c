"""Bindings for ``barter::statistic``: trading summaries, tear sheets and their metrics.

All values are computed by barter; ``Decimal`` fields are ``decimal.Decimal``.
"""

from barter._ffi.barter_ffi import (
    CalmarRatio,
    Drawdown,
    MaxDrawdown,
    MeanDrawdown,
    ProfitFactor,
    RateOfReturn,
    SharpeRatio,
    SortinoRatio,
    SummaryInterval,
    TearSheet,
    TearSheetAsset,
    TradingSummary,
    WinRate,
    trading_summary_table,
)


def _table(self: TradingSummary) -> str:
    """Barter's own tables of this summary (instrument metrics, then asset metrics)."""
    return trading_summary_table(self)


def _print_summary(self: TradingSummary) -> None:
    """Print barter's tables of this summary to ``sys.stdout`` (barter's ``print_summary``
    writes the process's stdout, which a notebook does not show)."""
    print(trading_summary_table(self))


TradingSummary.table = _table  # type: ignore[attr-defined]
TradingSummary.print_summary = _print_summary  # type: ignore[attr-defined]

__all__ = [
    "CalmarRatio",
    "Drawdown",
    "MaxDrawdown",
    "MeanDrawdown",
    "ProfitFactor",
    "RateOfReturn",
    "SharpeRatio",
    "SortinoRatio",
    "SummaryInterval",
    "TearSheet",
    "TearSheetAsset",
    "TradingSummary",
    "WinRate",
]
