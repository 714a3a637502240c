"""Exact conversions of barter's scalar types, used by the generated module (see uniffi.toml).

Decimals and timestamps cross the FFI as text, the one form exact for all their values: a
``decimal.Decimal`` is never routed through a float, and a timestamp keeps barter's nanoseconds.
"""

from __future__ import annotations

import datetime as _dt
import decimal
import numbers
import re
import typing

__all__ = ["Timestamp", "decimal_to_str", "timestamp_from_str", "timestamp_to_str"]

_UTC = _dt.timezone.utc
_EPOCH = _dt.datetime(1970, 1, 1, tzinfo=_UTC)
_RFC3339 = re.compile(r"(?P<head>.+T\d\d:\d\d:\d\d)(?:\.(?P<frac>\d{1,9}))?(?P<tz>Z|[+-]\d\d:\d\d)$")


class Timestamp(_dt.datetime):
    """An aware ``datetime`` that also keeps barter's nanoseconds.

    ``datetime`` stops at microseconds; barter's timestamps carry nanoseconds. Every timestamp
    that barter returns is a ``Timestamp`` in UTC whose extra ``nanosecond`` (0-999, below the
    microsecond) is sent back unchanged, so a Rust -> Python -> Rust round trip is exact. Adding
    or subtracting a ``timedelta``, ``replace``, ``astimezone``, copying and pickling keep it;
    the difference of two timestamps is a ``timedelta`` (microseconds). Any aware ``datetime``
    is accepted wherever barter takes a timestamp; a naive one is refused.

    >>> t = Timestamp.from_rfc3339("2025-03-25T12:00:00.123456789Z")
    >>> (t.microsecond, t.nanosecond)
    (123456, 789)
    >>> (t + _dt.timedelta(seconds=1)).to_rfc3339()
    '2025-03-25T12:00:01.123456789Z'
    """

    __slots__ = ("_nanosecond",)
    _nanosecond: int

    @classmethod
    def from_datetime(cls, value: _dt.datetime, nanosecond: int = 0) -> Timestamp:
        """A timestamp of an aware ``datetime`` plus ``nanosecond`` (0-999) beyond its microseconds."""
        if not isinstance(value, _dt.datetime):
            raise TypeError(f"value: expected an aware datetime, got {type(value).__name__} {value!r}")
        if value.tzinfo is None or value.utcoffset() is None:
            raise _invalid(f"naive datetime {value!r}: barter's timestamps are UTC, give a tzinfo")
        try:
            utc = value.astimezone(_UTC)
        except OverflowError as error:
            raise _invalid(f"{value!r} is out of datetime's range in UTC: {error}") from None
        return cls._of(utc, nanosecond)

    @classmethod
    def from_rfc3339(cls, text: str) -> Timestamp:
        """A timestamp of RFC 3339 text (barter's JSON), exact to the nanosecond; more than nine
        fractional digits are refused, never cut."""
        if not isinstance(text, str):
            raise TypeError(f"text: expected RFC 3339 str, got {type(text).__name__} {text!r}")
        match = _RFC3339.match(text)
        if match is None:
            raise _invalid(f"timestamp {text!r} is not RFC 3339")
        frac = (match["frac"] or "").ljust(9, "0")
        try:
            base = _dt.datetime.fromisoformat(match["head"] + ("+00:00" if match["tz"] == "Z" else match["tz"]))
        except ValueError as error:  # eg/ a leap second, or a year datetime cannot hold
            raise _invalid(f"timestamp {text!r}: {error}") from None
        return cls.from_datetime(base.replace(microsecond=int(frac[:6])), int(frac[6:]))

    @classmethod
    def _of(cls, value: _dt.datetime, nanosecond: int) -> Timestamp:
        # Every constructor ends here: a float or bool nanosecond would be kept inexact.
        if isinstance(nanosecond, bool) or not isinstance(nanosecond, int):
            raise TypeError(f"nanosecond: expected an int, got {type(nanosecond).__name__} {nanosecond!r}")
        if not 0 <= nanosecond <= 999:
            raise _invalid(f"nanosecond {nanosecond} is not within 0..=999")
        stamp = cls(value.year, value.month, value.day, value.hour, value.minute, value.second, value.microsecond, value.tzinfo, fold=value.fold)
        stamp._nanosecond = nanosecond
        return stamp

    @classmethod
    def from_timestamp_ns(cls, nanoseconds: int) -> Timestamp:
        """The UTC timestamp ``nanoseconds`` after the Unix epoch (numpy ``datetime64[ns]`` as int).

        >>> Timestamp.from_timestamp_ns(1742944020773674205).to_rfc3339()
        '2025-03-25T23:07:00.773674205Z'

        A float or a bool is refused: a float cannot hold today's nanoseconds exactly.
        """
        if isinstance(nanoseconds, bool) or not isinstance(nanoseconds, numbers.Integral):
            raise TypeError(f"nanoseconds: expected an int, got {type(nanoseconds).__name__} {nanoseconds!r}")
        micros, nanosecond = divmod(int(nanoseconds), 1000)
        return cls._of(_EPOCH + _dt.timedelta(microseconds=micros), nanosecond)

    def timestamp_ns(self) -> int:
        """Nanoseconds since the Unix epoch, exactly (``timestamp()`` is a float)."""
        return (self._key()[0] - _EPOCH) // _dt.timedelta(microseconds=1) * 1000 + self.nanosecond

    @property
    def nanosecond(self) -> int:
        """Nanoseconds below the microsecond, 0-999."""
        return getattr(self, "_nanosecond", 0)

    def to_rfc3339(self) -> str:
        """RFC 3339 in UTC with nine fractional digits, exactly as barter reads it."""
        utc = self._utc()
        return f"{utc.year:04d}-{utc:%m-%dT%H:%M:%S}.{utc.microsecond:06d}{self.nanosecond:03d}Z"

    def _utc(self) -> _dt.datetime:
        if self.utcoffset() is None:
            raise _invalid(f"naive {self!r}: barter's timestamps are UTC, give a tzinfo")
        return _dt.datetime.astimezone(self, _UTC)

    def _key(self) -> tuple[_dt.datetime, int]:
        utc = self._utc()
        return (_dt.datetime(utc.year, utc.month, utc.day, utc.hour, utc.minute, utc.second, utc.microsecond, _UTC), self.nanosecond)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, _dt.datetime):
            return self._key() == _key_of(other)
        return NotImplemented

    def __ne__(self, other: object) -> bool:
        equal = self.__eq__(other)
        return equal if equal is NotImplemented else not equal

    def __lt__(self, other: _dt.datetime) -> bool:
        return self._key() < _key_of(other)

    def __le__(self, other: _dt.datetime) -> bool:
        return self._key() <= _key_of(other)

    def __gt__(self, other: _dt.datetime) -> bool:
        return self._key() > _key_of(other)

    def __ge__(self, other: _dt.datetime) -> bool:
        return self._key() >= _key_of(other)

    def __hash__(self) -> int:
        # The datetime's own hash: a Timestamp equal to a plain datetime (nanosecond 0) must hash
        # alike; timestamps differing only in nanoseconds merely collide.
        return hash(self._key()[0])

    def __add__(self, other: _dt.timedelta) -> Timestamp:
        result = _dt.datetime.__add__(self, other)
        return result if result is NotImplemented else Timestamp._of(result, self.nanosecond)

    __radd__ = __add__

    def __sub__(self, other):  # type: ignore[override]
        result = _dt.datetime.__sub__(self, other)
        if isinstance(result, _dt.datetime):
            return Timestamp._of(result, self.nanosecond)
        return result

    def replace(self, *args, nanosecond: int | None = None, **kwargs) -> Timestamp:  # type: ignore[override]
        """``datetime.replace``, keeping the nanoseconds unless ``nanosecond`` is given."""
        return Timestamp._of(_dt.datetime.replace(self, *args, **kwargs), self.nanosecond if nanosecond is None else nanosecond)

    def astimezone(self, tz: _dt.tzinfo | None = None) -> Timestamp:
        """``datetime.astimezone``, keeping the nanoseconds."""
        return Timestamp._of(_dt.datetime.astimezone(self, tz), self.nanosecond)

    def __repr__(self) -> str:
        return f"Timestamp({self.to_rfc3339()!r})"

    def __reduce_ex__(self, protocol):  # pickling and copying keep the nanoseconds
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
    return Timestamp.from_datetime(value, getattr(value, "nanosecond", 0)).to_rfc3339()


