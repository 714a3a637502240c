"""The base classes of the generated classes: what the native module's types are in Python beyond
UniFFI's output, written once here and named in the class statements of the generated module.

The build's one step over UniFFI's output (``xtask/src/python_classes.rs``) reads this file:

- ``_Record``/``_HashableRecord`` are the bases of every record, ``_Enum``/``_HashableEnum`` of
  every enum with data (hashable: the types in ``HASHABLE``), ``_Json`` of every type barter reads
  and writes as serde JSON;
- each public class here is the first base of the generated class of the same name: the methods
  barter has on that type that UniFFI cannot export on a remote type (``TradingSummary.table``,
  ``Position.update_from_trade``, ...), and Python's protocols (``len``, iteration).

The generated module imports this one while it is being built, so nothing here imports it at
import time: the native functions are looked up when first called (:func:`_native`), and the
native types are imported for type checkers only.
"""

from __future__ import annotations

import array
import concurrent.futures
import contextlib
import dataclasses
import datetime as _dt
import functools
import math
import signal
import sys
import threading
import time
import typing
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Generic, Optional, TypeVar

from barter._check import check, strict

if TYPE_CHECKING:
    from barter._convert import Timestamp
    from barter._ffi.barter_ffi import (
        AssetFilter as _AssetFilter,
        AuditTickEngineAudit,
        CalmarRatio as _CalmarRatio,
        CheckFailHigherThan,
        Engine,
        EngineAudit,
        ExchangeId,
        ExchangeIndex,
        InstrumentFilter as _InstrumentFilter,
        InstrumentIndex,
        MarketDataInMemory as _MarketDataInMemory,
        Position as _Position,
        PositionExited,
        ProfitFactor as _ProfitFactor,
        RateOfReturn as _RateOfReturn,
        SharpeRatio as _SharpeRatio,
        SortinoRatio as _SortinoRatio,
        SummaryInterval,
        SystemShutdown as _SystemShutdown,
        Trade as _Trade,
        Underlying,
        UnindexedAccountEvent,
        WinRate as _WinRate,
    )

# barter derives `Hash` for these: in Python they hash by value and are dict keys. Records that
# hold lists or enums with data are not, as in Python their fields are not hashable.
HASHABLE = frozenset(
    [
        "AssetBalance", "AssetFees", "Balance", "CancelInFlight", "Cancelled", "Open", "OpenInFlight", "OrderKey",
        "RequestCancel", "UnindexedAssetBalance", "UnindexedOrderKey",
        "DataError", "Level", "MarketInstrumentData", "Subscription",
        "ConnectivityState", "EngineContext", "EngineError", "EngineMeta", "OneOrManyExchangeId",
        "OneOrManyExchangeIndex", "OneOrManyInstrumentIndex", "OneOrManyUnderlying", "RecoverableEngineError",
        "Shutdown", "UnrecoverableEngineError",
        "Asset", "EngineInstrument", "ExchangeAsset", "ExchangeAssetNames", "FutureContract", "IndexError",
        "Instrument", "InstrumentKind", "InstrumentSpec", "InstrumentSpecNotional", "InstrumentSpecPrice",
        "InstrumentSpecQuantity", "KeyedAsset", "KeyedExchange", "KeyedInstrument", "MarketDataFutureContract",
        "MarketDataInstrument", "MarketDataInstrumentKind", "MarketDataOptionContract", "OptionContract",
        "OrderQuantityUnits", "PerpetualContract", "QuoteAsset", "Underlying", "UnindexedFutureContract",
        "UnindexedInstrumentKind", "UnindexedInstrumentSpec", "UnindexedInstrumentSpecQuantity",
        "UnindexedOptionContract", "UnindexedOrderQuantityUnits", "UnindexedPerpetualContract",
        "UnindexedUnderlying",
        "RiskRefusedOrderRequestCancel", "RiskRefusedOrderRequestOpen",
        "InstrumentConfig", "KeyedBalance",
    ]
)

_T = TypeVar("_T")
_J = TypeVar("_J", bound="_Json")


@functools.cache
def _native(name: str) -> Callable[..., Any]:
    """The native module's function ``name``, each argument checked first (:func:`strict`)."""
    return strict(getattr(sys.modules["barter._ffi.barter_ffi"], name))


