"""Python manners for the records UniFFI generates: a readable ``repr`` for all, and hashing for
the ones barter derives ``Hash`` for (UniFFI cannot export traits of remote types)."""

from __future__ import annotations

import dataclasses
from typing import TypeVar

from barter._ffi import barter_ffi

T = TypeVar("T", bound=type)


def _fields(record: object) -> dict[str, object]:
    return {name: value for name, value in vars(record).items() if not name.startswith("_")}


def _repr(record: object) -> str:
    fields = ", ".join(f"{name}={value!r}" for name, value in _fields(record).items())
    return f"{type(record).__name__}({fields})"


def _eq(record: object, other: object) -> bool:
    if type(other) is not type(record):
        return NotImplemented  # type: ignore[return-value]
    return _fields(record) == _fields(other)


def hashable(cls: T) -> T:
    """Hash a record by its field values, as barter's ``#[derive(Hash)]`` does.

    Like any value used as a dict key, do not mutate it while it is one.
    """
    cls.__hash__ = lambda self: hash(tuple(_fields(self).values()))  # type: ignore[method-assign]
    return cls


def _variant_repr(variant: object) -> str:
    return f"{type(variant).__qualname__}({', '.join(map(repr, variant._values))})"  # type: ignore[attr-defined]


for _record in vars(barter_ffi).values():
    if isinstance(_record, type) and dataclasses.is_dataclass(_record):
        _record.__repr__ = _repr  # type: ignore[method-assign]
        _record.__eq__ = _eq  # type: ignore[method-assign]  (the generated one fails on other types)
    elif isinstance(_record, type):
        # The variants of barter's enums with data (DataKind.TRADE(trade), ...): the generated
        # repr shows none of their values.
        for _variant in vars(_record).values():
            if isinstance(_variant, type) and issubclass(_variant, _record) and hasattr(_variant, "__getitem__"):
                _variant.__repr__ = _variant_repr  # type: ignore[method-assign]


def _camel(snake: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in snake.split("_"))


# barter's serde JSON: each `<type>_from_json` / `<type>_to_json` pair of the library becomes
# `Type.from_json(text)` and `value.to_json()` (remote types cannot carry exported methods).
for _name, _from_json in list(vars(barter_ffi).items()):
    if _name.endswith("_from_json"):
        _stem = _name.removesuffix("_from_json")
        _type = getattr(barter_ffi, _camel(_stem))
        _type.from_json = staticmethod(_from_json)
        _type.to_json = getattr(barter_ffi, f"{_stem}_to_json")