def decimal_to_str(value: decimal.Decimal | int | str) -> str:
    """Plain text of a Decimal (or int, or numeric str) for barter; a float is refused, being inexact."""
    if isinstance(value, bool) or not isinstance(value, (decimal.Decimal, int, str)):
        raise TypeError(
            f"expected decimal.Decimal, int or str, got {type(value).__name__} {value!r}:"
            " a float is not exact, write decimal.Decimal(str(x)) if you mean its shortest form"
        )
    try:
        exact = decimal.Decimal(value)
    except decimal.InvalidOperation:
        raise _invalid(f"{value!r} is not a decimal number") from None
    if not exact.is_finite():
        raise _invalid(f"barter's Decimal has no {value}")
    return format(_within_barter(exact), "f")  # plain notation, which barter parses exactly


_MAX_SCALE, _MAX_MANTISSA = 28, 2**96  # rust_decimal: a 96-bit integer over 10**0..=10**28


def _within_barter(value: decimal.Decimal) -> decimal.Decimal:
    """``value`` as barter's Decimal holds it (trailing fractional zeros beyond its 28 digits
    dropped, the value unchanged), or ``BarterError.InvalidValue``: refused here rather than in
    the Rust call, which can only report it as a panic where the function has no error type."""
    sign, digits, exponent = value.as_tuple()
    assert isinstance(exponent, int)  # finite
    if exponent > 0 and len(digits) + exponent > 30:
        raise _invalid(f"Decimal {value} is out of barter's Decimal range (|value| < 2**96, about 7.9e28)")
    mantissa = int("".join(map(str, digits))) * 10 ** max(exponent, 0)
    scale = max(-exponent, 0) if mantissa else min(max(-exponent, 0), _MAX_SCALE)
    while scale > _MAX_SCALE and mantissa % 10 == 0:
        mantissa, scale = mantissa // 10, scale - 1
    if scale > _MAX_SCALE:
        raise _invalid(f"Decimal {value} has more than barter's {_MAX_SCALE} fractional digits")
    if mantissa >= _MAX_MANTISSA:
        raise _invalid(f"Decimal {value} is out of barter's Decimal range (|value| < 2**96, about 7.9e28)")
    return decimal.Decimal((sign, tuple(map(int, str(mantissa))), -scale))


_I = typing.TypeVar("_I", bound="_Index")


class _Index(int):
    """A key of barter's ``IndexedInstruments``: an ``int`` that prints as what it indexes."""

    __slots__ = ()

    def __new__(cls: type[_I], value: int) -> _I:
        if isinstance(value, bool) or not isinstance(value, int):
            raise TypeError(f"{cls.__name__} takes an int, got {type(value).__name__} {value!r}")
        if not 0 <= value < 2**64:
            from barter._ffi.barter_ffi import BarterError

            raise BarterError.Index(reason=f"{cls.__name__} {value} is out of range (0 to 2**64 - 1)")
        return super().__new__(cls, value)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({int(self)})"

    __str__ = int.__repr__


class ExchangeIndex(_Index):
    """Index of an exchange in barter's ``IndexedInstruments``."""

    __slots__ = ()


class AssetIndex(_Index):
    """Index of an asset in barter's ``IndexedInstruments``."""

    __slots__ = ()


class InstrumentIndex(_Index):
    """Index of an instrument in barter's ``IndexedInstruments``."""

    __slots__ = ()