_F = TypeVar("_F", bound=Callable[..., Any])


def checked(method: _F) -> _F:
    """An object's ``method`` with its arguments checked against its annotations first
    (:func:`barter._check.strict`). The check is built at the first call: while the generated
    module is being built, the names its annotations use do not all exist yet."""
    check_then_call: Callable[..., Any] | None = None

    @functools.wraps(method)
    def call(*args: Any, **kwargs: Any) -> Any:
        nonlocal check_then_call
        if check_then_call is None:
            check_then_call = strict(method)
        return check_then_call(*args, **kwargs)

    return typing.cast(_F, call)


def field_values(record: object) -> dict[str, Any]:
    """A record's fields by name, in declaration order (shallow, unlike ``dataclasses.asdict``)."""
    return {field.name: getattr(record, field.name) for field in dataclasses.fields(record)}  # type: ignore[arg-type]


# --- Every record and enum with data -------------------------------------------------------------


class _Record:
    """Equality by value: the same type and equal fields (a record of another type is unequal)."""

    __hash__: Any = None  # a record is mutable: only those in HASHABLE hash

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return field_values(self) == field_values(other)


class _HashableRecord(_Record):
    """A record barter derives ``Hash`` for: it hashes by its fields. Like any value used as a
    dict key, do not change one while it is a key."""

    def __hash__(self) -> int:
        return hash(tuple(field_values(self).values()))


def _variant_values(variant: object) -> tuple[Any, ...]:
    # A tuple variant keeps its values in `_values`; struct and unit variants are dataclasses.
    values = getattr(variant, "_values", None)
    return values if values is not None else tuple(field_values(variant).values())


class _Enum:
    """Equality by value: the same variant and equal values."""

    __hash__: Any = None

    def __eq__(self, other: object) -> bool:
        if type(other) is not type(self):
            return NotImplemented
        return _variant_values(self) == _variant_values(other)

    def __repr__(self) -> str:
        # Tuple variants only: struct and unit variants have their dataclass repr.
        return f"{type(self).__qualname__}({', '.join(map(repr, _variant_values(self)))})"


class _HashableEnum(_Enum):
    """An enum barter derives ``Hash`` for: each variant hashes by its name and values."""

    def __hash__(self) -> int:
        return hash((type(self).__qualname__, _variant_values(self)))


@functools.cache
def _json_stems() -> dict[str, str]:
    # `trading_summary_from_json` → {"TradingSummary": "trading_summary"}, as the build step pairs them.
    names = vars(sys.modules["barter._ffi.barter_ffi"])
    stems = [name.removesuffix("_from_json") for name in names if name.endswith("_from_json")]
    return {"".join(part[:1].upper() + part[1:] for part in stem.split("_")): stem for stem in stems}


def _json_stem(cls: type, value: object = None) -> str:
    # The first generated class up the MRO (a Python subclass reads and writes as its native base).
    for base in cls.__mro__:
        if base.__module__ == "barter._ffi.barter_ffi" and base.__name__ in _json_stems():
            return _json_stems()[base.__name__]
    raise TypeError(f"self: expected a value of one of barter's types, got {cls.__name__} {value!r}")


class _Json:
    """barter's serde JSON: ``Type.from_json(text)`` and ``value.to_json()``, the same text
    barter's Rust programs read and write."""

    @classmethod
    def from_json(cls: type[_J], text: str) -> _J:
        """The value of barter's serde JSON ``text``; ``BarterError.Json`` names the line and
        barter's reason if it does not parse."""
        return _native(f"{_json_stem(cls)}_from_json")(text)  # type: ignore[no-any-return]

    def to_json(self) -> str:
        """barter's serde JSON of this value."""
        return _native(f"{_json_stem(type(self), self)}_to_json")(self)  # type: ignore[no-any-return]


