"""Exact conversions of barter's scalar types, used by the generated module (see uniffi.toml).

Decimals and timestamps cross the FFI as text, the one form exact for all their values: a
``decimal.Decimal`` is never routed through a float, and a timestamp keeps barter's nanoseconds.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import re

__all__ = ["Timestamp", "decimal_to_str", "timestamp_from_str", "timestamp_to_str"]

_UTC = _dt.timezone.utc
_RFC3339 = re.compile(r"(?P<head>.+T\d\d:\d\d:\d\d)(?:\.(?P<frac>\d{1,9}))?(?P<tz>Z|[+-]\d\d:\d\d)$")


class Timestamp(_dt.datetime):
    """An aware UTC ``datetime`` that also keeps barter's nanoseconds.

    ``datetime`` stops at microseconds; barter's timestamps carry nanoseconds. Every timestamp
    that barter returns is a ``Timestamp`` whose extra ``nanosecond`` (0-999, below the
    microsecond) is sent back unchanged, so a Rust -> Python -> Rust round trip is exact.
    A plain aware ``datetime`` is accepted wherever barter takes a timestamp.

    >>> t = Timestamp.from_rfc3339("2025-03-25T12:00:00.123456789Z")
    >>> (t.microsecond, t.nanosecond)
    (123456, 789)
    """

    __slots__ = ("_nanosecond",)
    _nanosecond: int

    @classmethod
    def from_datetime(cls, value: _dt.datetime, nanosecond: int = 0) -> Timestamp:
        if value.tzinfo is None:
            raise _invalid(f"naive datetime {value!r}: barter's timestamps are UTC, give a tzinfo")
        if not 0 <= nanosecond <= 999:
            raise _invalid(f"nanosecond {nanosecond} is not within 0..=999")
        utc = value.astimezone(_UTC)
        stamp = cls(utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second, utc.microsecond, _UTC)
        stamp._nanosecond = nanosecond
        return stamp

    @classmethod
    def from_rfc3339(cls, text: str) -> Timestamp:
        match = _RFC3339.match(text)
        if match is None:
            raise _invalid(f"timestamp {text!r} is not RFC 3339")
        frac = (match["frac"] or "").ljust(9, "0")
        base = _dt.datetime.fromisoformat(match["head"] + ("+00:00" if match["tz"] == "Z" else match["tz"]))
        return cls.from_datetime(base.replace(microsecond=int(frac[:6])), int(frac[6:]))

    @property
    def nanosecond(self) -> int:
        """Nanoseconds below the microsecond, 0-999."""
        return getattr(self, "_nanosecond", 0)

    def to_rfc3339(self) -> str:
        """RFC 3339 in UTC with nine fractional digits, exactly as barter reads it."""
        return f"{self.year:04d}-{self:%m-%dT%H:%M:%S}.{self.microsecond:06d}{self.nanosecond:03d}Z"

    def _key(self) -> tuple[_dt.datetime, int]:
        return (_dt.datetime(self.year, self.month, self.day, self.hour, self.minute, self.second, self.microsecond, _UTC), self.nanosecond)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _dt.datetime):
            return self._key() == _key_of(other)
        return NotImplemented

    def __lt__(self, other: _dt.datetime) -> bool:
        return self._key() < _key_of(other)

    def __le__(self, other: _dt.datetime) -> bool:
        return self._key() <= _key_of(other)

    def __gt__(self, other: _dt.datetime) -> bool:
        return self._key() > _key_of(other)

    def __ge__(self, other: _dt.datetime) -> bool:
        return self._key() >= _key_of(other)

    def __hash__(self) -> int:
        return hash(self._key())

    def __repr__(self) -> str:
        return f"Timestamp({self.to_rfc3339()!r})"

    def __reduce__(self):  # pickling keeps the nanoseconds
        return (Timestamp.from_rfc3339, (self.to_rfc3339(),))


def _key_of(value: _dt.datetime) -> tuple[_dt.datetime, int]:
    if isinstance(value, Timestamp):
        return value._key()
    return (value, 0)


def _invalid(reason: str) -> Exception:
    # Imported here: the generated module imports this one while it loads.
    from barter._ffi.barter_ffi import BarterError

    return BarterError.InvalidValue(reason=reason)


def timestamp_from_str(text: str) -> Timestamp:
    return Timestamp.from_rfc3339(text)


def timestamp_to_str(value: _dt.datetime) -> str:
    if not isinstance(value, _dt.datetime):
        raise TypeError(f"expected an aware datetime, got {type(value).__name__}")
    if isinstance(value, Timestamp):
        return value.to_rfc3339()
    return Timestamp.from_datetime(value).to_rfc3339()


def decimal_to_str(value: decimal.Decimal | int | str) -> str:
    """Text of a Decimal (or int, or numeric str) for barter; a float is refused, being inexact."""
    if isinstance(value, bool) or not isinstance(value, (decimal.Decimal, int, str)):
        raise TypeError(
            f"expected decimal.Decimal, int or str, got {type(value).__name__} {value!r}:"
            " a float is not exact, write decimal.Decimal(str(x)) if you mean its shortest form"
        )
    if isinstance(value, decimal.Decimal):
        if not value.is_finite():
            raise _invalid(f"barter's Decimal has no {value}")
        return format(value, "f")
    return str(value)
