"""Bindings for ``barter-integration``: metrics and subscription ids (``str``), and its
``SocketError``, raised as ``BarterError.Socket`` with barter's message."""

from barter._check import strict
from barter._ffi import barter_ffi as _ffi
from barter._ffi.barter_ffi import BarterError, Field, Metric, Tag, Value

metric_to_json = strict(_ffi.metric_to_json)

SocketError = BarterError.Socket

# barter writes metrics and never reads them: JSON one way only.
Metric.to_json = metric_to_json  # type: ignore[attr-defined]

__all__ = ["Field", "Metric", "SocketError", "Tag", "Value"]
