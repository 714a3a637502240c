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

import dataclasses
import datetime as _dt
from typing import Any

from barter._ffi import barter_ffi as _ffi
from barter._check import strict
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
from barter._records import fields

# barter's functions, each argument checked first (barter._check).
calmar_ratio_calculate = strict(_ffi.calmar_ratio_calculate)
calmar_ratio_scale = strict(_ffi.calmar_ratio_scale)
drawdown_duration_ns = strict(_ffi.drawdown_duration_ns)
profit_factor_calculate = strict(_ffi.profit_factor_calculate)
rate_of_return_calculate = strict(_ffi.rate_of_return_calculate)
rate_of_return_scale = strict(_ffi.rate_of_return_scale)
sharpe_ratio_calculate = strict(_ffi.sharpe_ratio_calculate)
sharpe_ratio_scale = strict(_ffi.sharpe_ratio_scale)
sortino_ratio_calculate = strict(_ffi.sortino_ratio_calculate)
sortino_ratio_scale = strict(_ffi.sortino_ratio_scale)
trading_summary_table = strict(_ffi.trading_summary_table)
win_rate_calculate = strict(_ffi.win_rate_calculate)


def _table(self: TradingSummary) -> str:
    """Barter's own tables of this summary (instrument metrics, then asset metrics)."""
    return trading_summary_table(self)


def _print_summary(self: TradingSummary) -> None:
    """Print barter's tables of this summary to ``sys.stdout`` (barter's ``print_summary``
    writes the process's stdout, which a notebook does not show)."""
    print(trading_summary_table(self))


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(item) for name, item in fields(value).items()}
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


def _to_dict(self: TradingSummary) -> dict[str, Any]:
    """This summary as plain Python: nested dicts of ``Decimal``, ``Timestamp``,
    ``SummaryInterval`` and ``None``; ``instruments`` keyed by name and ``assets`` by
    ``ExchangeAsset``, in barter's order.

    ``to_json()`` writes barter's serde JSON of the summary, except ``assets``: a list of
    ``[ExchangeAsset, TearSheetAsset]`` pairs (JSON object keys cannot be ``ExchangeAsset``s).
    """
    return _plain(self)


TradingSummary.table = _table  # type: ignore[attr-defined]
TradingSummary.print_summary = _print_summary  # type: ignore[attr-defined]
TradingSummary.to_dict = _to_dict  # type: ignore[attr-defined]

# barter's metric constructors and methods (remote records cannot carry exported methods).
RateOfReturn.calculate = staticmethod(rate_of_return_calculate)  # type: ignore[attr-defined]
RateOfReturn.scale = rate_of_return_scale  # type: ignore[attr-defined]
SharpeRatio.calculate = staticmethod(sharpe_ratio_calculate)  # type: ignore[attr-defined]
SharpeRatio.scale = sharpe_ratio_scale  # type: ignore[attr-defined]
SortinoRatio.calculate = staticmethod(sortino_ratio_calculate)  # type: ignore[attr-defined]
SortinoRatio.scale = sortino_ratio_scale  # type: ignore[attr-defined]
CalmarRatio.calculate = staticmethod(calmar_ratio_calculate)  # type: ignore[attr-defined]
CalmarRatio.scale = calmar_ratio_scale  # type: ignore[attr-defined]
WinRate.calculate = staticmethod(win_rate_calculate)  # type: ignore[attr-defined]
ProfitFactor.calculate = staticmethod(profit_factor_calculate)  # type: ignore[attr-defined]


def _duration(self: Drawdown) -> _dt.timedelta:
    """barter's ``Drawdown::duration``, ``time_end - time_start``, as a ``timedelta`` (which
    stops at microseconds, like the difference of two ``Timestamp``s: ``duration_ns()`` is exact)."""
    return _dt.timedelta(microseconds=drawdown_duration_ns(self) // 1000)


Drawdown.duration = _duration  # type: ignore[attr-defined]
Drawdown.duration_ns = drawdown_duration_ns  # type: ignore[attr-defined]



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
