"""Bindings for ``barter::strategy``: the strategy a backtest or system runs, built in
(:class:`Strategy`) or written in Python on barter's strategy traits, driving barter's engine.

A strategy subclasses :class:`AlgoStrategy` (barter's trait of the same name) and overrides the
handlers of the events it reacts to; the engine crosses into Python only for those events (and,
with ``instruments``, only for those instruments)::

    from barter.strategy import AlgoStrategy, StrategyContext

    class BuyTheDip(AlgoStrategy):
        def on_trade(self, ctx, instrument, price, amount, side):
            if price < self.limit:
                ctx.market_buy(instrument, Decimal("0.01"))

Each handler gets a :class:`StrategyContext`: a read view of barter's engine state right after
the event (valid only during the call) that also builds barter's order requests. The strategy's
own state (indicators) lives in Python, on ``self``. Mixing in :class:`ClosePositionsStrategy`,
:class:`OnDisconnectStrategy` or :class:`OnTradingDisabled` overrides barter's default behaviour
for those hooks (closing positions with market orders; doing nothing).

A handler that raises stops its backtest (which raises ``BarterError.Callback`` with the
exception as ``__cause__``), or a system's trading (``System.failure()`` says why).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import ClassVar

from barter._convert import InstrumentIndex
from barter._ffi.barter_ffi import (
    AccountEvent,
    ExchangeId,
    InstrumentFilter,
    MarketEvent,
    OrderBookL1,
    Side,
    Strategy,
    StrategyContext,
    Wakes,
)

__all__ = [
    "AlgoStrategy",
    "ClosePositionsStrategy",
    "OnDisconnectStrategy",
    "OnTradingDisabled",
    "Strategy",
    "StrategyContext",
    "Wakes",
]


class AlgoStrategy:
    """barter's ``AlgoStrategy``: generates the strategy's orders, in reaction to the events that
    wake it.

    Override any of the ``on_*`` handlers; the events of the others never cross into Python.
    Set ``instruments`` (class or instance attribute) to the indexes whose market events wake
    the strategy (``None``: all). Orders made with the context are sent when the handler returns,
    after the risk manager has checked them.
    """

    instruments: ClassVar[Sequence[int] | None] = None

    def on_trade(self, ctx: StrategyContext, instrument: InstrumentIndex, price: float, amount: float, side: Side) -> None:
        """A public trade of ``instrument``: barter's ``PublicTrade`` price, amount and taker side."""

    def on_order_book_l1(self, ctx: StrategyContext, instrument: InstrumentIndex, l1: OrderBookL1) -> None:
        """An update of the best bid and ask of ``instrument``."""

    def on_market_event(self, ctx: StrategyContext, event: MarketEvent) -> None:
        """Any other market event: an order book, a candle, a liquidation."""

    def on_account_event(self, ctx: StrategyContext, event: AccountEvent) -> None:
        """An account event: a fill, an order or balance snapshot, a cancellation."""

    def wakes(self) -> Wakes:
        """The events that wake the strategy: those of the handlers it overrides."""
        overrides = {name for name in _HANDLERS if getattr(type(self), name) is not getattr(AlgoStrategy, name)}
        instruments = self.instruments
        return Wakes(
            trades="on_trade" in overrides,
            order_book_l1="on_order_book_l1" in overrides,
            other_market_events="on_market_event" in overrides,
            account_events="on_account_event" in overrides,
            instruments=None if instruments is None else [InstrumentIndex(index) for index in instruments],
        )


_HANDLERS = ("on_trade", "on_order_book_l1", "on_market_event", "on_account_event")


class ClosePositionsStrategy:
    """barter's ``ClosePositionsStrategy``: the orders that close the open positions of the
    instruments ``filter`` selects (on ``Command.CLOSE_POSITIONS``). Without it, barter's
    ``close_open_positions_with_market_orders`` closes them."""

    def close_positions_requests(self, ctx: StrategyContext, filter: InstrumentFilter) -> None:  # noqa: A002 (barter's name)
        """Place the orders (``ctx.market_sell(...)``, ...) that close the positions ``filter`` selects."""
        raise NotImplementedError


class OnDisconnectStrategy:
    """barter's ``OnDisconnectStrategy``: the reaction to a disconnection of ``exchange``'s market
    data or account stream. Without it, nothing happens (barter's ``DefaultStrategy``)."""

    def on_disconnect(self, ctx: StrategyContext, exchange: ExchangeId) -> None:
        """React to ``exchange``'s market data or account stream disconnecting (orders placed here are sent)."""
        raise NotImplementedError


class OnTradingDisabled:
    """barter's ``OnTradingDisabled``: the reaction to algorithmic trading being disabled.
    Without it, nothing happens (barter's ``DefaultStrategy``)."""

    def on_trading_disabled(self, ctx: StrategyContext) -> None:
        """React to algorithmic trading being disabled (orders placed here are sent)."""
        raise NotImplementedError
