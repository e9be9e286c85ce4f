"""Frozen dataclasses and the values in them, to JSON and back, by their type hints.

One codec for everything that leaves the process: event payloads (the outbox, the
broker) and the arguments, results and errors of remote module calls. ``Decimal``
travels as a string (no rounding), ``datetime`` and ``date`` as ISO 8601, ``UUID``
as a string, nested dataclasses as objects, lists and tuples as arrays. Decoding
needs the type the value must become: a type hint, read from the dataclass or
function signature it belongs to.
"""

import dataclasses
import datetime
import functools
import types
import typing
import uuid
from decimal import Decimal
from typing import Any


def to_json(value: Any) -> Any:
    """Convert a value (a dataclass, or anything inside one) into JSON-safe data."""
    if isinstance(value, Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, datetime.date):  # datetimes too
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            field.name: to_json(getattr(value, field.name)) for field in dataclasses.fields(value)
        }
    if isinstance(value, list | tuple):
        return [to_json(item) for item in value]
    if isinstance(value, dict):
        return {key: to_json(item) for key, item in value.items()}
    return value


def from_json(hint: Any, value: Any) -> Any:
    """Convert JSON data back into a value of the type ``hint``."""
    origin = typing.get_origin(hint)
    if origin in (typing.Union, types.UnionType):
        if value is None:
            return None
        return from_json(next(arg for arg in typing.get_args(hint) if arg is not type(None)), value)
    if origin in (tuple, list):
        item_hint = typing.get_args(hint)[0]
        return origin(from_json(item_hint, item) for item in value)
    if hint in (Decimal, uuid.UUID):
        return hint(value)
    if hint is datetime.datetime:
        return datetime.datetime.fromisoformat(value)
    if hint is datetime.date:
        return datetime.date.fromisoformat(value)
    if isinstance(hint, type) and dataclasses.is_dataclass(hint):
        return decode_dataclass(hint, value)
    return value


def encode_dataclass(instance: Any) -> dict[str, Any]:
    """A dataclass instance as a JSON object."""
    return typing.cast(dict[str, Any], to_json(instance))


def decode_dataclass(cls: type, data: dict[str, Any]) -> Any:
    """An instance of the dataclass ``cls`` from its JSON object; KeyError if a field is missing."""
    hints = _type_hints(cls)
    return cls(
        **{
            field.name: from_json(hints[field.name], data[field.name])
            for field in dataclasses.fields(cls)
        }
    )


@functools.cache
def _type_hints(cls: type) -> dict[str, Any]:
    """A dataclass's resolved field types: resolving them costs more than decoding."""
    return typing.get_type_hints(cls)
