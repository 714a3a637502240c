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


for _record in vars(barter_ffi).values():
    if isinstance(_record, type) and dataclasses.is_dataclass(_record):
        _record.__repr__ = _repr  # type: ignore[method-assign]
        _record.__eq__ = _eq  # type: ignore[method-assign]  (the generated one fails on other types)
