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

The position types live in :mod:`barter.engine` (barter's ``engine::state::position``); their
barter methods are attached here, where the statistics that consume them are bound.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
from typing import Any

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
    Position,
    PositionManager,
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
    calmar_ratio_calculate,
    calmar_ratio_scale,
    drawdown_duration_ns,
    position_from_trade,
    position_manager_update_from_trade,
    position_update_from_trade,
    position_update_pnl_realised,
    position_update_pnl_unrealised,
    profit_factor_calculate,
    rate_of_return_calculate,
    rate_of_return_scale,
    sharpe_ratio_calculate,
    sharpe_ratio_scale,
    sortino_ratio_calculate,
    sortino_ratio_scale,
    trading_summary_table,
    win_rate_calculate,
)


def _table(self: TradingSummary) -> str:
    """Barter's own tables of this summary (instrument metrics, then asset metrics)."""
    return trading_summary_table(self)


def _print_summary(self: TradingSummary) -> None:
    """Print barter's tables of this summary to ``sys.stdout`` (barter's ``print_summary``
    writes the process's stdout, which a notebook does not show)."""
    print(trading_summary_table(self))


def _record_fields(record: Any) -> dict[str, Any]:
    # The generated records keep their fields as instance attributes (no dataclass fields).
    return {name: value for name, value in vars(record).items() if not name.startswith("_")}


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(item) for name, item in _record_fields(value).items()}
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


# barter's position methods. As in barter: `Position.update_from_trade` consumes the position
# and returns `(position, exited)`; the `&mut self` methods update the record in place.
def _assign(record: Any, new: Any) -> None:
    for name, value in _record_fields(new).items():
        setattr(record, name, value)


def _position_update_from_trade(self: Position, trade: Any) -> tuple[Position | None, Any]:
    """barter's ``Position::update_from_trade``: ``(position, exited)``, the position still open
    (``None`` if the trade closed it exactly) and the ``PositionExited`` if it closed or flipped."""
    update = position_update_from_trade(self, trade)
    return update.position, update.exited


def _position_update_pnl_unrealised(self: Position, price: Any) -> None:
    """barter's ``Position::update_pnl_unrealised``: estimate ``pnl_unrealised`` at ``price``."""
    _assign(self, position_update_pnl_unrealised(self, price))


def _position_update_pnl_realised(self: Position, closed_quantity: Any, closed_price: Any, closed_fee: Any) -> None:
    """barter's ``Position::update_pnl_realised``: add the PnL of closing ``closed_quantity``."""
    _assign(self, position_update_pnl_realised(self, closed_quantity, closed_price, closed_fee))


def _manager_update_from_trade(self: PositionManager, trade: Any) -> Any:
    """barter's ``PositionManager::update_from_trade``: update ``current`` from ``trade``; the
    ``PositionExited``, if it closed one."""
    update = position_manager_update_from_trade(self, trade)
    _assign(self, update.manager)
    return update.exited


Position.from_trade = staticmethod(position_from_trade)  # type: ignore[attr-defined]
Position.update_from_trade = _position_update_from_trade  # type: ignore[attr-defined]
Position.update_pnl_unrealised = _position_update_pnl_unrealised  # type: ignore[attr-defined]
Position.update_pnl_realised = _position_update_pnl_realised  # type: ignore[attr-defined]
PositionManager.update_from_trade = _manager_update_from_trade  # type: ignore[attr-defined]

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
