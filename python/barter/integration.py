"""Bindings for ``barter-integration``: metrics and subscription ids (``str``), and its
``SocketError``, raised as ``BarterError.Socket`` with barter's message."""

from barter._ffi.barter_ffi import BarterError, Field, Metric, Tag, Value

SocketError = BarterError.Socket

__all__ = ["Field", "Metric", "SocketError", "Tag", "Value"]
