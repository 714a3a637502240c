"""Strict argument checks for the native functions, from their own annotations.

UniFFI's generated lowering trusts its input: a wrong type surfaces as ``AttributeError``
(``'int' object has no attribute 'exchange'``) or ``struct.error``, any truthy value passes as a
``bool`` (and ``2`` reaches Rust as an invalid byte: a panic), a ``str`` or ``bytes`` given for a
list is iterated, and a unit record accepts anything. :func:`strict` wraps a generated function
so that each argument is checked first, through records, lists and enum variants, and a wrong
type raises ``TypeError`` naming the argument's path and the type expected::

    requests[0].key.side: expected Side, got int 1

Values are left to the lowering that follows (ranges, Decimals barter cannot hold, naive
datetimes): it raises ``ValueError`` or ``BarterError.InvalidValue`` for those.
"""

from __future__ import annotations

import dataclasses
import datetime as _dt
import decimal
import enum
import functools
import inspect
import re
import sys
import types
import typing
from collections.abc import Callable, Mapping
from typing import Any, TypeVar

F = TypeVar("F", bound=Callable[..., Any])

__all__ = ["check", "strict"]


def strict(function: F) -> F:
    """``function`` with its arguments checked against its annotations first."""
    signature = inspect.signature(function)
    hints = typing.get_type_hints(function)
    parameters = [(name, hints.get(name, Any)) for name in signature.parameters]
    by_name = dict(parameters)

    valid = [(name, _validator(hint)) for name, hint in parameters]
    valid_by_name = dict(valid)

    @functools.wraps(function)
    def checked(*args: Any, **kwargs: Any) -> Any:
        # The fast yes/no first; only a wrong argument pays for finding and naming the field.
        for (name, is_valid), value in zip(valid, args):
            if not is_valid(value):
                check(value, by_name[name], name)
        for name, value in kwargs.items():
            if name in valid_by_name and not valid_by_name[name](value):
                check(value, by_name[name], name)
        return function(*args, **kwargs)

    return typing.cast(F, checked)


@functools.cache
def _validator(hint: Any) -> Callable[[Any], bool]:
    """Whether a value has the type ``hint``: what :func:`check` checks, without the paths."""
    if hint is Any or hint is object:
        return lambda value: True
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        options = [_validator(option) for option in _options(hint)]
        none_ok = type(None) in typing.get_args(hint)
        default_ok = object in typing.get_args(hint)
        return lambda value: (value is None and none_ok) or (default_ok and value is _default()) or any(option(value) for option in options)
    if origin is list:
        item = _validator(typing.get_args(hint)[0])
        return lambda value: isinstance(value, list) and all(map(item, value))
    if origin is dict:
        key, element = map(_validator, typing.get_args(hint))
        return lambda value: isinstance(value, Mapping) and all(key(k) and element(v) for k, v in value.items())
    if dataclasses.is_dataclass(hint) or (isinstance(hint, type) and not issubclass(hint, enum.Enum) and _variants(hint)):
        return lambda value: _is_instance(value, hint) and _fields_valid(value)
    return lambda value: _is_instance(value, hint)


def _options(union: Any) -> list[Any]:
    """A union's types but ``None`` and ``object``: UniFFI types an argument with a default
    ``Union[object, T]``, where ``object`` stands for its ``_DEFAULT`` marker, not for any value."""
    return [option for option in typing.get_args(union) if option is not type(None) and option is not object]


def _default() -> object:
    """The generated module's marker of an argument left at its default."""
    return sys.modules["barter._ffi.barter_ffi"]._DEFAULT


def _fields_valid(value: Any) -> bool:
    for name, is_valid in _field_validators(type(value)):
        if not is_valid(value._values[name] if isinstance(name, int) else getattr(value, name)):
            return False
    return True


@functools.cache
def _field_validators(cls: type) -> tuple[tuple[str | int, Callable[[Any], bool]], ...]:
    return tuple((name, _validator(field)) for name, field in _fields(cls))


@functools.cache
def _variants(cls: type) -> bool:
    """Whether ``cls`` is one of barter's enums with data (its variants are nested subclasses)."""
    return any(isinstance(member, type) and member is not cls and issubclass(member, cls) for member in vars(cls).values())


