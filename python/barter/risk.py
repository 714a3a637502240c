"""Bindings for ``barter::risk``: a risk manager's refusals of order requests, and barter's risk
checks. (An approval, barter's ``RiskApproved``, is the request itself.)"""

from barter._ffi.barter_ffi import (
    CheckFailHigherThan,
    CheckHigherThan,
    RiskRefusedOrderRequestCancel,
    RiskRefusedOrderRequestOpen,
    check_higher_than_check,
)
from barter._records import hashable

CheckHigherThan.check = check_higher_than_check  # type: ignore[attr-defined]

hashable(RiskRefusedOrderRequestCancel, RiskRefusedOrderRequestOpen)

__all__ = ["CheckFailHigherThan", "CheckHigherThan", "RiskRefusedOrderRequestCancel", "RiskRefusedOrderRequestOpen"]
