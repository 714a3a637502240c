"""Bindings for ``barter::statistic``: trading summaries, tear sheets, their metrics and barter's
generators of them, which Python can drive with its own positions and balances.

All values are computed by barter; ``Decimal`` fields are ``decimal.Decimal``. Metrics are
barter's records with barter's constructors (``SharpeRatio.calculate(...)``, ``ratio.scale(...)``);
generators are objects holding barter's state (``TradingSummaryGenerator.generate(interval)``).

Example: a tear sheet of two closed positions of the engine's instrument 0::

    from barter.statistic import SummaryInterval, TearSheetGenerator

    generator = TearSheetGenerator.init(start)
    for exited in exits:  # barter.engine.PositionExited, from PositionManager.update_from_trade
        generator.update_from_position(exited)
    tear_sheet = generator.generate(Decimal("0.05"), SummaryInterval.DAILY)

The position types live in :mod:`barter.engine` (barter's ``engine::state::position``).
"""

from __future__ import annotations

from barter._ffi.barter_ffi import (
    AssetTearSheetGenerator,
    CalmarRatio,
    DataSetSummary,
    Dispersion,
    Drawdown,
    DrawdownGenerator,
    InstrumentTearSheetGenerator,
    MaxDrawdown,
    MaxDrawdownGenerator,
    MeanDrawdown,
    MeanDrawdownGenerator,
    PnLReturns,
    ProfitFactor,
    Range,
    RateOfReturn,
    SharpeRatio,
    SortinoRatio,
    SummaryInterval,
    TearSheet,
    TearSheetAsset,
    TearSheetAssetGenerator,
    TearSheetGenerator,
    TimedBalance,
    TimedDecimal,
    TradingSummary,
    TradingSummaryGenerator,
    WinRate,
)

__all__ = [
    # Summaries and tear sheets
    "SummaryInterval",
    "TearSheet",
    "TearSheetAsset",
    "TradingSummary",
    # Metrics
    "CalmarRatio",
    "Drawdown",
    "MaxDrawdown",
    "MeanDrawdown",
    "ProfitFactor",
    "RateOfReturn",
    "SharpeRatio",
    "SortinoRatio",
    "WinRate",
    # Generators, and the statistics they hold
    "AssetTearSheetGenerator",
    "DataSetSummary",
    "Dispersion",
    "DrawdownGenerator",
    "InstrumentTearSheetGenerator",
    "MaxDrawdownGenerator",
    "MeanDrawdownGenerator",
    "PnLReturns",
    "Range",
    "TearSheetAssetGenerator",
    "TearSheetGenerator",
    "TimedBalance",
    "TimedDecimal",
    "TradingSummaryGenerator",
]