class _Stream(Generic[_T]):
    """A stream of items: ``poll(timeout)`` (native) and ``next(timeout)`` wait for the next;
    ``for item in stream`` reads until it ends."""

    # Each wait into Rust is at most this long, so Ctrl-C and other signals reach Python.
    _SLICE = 0.1

    if TYPE_CHECKING:

        def poll(self, timeout: float | None) -> _T | None: ...
        def ended(self) -> bool: ...

    def next(self, timeout: float | None = None) -> _T | None:
        """The next item, waiting at most ``timeout`` seconds (``None``: until one comes or the
        stream ends). ``None`` if none came in time or the stream has ended (then ``ended()``).
        It waits in slices of 0.1 s, so Ctrl-C interrupts it."""
        check(timeout, Optional[float], "timeout")
        if timeout is not None and not timeout > self._SLICE:  # a short wait, or one Rust refuses
            return self.poll(timeout)
        deadline = math.inf if timeout is None else time.monotonic() + timeout
        while True:
            item = self.poll(min(self._SLICE, max(0.0, deadline - time.monotonic())))
            if item is not None or self.ended() or time.monotonic() >= deadline:
                return item

    def __iter__(self) -> Iterator[_T]:
        return self

    def __next__(self) -> _T:
        item = self.next()
        if item is None:
            raise StopIteration
        return item


# --- barter-data -----------------------------------------------------------------------------------


class OrderBookL1:
    """barter's methods of ``OrderBookL1``."""

    def mid_price(self) -> Decimal | None:
        """barter's ``OrderBookL1::mid_price``: the mean of the best bid and ask prices, if both exist."""
        return _native("order_book_l1_mid_price")(self)  # type: ignore[no-any-return]

    def volume_weighed_mid_price(self) -> Decimal | None:
        """barter's ``OrderBookL1::volume_weighed_mid_price``: the best prices weighed by the
        other side's amount, if both exist."""
        return _native("order_book_l1_volume_weighed_mid_price")(self)  # type: ignore[no-any-return]


class OrderBook:
    """barter's methods of ``OrderBook``."""

    def mid_price(self) -> Decimal | None:
        """barter's ``OrderBook::mid_price``: the mean of the best bid and ask prices, if both exist."""
        return _native("order_book_mid_price")(self)  # type: ignore[no-any-return]

    def volume_weighed_mid_price(self) -> Decimal | None:
        """barter's ``OrderBook::volume_weighed_mid_price``: the best prices weighed by the other
        side's amount, if both exist."""
        return _native("order_book_volume_weighed_mid_price")(self)  # type: ignore[no-any-return]


# --- barter-execution ------------------------------------------------------------------------------


class Balance:
    """barter's methods of ``Balance``."""

    def used(self) -> Decimal:
        """barter's ``Balance::used``: ``total - free``."""
        return _native("balance_used")(self)  # type: ignore[no-any-return]


class Trade:
    """barter's methods of ``Trade``."""

    def value_quote(self) -> Decimal:
        """barter's ``Trade::value_quote``: ``price * quantity.abs()``."""
        return _native("trade_value_quote")(self)  # type: ignore[no-any-return]


class UnindexedTrade:
    """barter's methods of ``Trade`` keyed by names."""

    def value_quote(self) -> Decimal:
        """barter's ``Trade::value_quote``: ``price * quantity.abs()``."""
        return _native("unindexed_trade_value_quote")(self)  # type: ignore[no-any-return]


class AccountSnapshot:
    """barter's methods of ``AccountSnapshot``."""

    def time_most_recent(self) -> Timestamp | None:
        """barter's ``AccountSnapshot::time_most_recent``: the latest time of its balances and orders."""
        return _native("account_snapshot_time_most_recent")(self)  # type: ignore[no-any-return]


class UnindexedAccountSnapshot:
    """barter's methods of ``AccountSnapshot`` keyed by names."""

    def time_most_recent(self) -> Timestamp | None:
        """barter's ``AccountSnapshot::time_most_recent``: the latest time of its balances and orders."""
        return _native("unindexed_account_snapshot_time_most_recent")(self)  # type: ignore[no-any-return]


class OrderState:
    """barter's methods of ``OrderState``."""

    def time_exchange(self) -> Timestamp | None:
        """barter's ``OrderState::time_exchange``: the exchange's time of this state, if it has one."""
        return _native("order_state_time_exchange")(self)  # type: ignore[no-any-return]


class UnindexedOrderState:
    """barter's methods of ``OrderState`` keyed by names."""

    def time_exchange(self) -> Timestamp | None:
        """barter's ``OrderState::time_exchange``: the exchange's time of this state, if it has one."""
        return _native("unindexed_order_state_time_exchange")(self)  # type: ignore[no-any-return]


