"""Python manners for the records UniFFI generates: a readable ``repr`` for all, and hashing for
the ones barter derives ``Hash`` for (UniFFI cannot export traits of remote types)."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from typing import Any, TypeVar

from barter._check import strict
from barter._ffi import barter_ffi

T = TypeVar("T", bound=type)


def fields(record: object) -> dict[str, object]:
    """The field values of a generated record (kept as instance attributes, not dataclass fields)."""
    return {name: value for name, value in vars(record).items() if not name.startswith("_")}


def _repr(record: object) -> str:
    shown = ", ".join(f"{name}={value!r}" for name, value in fields(record).items())
    return f"{type(record).__name__}({shown})"


def _eq(record: object, other: object) -> bool:
    if type(other) is not type(record):
        return NotImplemented  # type: ignore[return-value]
    return fields(record) == fields(other)


def hashable(*classes: type) -> None:
    """Hash records by their field values and enum variants by their values, as barter's
    ``#[derive(Hash)]`` does.

    Like any value used as a dict key, do not mutate one while it is a key.
    """
    for cls in classes:
        if dataclasses.is_dataclass(cls):
            cls.__hash__ = lambda self: hash(tuple(fields(self).values()))  # type: ignore[method-assign]
        else:
            for variant in _variants(cls):
                variant.__hash__ = lambda self: hash((type(self).__qualname__, *_variant_values(self)))  # type: ignore[method-assign]


def iterable(*streams: type) -> None:
    """Make barter's streams (objects with a blocking ``next(timeout)`` and ``ended()``) Python
    iterators, ending with the stream."""

    def _next(self: Any) -> Any:
        # Short waits, so Ctrl-C reaches Python between them.
        while True:
            item = self.next(0.1)
            if item is not None:
                return item
            if self.ended():
                raise StopIteration

    def _iter(self: Any) -> Iterator[Any]:
        return self  # type: ignore[no-any-return]

    for stream in streams:
        stream.__iter__ = _iter  # type: ignore[attr-defined]
        stream.__next__ = _next  # type: ignore[attr-defined]


def _variants(enum: type) -> list[type]:
    """The variant classes of one of barter's enums with data (``DataKind.TRADE``, ...)."""
    return [variant for variant in vars(enum).values() if isinstance(variant, type) and issubclass(variant, enum)]


def _variant_values(variant: object) -> tuple[object, ...]:
    # Tuple variants keep their values in `_values`; struct variants as attributes.
    return getattr(variant, "_values", None) or tuple(fields(variant).values())


def _variant_repr(variant: object) -> str:
    if hasattr(variant, "_values"):
        values = ", ".join(map(repr, variant._values))  # type: ignore[attr-defined]
    else:
        values = ", ".join(f"{name}={value!r}" for name, value in fields(variant).items())
    return f"{type(variant).__qualname__}({values})"


for _record in vars(barter_ffi).values():
    if isinstance(_record, type) and dataclasses.is_dataclass(_record):
        _record.__repr__ = _repr  # type: ignore[method-assign]
        _record.__eq__ = _eq  # type: ignore[method-assign]  (the generated one fails on other types)
    elif isinstance(_record, type):
        # The variants of barter's enums with data (DataKind.TRADE(trade), ...): the generated
        # repr shows none of their values.
        for _variant in _variants(_record):
            _variant.__repr__ = _variant_repr  # type: ignore[method-assign]


def _camel(snake: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_"))


# barter's serde JSON: each `<type>_from_json` / `<type>_to_json` pair of the library becomes
# `Type.from_json(text)` and `value.to_json()` (remote types cannot carry exported methods).
# Types that cross as Python builtins (ids as `int`) keep their module-level functions only.
for _name, _from_json in list(vars(barter_ffi).items()):
    if _name.endswith("_from_json"):
        _stem = _name.removesuffix("_from_json")
        _type = getattr(barter_ffi, _camel(_stem))
        if _type.__module__ == barter_ffi.__name__:
            _type.from_json = staticmethod(strict(_from_json))
            _type.to_json = strict(getattr(barter_ffi, f"{_stem}_to_json"))
