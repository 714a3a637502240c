"""barter's objects under Python's object protocols: ``copy.copy``, ``copy.deepcopy`` and
``pickle`` (to a file, or to another process).

A generated object holds a handle to a Rust value and frees it when it is collected. Python's
default copy duplicates the handle, so two objects would free one value (a use-after-free: a
crash, or silently wrong answers). Each object class therefore gets a reducer in
:mod:`copyreg`'s dispatch table, which ``copy`` and ``pickle`` consult before their defaults:

- **values** (market data, configurations, instruments, backtest arguments and results,
  statistics generators, engine states) copy and pickle *by value*: rebuilt from barter's own
  serialisation (its serde JSON, JSON lines, or the parts the object is made of), so a pickle
  sent to another process holds the data, never a pointer;
- **live objects** (a running system and its streams, executions, a stopped engine, a
  strategy's context, clocks) raise ``TypeError`` saying what to do instead.

Every object class of the native module is covered: one not listed here is refused. The table
is looked up by exact type, so the package registers its own subclasses (:func:`register`).

``BarterError``'s variants are rebuilt from their fields too: Python's default pickles an
exception's ``args``, which UniFFI fills with one formatted string, so a variant of two fields
(``BarterError.Io``, ``.Json``) could not be unpickled.
"""

from __future__ import annotations

import copyreg
from collections.abc import Callable
from typing import Any

from barter._ffi import barter_ffi as _ffi

_Reduced = tuple[Callable[..., Any], tuple[Any, ...]]


def _json(cls: Any) -> Callable[[Any], _Reduced]:
    """Rebuilt by ``cls.from_json`` from barter's serde JSON."""
    return lambda value: (cls.from_json, (value.to_json(),))


# How each value is rebuilt: a callable and its arguments, themselves plain data or values.
_BY_VALUE: dict[type, Callable[[Any], _Reduced]] = {
    _ffi.MarketDataInMemory: lambda data: (_ffi.MarketDataInMemory.from_json_lines, (data.to_json_lines(),)),
    _ffi.IndexedInstruments: _json(_ffi.IndexedInstruments),
    _ffi.SystemConfig: _json(_ffi.SystemConfig),
    _ffi.BacktestConfig: _json(_ffi.BacktestConfig),
    _ffi.EngineState: _json(_ffi.EngineState),
    _ffi.DrawdownGenerator: _json(_ffi.DrawdownGenerator),
    _ffi.MaxDrawdownGenerator: _json(_ffi.MaxDrawdownGenerator),
    _ffi.MeanDrawdownGenerator: _json(_ffi.MeanDrawdownGenerator),
    _ffi.TearSheetGenerator: _json(_ffi.TearSheetGenerator),
    _ffi.TearSheetAssetGenerator: _json(_ffi.TearSheetAssetGenerator),
    _ffi.TradingSummaryGenerator: _json(_ffi.TradingSummaryGenerator),
    _ffi.BacktestArgsConstant: lambda args: (
        _ffi.BacktestArgsConstant,
        (args.system(), args.market_data(), args.summary_interval(), args.trading_state()),
    ),
    _ffi.BacktestResult: lambda result: (
        _ffi.BacktestResult.from_parts,
        (result.summary(), result.fills(), result.opens_refused(), result.cancels_refused(), result.frames()),
    ),
    _ffi.BacktestResults: lambda results: (_ffi.BacktestResults.from_parts, (results.outcomes(), results.duration())),
    _ffi.ExecutionInstrumentMap: lambda map_: (_ffi.ExecutionInstrumentMap, (map_.indexed_instruments(), map_.exchange())),
    _ffi.AccountEventIndexer: lambda indexer: (_ffi.AccountEventIndexer, (indexer.map(),)),
}

_LIVE = "it is live: its tasks and channels run in this process only"

# Why each live object cannot be copied, and what to do instead.
_REFUSED: dict[type, str] = {
    _ffi.System: f"{_LIVE}; send it commands from here, or build another system",
    _ffi.SystemBuild: f"{_LIVE}; build another from the SystemBuilder",
    _ffi.SystemBuilder: "it holds a market stream and strategy that feed one system; make another from its SystemArgs",
    _ffi.AuditStream: f"{_LIVE}; read it where it is",
    _ffi.AccountStream: f"{_LIVE}; read it where it is",
    _ffi.MarketStream: "it feeds one system; make another from the market data",
    _ffi.MockExecution: f"{_LIVE}; start another MockExecution",
    _ffi.BacktestBatch: f"{_LIVE}; wait for it, then copy its results()",
    _ffi.Engine: "it owns a strategy and channels; copy engine.state() (an EngineState) instead",
    _ffi.StrategyContext: "it is valid only during the callback it was given to",
    _ffi.HistoricalClock: "a clock is shared by what it times; HistoricalClock(clock.time()) starts a new one",
    _ffi.AlgoStrategyImpl: "it is a strategy object of the engine",
    _ffi.ClosePositionsStrategyImpl: "it is a strategy object of the engine",
    _ffi.OnDisconnectStrategyImpl: "it is a strategy object of the engine",
    _ffi.OnTradingDisabledImpl: "it is a strategy object of the engine",
    _ffi.RiskManagerImpl: "it is a risk manager object of the engine",
}


def _refuse(cls: type, why: str) -> Callable[[Any], _Reduced]:
    def reduce(_value: Any) -> _Reduced:
        raise TypeError(f"{cls.__name__} cannot be copied or pickled: {why}")

    return reduce


def object_classes() -> list[type]:
    """Every class of the native module whose instances hold a handle to a Rust value."""
    return [cls for cls in vars(_ffi).values() if isinstance(cls, type) and hasattr(cls, "_uniffi_clone_handle")]


def register(cls: type, like: type) -> None:
    """Give ``cls`` (a Python subclass of the object class ``like``) ``like``'s reducer: the
    dispatch table is looked up by exact type."""
    copyreg.pickle(cls, copyreg.dispatch_table[like])


def _error(cls: type[BaseException], fields: dict[str, Any]) -> BaseException:
    """A ``BarterError`` variant from its fields."""
    return cls(**fields)


def _error_reducer(error: BaseException) -> _Reduced:
    return (_error, (type(error), dict(vars(error))))


for _variant in vars(_ffi.BarterError).values():
    if isinstance(_variant, type) and issubclass(_variant, _ffi.BarterError):
        copyreg.pickle(_variant, _error_reducer)

for _cls in object_classes():
    if _cls in _BY_VALUE:
        copyreg.pickle(_cls, _BY_VALUE[_cls])
    else:
        copyreg.pickle(_cls, _refuse(_cls, _REFUSED.get(_cls, "it holds a handle to a Rust value")))