class AccountStream(_Stream["UnindexedAccountEvent"]):
    """An execution's account events, as a Python iterator ending with the stream."""


# --- barter-integration ----------------------------------------------------------------------------


class Metric:
    """barter writes metrics and never reads them: JSON one way only."""

    def to_json(self) -> str:
        """barter's serde JSON of this metric."""
        return _native("metric_to_json")(self)  # type: ignore[no-any-return]


# --- barter: engine --------------------------------------------------------------------------------


class InstrumentFilter:
    """barter's constructors of instrument filters from any number of keys."""

    @staticmethod
    def exchanges(exchanges: list[ExchangeIndex]) -> _InstrumentFilter:
        """barter's ``InstrumentFilter::exchanges``: instruments of these exchanges (``ONE`` or ``MANY``)."""
        return _native("instrument_filter_exchanges")(exchanges)  # type: ignore[no-any-return]

    @staticmethod
    def instruments(instruments: list[InstrumentIndex]) -> _InstrumentFilter:
        """barter's ``InstrumentFilter::instruments``: these instruments (``ONE`` or ``MANY``)."""
        return _native("instrument_filter_instruments")(instruments)  # type: ignore[no-any-return]

    @staticmethod
    def underlyings(underlyings: list[Underlying]) -> _InstrumentFilter:
        """barter's ``InstrumentFilter::underlyings``: instruments of these underlyings (``ONE`` or ``MANY``)."""
        return _native("instrument_filter_underlyings")(underlyings)  # type: ignore[no-any-return]


class AssetFilter:
    """barter's constructors of asset filters."""

    @staticmethod
    def exchanges(exchanges: list[ExchangeId]) -> _AssetFilter:
        """barter's ``AssetFilter::exchanges``: assets of these exchanges."""
        return _native("asset_filter_exchanges")(exchanges)  # type: ignore[no-any-return]


class LiveClock:
    """barter's methods of ``LiveClock``."""

    def time(self) -> Timestamp:
        """barter's ``LiveClock::time``: now, from the system clock."""
        return _native("live_clock_time")(self)  # type: ignore[no-any-return]


class ExecutionError:
    """``str(error)`` is barter's message of the error (its ``Display``)."""

    def __str__(self) -> str:
        return _native("execution_error_message")(self)  # type: ignore[no-any-return]


class Position:
    """barter's methods of ``Position``. As in barter, ``update_from_trade`` consumes the position
    and returns ``(position, exited)``; the ``&mut self`` methods update this record in place."""

    @staticmethod
    def from_trade(trade: _Trade) -> _Position:
        """barter's ``Position::from``: the position a trade opens."""
        return _native("position_from_trade")(trade)  # type: ignore[no-any-return]

    def update_from_trade(self, trade: _Trade) -> tuple[_Position | None, PositionExited | None]:
        """barter's ``Position::update_from_trade``: ``(position, exited)``, the position still
        open (``None`` if the trade closed it exactly) and the ``PositionExited`` if it closed or
        flipped."""
        update = _native("position_update_from_trade")(self, trade)
        return update.position, update.exited

    def update_pnl_unrealised(self, price: Decimal) -> None:
        """barter's ``Position::update_pnl_unrealised``: estimate ``pnl_unrealised`` at ``price``."""
        _assign(self, _native("position_update_pnl_unrealised")(self, price))

    def update_pnl_realised(self, closed_quantity: Decimal, closed_price: Decimal, closed_fee: Decimal) -> None:
        """barter's ``Position::update_pnl_realised``: add the PnL of closing ``closed_quantity``."""
        _assign(self, _native("position_update_pnl_realised")(self, closed_quantity, closed_price, closed_fee))


class PositionManager:
    """barter's methods of ``PositionManager``."""

    def update_from_trade(self, trade: _Trade) -> PositionExited | None:
        """barter's ``PositionManager::update_from_trade``: update ``current`` from ``trade``; the
        ``PositionExited``, if it closed one."""
        update = _native("position_manager_update_from_trade")(self, trade)
        _assign(self, update.manager)
        return update.exited  # type: ignore[no-any-return]


