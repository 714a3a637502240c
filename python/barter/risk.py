"""Bindings for ``barter::risk``: risk managers (barter's ``DefaultRiskManager``, or one written
in Python), their verdicts on order requests, and barter's risk checks. (An approval, barter's
``RiskApproved``, is the request itself.)

A risk manager subclasses :class:`RiskManager` and overrides ``check`` (barter's signature) or,
more simply, ``check_open`` / ``check_cancel`` (a reason to refuse one request, or ``None``)::

    class MaxNotional(RiskManager):
        def check_open(self, ctx, request):
            if request.state.price * request.state.quantity > self.limit:
                return f"notional above {self.limit}"
            return None

Refused requests are never sent; they appear in barter's audit and in
``BacktestResult.opens_refused()`` / ``cancels_refused()``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar

from barter._ffi.barter_ffi import (
    CheckFailHigherThan,
    CheckHigherThan,
    OrderRequestCancel,
    OrderRequestOpen,
    RiskChecked,
    RiskRefusedOrderRequestCancel,
    RiskRefusedOrderRequestOpen,
    StrategyContext,
)


class RiskCheck:
    """barter's ``RiskCheck``: one named check of an input (barter's ``CheckHigherThan`` is one),
    for a :class:`RiskManager` to compose. ``check`` returns ``None`` when the input passes, else
    the failure. Only risk managers call checks, so a check used by a Python risk manager is
    plain Python."""

    name: ClassVar[str]

    def check(self, input: Any) -> object | None:  # noqa: A002 (barter's name)
        """barter's ``RiskCheck::check``: ``None`` if ``input`` passes, else why it fails."""
        raise NotImplementedError


class RiskManager:
    """barter's ``RiskManager``: approves or refuses the order requests a strategy generated.

    Called only when there are requests, with a :class:`StrategyContext` reading the engine
    state (which makes no orders of its own). Raising stops the run; its requests are refused.
    """

    def check(self, ctx: StrategyContext, cancels: list[OrderRequestCancel], opens: list[OrderRequestOpen]) -> RiskChecked:
        """barter's ``RiskManager::check``: by default, each request approved unless
        ``check_cancel`` / ``check_open`` give a reason to refuse it."""
        approved_cancels, refused_cancels = _verdicts(cancels, lambda request: self.check_cancel(ctx, request), RiskRefusedOrderRequestCancel)
        approved_opens, refused_opens = _verdicts(opens, lambda request: self.check_open(ctx, request), RiskRefusedOrderRequestOpen)
        return RiskChecked(approved_cancels=approved_cancels, approved_opens=approved_opens, refused_cancels=refused_cancels, refused_opens=refused_opens)

    def check_open(self, ctx: StrategyContext, request: OrderRequestOpen) -> str | None:
        """Why to refuse this open request, or ``None`` to approve it."""
        return None

    def check_cancel(self, ctx: StrategyContext, request: OrderRequestCancel) -> str | None:
        """Why to refuse this cancel request, or ``None`` to approve it."""
        return None


def _verdicts(requests: list[Any], reason_to_refuse: Callable[[Any], str | None], refused: Callable[..., Any]) -> tuple[list[Any], list[Any]]:
    """The requests approved, and those refused (as ``refused(item=, reason=)``), in order."""
    approved, refusals = [], []
    for request in requests:
        reason = reason_to_refuse(request)
        if reason is None:
            approved.append(request)
        else:
            refusals.append(refused(item=request, reason=reason))
    return approved, refusals


__all__ = [
    "CheckFailHigherThan",
    "CheckHigherThan",
    "RiskCheck",
    "RiskChecked",
    "RiskManager",
    "RiskRefusedOrderRequestCancel",
    "RiskRefusedOrderRequestOpen",
]
