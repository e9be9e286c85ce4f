"""Events as data: the JSON envelope they are stored and transmitted in.

The envelope uses CloudEvents attribute names, so that tools which speak
CloudEvents can read it::

    {"specversion": "1.0", "id": "…uuid…", "source": "myproject", "type": "orders.OrderPlaced",
     "dataversion": 1, "time": "2026-11-23T10:00:00+00:00",
     "datacontenttype": "application/json", "data": {"order_id": 7, "total": "24.00"}}

Payload values are converted by the dataclass's type hints: ``Decimal`` travels
as a string (no rounding), ``datetime`` as ISO 8601, nested dataclasses as objects.
"""

import dataclasses
import datetime
import functools
import types
import typing
import uuid
from decimal import Decimal
from typing import Any

from ..conf import setting
from .registry import EventType, event_type_named

SPEC_VERSION = "1.0"


def to_json(value: Any) -> Any:
    """Convert a payload value into JSON-safe data."""
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
        return decode_payload(hint, value)
    return value


def encode_payload(event: Any) -> dict[str, Any]:
    return to_json(event)


def decode_payload(cls: type, data: dict[str, Any]) -> Any:
    hints = _type_hints(cls)
    return cls(
        **{
            field.name: from_json(hints[field.name], data[field.name])
            for field in dataclasses.fields(cls)
        }
    )


@functools.cache
def _type_hints(cls: type) -> dict[str, Any]:
    """An event class's resolved field types: resolving them costs more than decoding."""
    return typing.get_type_hints(cls)


def envelope(
    *,
    event_id: uuid.UUID,
    event_type: EventType,
    occurred_at: datetime.datetime,
    data: dict[str, Any],
) -> dict[str, Any]:
    return {
        "specversion": SPEC_VERSION,
        "id": str(event_id),
        "source": setting("EVENTS_SOURCE"),
        "type": event_type.name,
        "dataversion": event_type.version,
        "time": occurred_at.isoformat(),
        "datacontenttype": "application/json",
        "data": data,
    }


@dataclasses.dataclass(frozen=True)
class ReceivedEnvelope:
    id: uuid.UUID
    event_type: EventType
    occurred_at: datetime.datetime
    data: dict[str, Any]


def read_envelope(document: dict[str, Any]) -> ReceivedEnvelope:
    """Validate an envelope against the registered event types; raise ValueError if unusable."""
    try:
        event_type = event_type_named(document["type"])
        if document["dataversion"] != event_type.version:
            raise ValueError(
                f"{document['type']} version {document['dataversion']} received, "
                f"version {event_type.version} understood."
            )
        received = ReceivedEnvelope(
            id=uuid.UUID(document["id"]),
            event_type=event_type,
            occurred_at=datetime.datetime.fromisoformat(document["time"]),
            data=document["data"],
        )
        decode_payload(event_type.cls, received.data)  # the payload must fit the type
    except (KeyError, LookupError, TypeError) as error:
        raise ValueError(f"Not a usable event envelope: {error!r}") from error
    return received