def _assign(record: object, new: object) -> None:
    # barter's `&mut self`: the new value's fields into the record the caller holds.
    for name, value in field_values(new).items():
        setattr(record, name, value)


# --- barter: risk, statistic -----------------------------------------------------------------------


class CheckHigherThan:
    """barter's methods of ``CheckHigherThan``."""

    def check(self, input: Decimal) -> CheckFailHigherThan | None:
        """barter's ``CheckHigherThan::check``: the failure if ``input`` is above the limit."""
        return _native("check_higher_than_check")(self, input)  # type: ignore[no-any-return]


class TradingSummary:
    """barter's tables of a summary, and the summary as plain Python."""

    def table(self) -> str:
        """Barter's own tables of this summary (instrument metrics, then asset metrics)."""
        return _native("trading_summary_table")(self)  # type: ignore[no-any-return]

    def print_summary(self) -> None:
        """Print barter's tables of this summary to ``sys.stdout`` (barter's ``print_summary``
        writes the process's stdout, which a notebook does not show)."""
        print(self.table())

    def to_dict(self) -> dict[str, Any]:
        """This summary as plain Python: nested dicts of ``Decimal``, ``Timestamp``,
        ``SummaryInterval`` and ``None``; ``instruments`` keyed by name and ``assets`` by
        ``ExchangeAsset``, in barter's order.

        ``to_json()`` writes barter's serde JSON of the summary, except ``assets``: a list of
        ``[ExchangeAsset, TearSheetAsset]`` pairs (JSON object keys cannot be ``ExchangeAsset``s).
        """
        return _plain(self)  # type: ignore[no-any-return]