def check(value: Any, hint: Any, path: str) -> None:
    """Raise ``TypeError`` unless ``value`` has the type ``hint`` (recursively)."""
    if hint is Any or hint is object:
        return
    origin = typing.get_origin(hint)
    if origin is typing.Union or origin is types.UnionType:
        if (value is None and type(None) in typing.get_args(hint)) or (object in typing.get_args(hint) and value is _default()):
            return
        # The option the value is an instance of is checked through (its error names the field).
        for option in _options(hint):
            if typing.get_origin(option) is not None or _is_instance(value, option):
                check(value, option, path)
                return
        raise _wrong(value, hint, path)
    if origin is list:
        if not isinstance(value, list):
            raise _wrong(value, hint, path)
        (item,) = typing.get_args(hint)
        for index, element in enumerate(value):
            check(element, item, f"{path}[{index}]")
        return
    if origin is dict:
        if not isinstance(value, Mapping):
            raise _wrong(value, hint, path)
        key_hint, value_hint = typing.get_args(hint)
        for key, element in value.items():
            check(key, key_hint, f"{path} key {key!r}")
            check(element, value_hint, f"{path}[{key!r}]")
        return
    if not _is_instance(value, hint):
        raise _wrong(value, hint, path)
    if dataclasses.is_dataclass(hint) or _is_variant(type(value), hint):
        for name, field in _fields(type(value)):
            check(_field_value(value, name), field, f"{path}.{name}" if isinstance(name, str) else f"{path}[{name}]")


def _is_instance(value: Any, hint: Any) -> bool:
    if hint is bool:
        return isinstance(value, bool)
    if hint is float:
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if hint is decimal.Decimal:
        # Exact forms only: decimal_to_str refuses a float with the reason.
        return isinstance(value, (decimal.Decimal, int, str)) and not isinstance(value, bool)
    if isinstance(hint, type) and issubclass(hint, int) and not issubclass(hint, bool):
        # int and barter's indexes (int subclasses, built from an int by the lowering).
        return hasattr(type(value), "__index__") and not isinstance(value, bool)
    if hint is _dt.datetime:
        return isinstance(value, _dt.datetime)
    if isinstance(hint, type):
        return isinstance(value, hint)
    return True  # a typing construct not used by the generated module: the lowering decides


def _wrong(value: Any, hint: Any, path: str) -> TypeError:
    shown = repr(value)
    shown = shown if len(shown) <= 80 else shown[:77] + "..."
    return TypeError(f"{path}: expected {_name(hint)}, got {type(value).__name__} {shown}")


def _name(hint: Any) -> str:
    if isinstance(hint, type):
        return hint.__qualname__
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        nothing = ["None"] if type(None) in typing.get_args(hint) else []
        return " | ".join([_name(option) for option in _options(hint)] + nothing)
    return str(hint).replace("typing.", "").replace("barter._ffi.barter_ffi.", "").replace("barter._convert.", "").replace("datetime.", "").replace("decimal.", "")


def _is_variant(cls: type, hint: Any) -> bool:
    """A variant class of one of barter's enums with data (``DataKind.TRADE``)."""
    return isinstance(hint, type) and cls is not hint and issubclass(cls, hint) and not issubclass(hint, enum.Enum)


def _field_value(value: Any, name: str | int) -> Any:
    return value._values[name] if isinstance(name, int) else getattr(value, name)


@functools.cache
def _fields(cls: type) -> tuple[tuple[str | int, Any], ...]:
    """The typed fields of a record or of an enum variant: by name from its ``__init__``, or by
    position for a tuple variant (``*values``, untyped in the generated code: its types are
    those its enum's converter checks)."""
    code = getattr(cls.__init__, "__code__", None)
    if code is None:
        return ()  # a unit variant (object's __init__)
    if "_values" in code.co_names:
        return tuple(enumerate(_tuple_variant_fields(cls)))
    hints = typing.get_type_hints(cls.__init__)
    return tuple((name, hints.get(name, Any)) for name in inspect.signature(cls.__init__).parameters if name != "self")


def _tuple_variant_fields(variant: type) -> list[Any]:
    from barter._ffi import barter_ffi

    enum_name, variant_name = variant.__qualname__.split(".")
    source = inspect.getsource(getattr(barter_ffi, f"_UniffiFfiConverterType{enum_name}").check_lower)
    block = source.split(f"is_{variant_name}()", 1)[1].split("return", 1)[0]
    return [_converter_type(name, barter_ffi) for name in re.findall(r"_UniffiFfiConverter(\w+)\.check_lower", block)]


_SCALARS = {"String": str, "Boolean": bool, "Float64": float, "Float32": float, "Bytes": bytes}


def _converter_type(name: str, module: Any) -> Any:
    """The Python type a generated converter (``_UniffiFfiConverter<name>``) lowers."""
    if name.startswith("Type"):
        return getattr(module, name.removeprefix("Type"), Any)
    if name.startswith("Sequence"):
        return list[_converter_type(name.removeprefix("Sequence"), module)]  # type: ignore[misc]
    if name.startswith("Optional"):
        return typing.Optional[_converter_type(name.removeprefix("Optional"), module)]
    if re.fullmatch(r"U?Int\d+", name):
        return int
    return _SCALARS.get(name, Any)
