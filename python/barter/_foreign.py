"""What Rust calls: a Python strategy or risk manager behind the bindings' foreign traits
(barter's strategy and risk traits), and the exception it raised, made the ``__cause__`` of the
``BarterError.Callback`` the run reports."""

from __future__ import annotations

import atexit
import traceback
from typing import Any

from barter._ffi import barter_ffi as _ffi
from barter._ffi.barter_ffi import BarterError, ForeignStrategy, RiskChecked, Side
from barter.risk import RiskManager
from barter.strategy import AlgoStrategy, ClosePositionsStrategy, OnDisconnectStrategy, OnTradingDisabled


_BUY, _SELL = Side.BUY, Side.SELL

# At exit, Rust stops calling Python (after the calls under way, for up to 5 s): a Rust thread
# entering a finalizing interpreter is ended by it inside Rust's frames, which aborts the process.
atexit.register(_ffi.close_foreign_calls, 5.0)


class Adapter(
    _ffi.AlgoStrategy,
    _ffi.ClosePositionsStrategy,
    _ffi.OnDisconnectStrategy,
    _ffi.OnTradingDisabled,
    _ffi.RiskManager,
):
    """One user object (a strategy, or a risk manager) as Rust calls it. An exception is kept
    here and reaches Rust as a ``BarterError.Callback`` carrying its traceback."""

    __slots__ = ("target", "error", "interrupted")

    def __init__(self, target: Any, interrupted: list[BaseException]) -> None:
        self.target = target
        self.error: BaseException | None = None
        # Shared by the runs of a batch: after a Ctrl-C in one, the others stop at their next call.
        self.interrupted = interrupted

    def _raised(self, error: BaseException) -> BarterError:
        if self.error is None:
            self.error = error
        if not isinstance(error, Exception) and not self.interrupted:
            self.interrupted.append(error)
        text = "".join(traceback.format_exception(type(error), error, error.__traceback__)).rstrip()
        return BarterError.Callback(reason=f"{type(self.target).__name__} raised {type(error).__name__}: {error}\n{text}")

    # The hot path, inline: one frame fewer than `_call`.
    def on_trade(self, context, instrument, price, amount, buy):  # type: ignore[no-untyped-def]
        try:
            if self.interrupted:
                raise self.interrupted[0]
            self.target.on_trade(context, instrument, price, amount, _BUY if buy else _SELL)
        except BaseException as error:
            raise self._raised(error) from None

    def _call(self, hook: str, *args: Any) -> Any:
        try:
            if self.interrupted:
                raise self.interrupted[0]
            return getattr(self.target, hook)(*args)
        except BaseException as error:
            raise self._raised(error) from None

    def on_order_book_l1(self, context, instrument, l1):  # type: ignore[no-untyped-def]
        self._call("on_order_book_l1", context, instrument, l1)

    def on_market_event(self, context, event):  # type: ignore[no-untyped-def]
        self._call("on_market_event", context, event)

    def on_account_event(self, context, event):  # type: ignore[no-untyped-def]
        self._call("on_account_event", context, event)

    def close_positions_requests(self, context, filter):  # type: ignore[no-untyped-def]  # noqa: A002
        self._call("close_positions_requests", context, filter)

    def on_disconnect(self, context, exchange):  # type: ignore[no-untyped-def]
        self._call("on_disconnect", context, exchange)

    def on_trading_disabled(self, context):  # type: ignore[no-untyped-def]
        self._call("on_trading_disabled", context)

    def check(self, context, cancels, opens):  # type: ignore[no-untyped-def]
        try:
            if self.interrupted:
                raise self.interrupted[0]
            checked = self.target.check(context, cancels, opens)
            if not isinstance(checked, RiskChecked):
                raise TypeError(f"{type(self.target).__name__}.check must return a RiskChecked, not {type(checked).__name__}")
            return checked
        except BaseException as error:
            raise self._raised(error) from None


class Run:
    """The adapters of one run (its strategy and risk manager), to find the exception that
    stopped it."""

    __slots__ = ("adapters", "interrupted")

    def __init__(self, interrupted: list[BaseException] | None = None) -> None:
        self.adapters: list[Adapter] = []
        self.interrupted = [] if interrupted is None else interrupted

    def strategy(self, strategy: Any) -> tuple[Any, ForeignStrategy | None]:
        """``(built-in strategy, foreign strategy)`` for the FFI's two fields."""
        if strategy is None or isinstance(strategy, _ffi.Strategy):
            return strategy, None
        if not isinstance(strategy, AlgoStrategy):
            raise TypeError(f"strategy: expected a barter.strategy.Strategy or AlgoStrategy, not {type(strategy).__name__}")
        adapter = Adapter(strategy, self.interrupted)
        self.adapters.append(adapter)
        foreign = ForeignStrategy(
            algo=adapter,
            wakes=strategy.wakes(),
            close_positions=adapter if isinstance(strategy, ClosePositionsStrategy) else None,
            on_disconnect=adapter if isinstance(strategy, OnDisconnectStrategy) else None,
            on_trading_disabled=adapter if isinstance(strategy, OnTradingDisabled) else None,
        )
        return None, foreign

    def risk(self, risk: Any) -> Adapter | None:
        if risk is None:
            return None
        if not isinstance(risk, RiskManager):
            raise TypeError(f"risk: expected a barter.risk.RiskManager, not {type(risk).__name__}")
        adapter = Adapter(risk, self.interrupted)
        self.adapters.append(adapter)
        return adapter

    def error(self) -> BaseException | None:
        """The exception raised in this run's Python code, if any."""
        return next((adapter.error for adapter in self.adapters if adapter.error is not None), None)

    def reraise(self, error: BaseException) -> BaseException:
        """``error`` (the run's ``BarterError.Callback``) with the Python exception as its cause;
        an interrupt (Ctrl-C) or exit is raised as itself."""
        cause = self.error()
        if cause is not None and not isinstance(cause, Exception):
            return cause
        error.__cause__ = cause
        return error