def _plain(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {name: _plain(item) for name, item in field_values(value).items()}
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value


class RateOfReturn:
    """barter's constructor and scaling of ``RateOfReturn``."""

    @staticmethod
    def calculate(mean_return: Decimal, returns_period: SummaryInterval) -> _RateOfReturn:
        """barter's ``RateOfReturn::calculate``."""
        return _native("rate_of_return_calculate")(mean_return, returns_period)  # type: ignore[no-any-return]

    def scale(self, target: SummaryInterval) -> _RateOfReturn:
        """barter's ``RateOfReturn::scale``: the rate over the ``target`` interval."""
        return _native("rate_of_return_scale")(self, target)  # type: ignore[no-any-return]


class SharpeRatio:
    """barter's constructor and scaling of ``SharpeRatio``."""

    @staticmethod
    def calculate(
        risk_free_return: Decimal, mean_return: Decimal, std_dev_returns: Decimal, returns_period: SummaryInterval
    ) -> _SharpeRatio:
        """barter's ``SharpeRatio::calculate``."""
        return _native("sharpe_ratio_calculate")(  # type: ignore[no-any-return]
            risk_free_return, mean_return, std_dev_returns, returns_period
        )

    def scale(self, target: SummaryInterval) -> _SharpeRatio:
        """barter's ``SharpeRatio::scale``: the ratio over the ``target`` interval."""
        return _native("sharpe_ratio_scale")(self, target)  # type: ignore[no-any-return]


class SortinoRatio:
    """barter's constructor and scaling of ``SortinoRatio``."""

    @staticmethod
    def calculate(
        risk_free_return: Decimal, mean_return: Decimal, std_dev_loss_returns: Decimal, returns_period: SummaryInterval
    ) -> _SortinoRatio:
        """barter's ``SortinoRatio::calculate``."""
        return _native("sortino_ratio_calculate")(  # type: ignore[no-any-return]
            risk_free_return, mean_return, std_dev_loss_returns, returns_period
        )

    def scale(self, target: SummaryInterval) -> _SortinoRatio:
        """barter's ``SortinoRatio::scale``: the ratio over the ``target`` interval."""
        return _native("sortino_ratio_scale")(self, target)  # type: ignore[no-any-return]


class CalmarRatio:
    """barter's constructor and scaling of ``CalmarRatio``."""

    @staticmethod
    def calculate(
        risk_free_return: Decimal, mean_return: Decimal, max_drawdown: Decimal, returns_period: SummaryInterval
    ) -> _CalmarRatio:
        """barter's ``CalmarRatio::calculate``."""
        return _native("calmar_ratio_calculate")(  # type: ignore[no-any-return]
            risk_free_return, mean_return, max_drawdown, returns_period
        )

    def scale(self, target: SummaryInterval) -> _CalmarRatio:
        """barter's ``CalmarRatio::scale``: the ratio over the ``target`` interval."""
        return _native("calmar_ratio_scale")(self, target)  # type: ignore[no-any-return]


class WinRate:
    """barter's constructor of ``WinRate``."""

    @staticmethod
    def calculate(wins: Decimal, total: Decimal) -> _WinRate | None:
        """barter's ``WinRate::calculate``: ``None`` if there were no trades."""
        return _native("win_rate_calculate")(wins, total)  # type: ignore[no-any-return]


class ProfitFactor:
    """barter's constructor of ``ProfitFactor``."""

    @staticmethod
    def calculate(profits_gross_abs: Decimal, losses_gross_abs: Decimal) -> _ProfitFactor | None:
        """barter's ``ProfitFactor::calculate``: ``None`` if both are zero."""
        return _native("profit_factor_calculate")(profits_gross_abs, losses_gross_abs)  # type: ignore[no-any-return]


class Drawdown:
    """barter's methods of ``Drawdown``."""

    def duration(self) -> _dt.timedelta:
        """barter's ``Drawdown::duration``, ``time_end - time_start``, as a ``timedelta`` (which
        stops at microseconds, like the difference of two ``Timestamp``s: ``duration_ns()`` is exact)."""
        return _dt.timedelta(microseconds=self.duration_ns() // 1000)

    def duration_ns(self) -> int:
        """barter's ``Drawdown::duration`` in nanoseconds, exact."""
        return _native("drawdown_duration_ns")(self)  # type: ignore[no-any-return]


# --- barter: system, backtest ----------------------------------------------------------------------


class AuditStream(_Stream["AuditTickEngineAudit"]):
    """A system's audit ticks, as a Python iterator ending when the engine stops."""


class System:
    """barter's stops of a running system. Called from the main thread, each waits for the stop on
    a thread, in slices of 0.1 s, so Ctrl-C interrupts the wait (``KeyboardInterrupt``) without
    interrupting the stop: the system goes on stopping, and calling any of the three again waits
    for that stop and returns its result."""

    if TYPE_CHECKING:

        def _native_shutdown(self) -> _SystemShutdown: ...
        def _native_abort(self) -> _SystemShutdown: ...
        def _native_shutdown_after_backtest(self) -> _SystemShutdown: ...

    def shutdown(self) -> _SystemShutdown:
        """barter's ``shutdown``: stop the engine (once it has processed the events already sent
        to it), then shut the execution tasks down gracefully."""
        return _stop(self, self._native_shutdown)

    def abort(self) -> _SystemShutdown:
        """barter's ``abort``: stop the engine, then abort the execution tasks."""
        return _stop(self, self._native_abort)

    def shutdown_after_backtest(self) -> _SystemShutdown:
        """barter's ``shutdown_after_backtest``: wait until the market stream has ended and the
        engine has processed it, then shut down. A live market stream never ends: use ``shutdown()``."""
        return _stop(self, self._native_shutdown_after_backtest)


_stops = threading.Lock()


def _stop(system: object, stop: Callable[[], _T]) -> _T:
    if threading.current_thread() is not threading.main_thread():
        # Only the main thread gets Ctrl-C. Elsewhere (a strategy's callback, which barter's engine
        # is waiting for: Rust refuses that stop) the stop is called as it is.
        return stop()
    # The stop under way, if an earlier call was interrupted: its result belongs to the next caller.
    with _stops, _ctrl_c_deferred():  # a stop registered is a stop started
        pending: concurrent.futures.Future[Any] | None = vars(system).get("_stopping")
        if pending is None:
            pending = concurrent.futures.Future()
            threading.Thread(target=_settle, args=(pending, stop), name="barter-stop", daemon=True).start()
            vars(system)["_stopping"] = pending
    while True:
        try:
            result = pending.result(timeout=_Stream._SLICE)
        except concurrent.futures.TimeoutError:
            continue
        except BaseException as error:
            if not isinstance(error, KeyboardInterrupt):
                vars(system).pop("_stopping", None)
            raise
        vars(system).pop("_stopping", None)
        return typing.cast(_T, result)


@contextlib.contextmanager
def _ctrl_c_deferred() -> Iterator[None]:
    """Ctrl-C held back until the block has run, then raised: for steps that must happen together.
    (Python runs signal handlers in the main thread only: elsewhere there is nothing to hold back.)"""
    previous = signal.getsignal(signal.SIGINT)
    if threading.current_thread() is not threading.main_thread() or previous is None:  # None: set outside Python
        yield
        return
    received: list[Any] = []
    signal.signal(signal.SIGINT, lambda _signal, frame: received.append(frame))
    try:
        yield
    finally:
        signal.signal(signal.SIGINT, previous)
        if received and callable(previous):
            previous(signal.SIGINT, received[0])


def _settle(future: concurrent.futures.Future[Any], call: Callable[[], Any]) -> None:
    try:
        future.set_result(call())
    except BaseException as error:  # barter's error, or anything else: the caller raises it
        future.set_exception(error)


class SystemShutdown:
    """barter returns ``(engine, audit)``: a shutdown unpacks as barter's tuple."""

    if TYPE_CHECKING:
        engine: Engine
        audit: EngineAudit

    def __iter__(self) -> Iterator[Any]:
        return iter((self.engine, self.audit))


class MarketDataInMemory:
    """``len(data)``, and market data from Python columns."""

    if TYPE_CHECKING:

        def len(self) -> int: ...

        @classmethod
        def from_column_bytes(
            cls, exchange: ExchangeId, kind: bytes, instrument: bytes, time_exchange: bytes, time_received: bytes,
            price: bytes, amount: bytes, ask_price: bytes, ask_amount: bytes, side: bytes, trade_id: bytes,
        ) -> _MarketDataInMemory: ...

    def __len__(self) -> int:
        return self.len()

    @classmethod
    def from_columns(
        cls,
        exchange: ExchangeId,
        kind: Iterable[int],
        instrument: Iterable[int],
        time_exchange: Iterable[int],
        time_received: Iterable[int],
        price: Iterable[float],
        amount: Iterable[float],
        side: Iterable[int],
        ask_price: Iterable[float] | None = None,
        ask_amount: Iterable[float] | None = None,
        trade_id: Iterable[str] | None = None,
    ) -> _MarketDataInMemory:
        """Market data from columns, one row per event of one ``exchange``, in one call to Rust.

        Columns are numpy arrays, ``array.array``s or any sequences of: ``kind`` (0 = public trade,
        1 = order book L1), ``instrument`` (index), ``time_exchange`` / ``time_received`` (int
        nanoseconds since the Unix epoch, UTC; for numpy ``datetime64[ns]`` pass ``.view("int64")``),
        ``price`` / ``amount`` (the trade's, or the best bid's), ``side`` (0 = buy, 1 = sell; read
        for trades), ``ask_price`` / ``ask_amount`` (the best ask's; read for L1 rows; default none),
        and ``trade_id`` (strings, one per row; default none). L1 prices become ``Decimal`` as barter
        converts floats; a NaN price is a missing level.
        """
        kinds = _column(kind, "B", "B?")
        missing = (array.array("d", [math.nan]) * len(kinds)).tobytes()
        return cls.from_column_bytes(
            exchange=exchange,
            kind=kinds,
            instrument=_column(instrument, "q", "ql"),
            time_exchange=_column(time_exchange, "q", "ql"),
            time_received=_column(time_received, "q", "ql"),
            price=_column(price, "d", "d"),
            amount=_column(amount, "d", "d"),
            ask_price=missing if ask_price is None else _column(ask_price, "d", "d"),
            ask_amount=missing if ask_amount is None else _column(ask_amount, "d", "d"),
            side=_column(side, "B", "B?"),
            trade_id=b"" if trade_id is None else "\n".join(trade_id).encode(),
        )


def _column(values: Any, typecode: str, formats: str) -> bytes:
    """A column as the little-endian bytes barter reads: a buffer (numpy array, ``array.array``)
    whose items already have the layout is copied once; anything else is packed value by value."""
    try:
        view = memoryview(values)
    except TypeError:
        pass
    else:
        if view.itemsize == array.array(typecode).itemsize and view.format.lstrip("<=@") in formats:
            return view.tobytes()
    return array.array(typecode, values).tobytes()
