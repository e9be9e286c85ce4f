"""Events as data: the JSON envelope they are stored and transmitted in.

The envelope uses CloudEvents attribute names, so that tools which speak
CloudEvents can read it::

    {"specversion": "1.0", "id": "…uuid…", "source": "myproject", "type": "orders.OrderPlaced",
     "dataversion": 1, "time": "2026-11-23T10:00:00+00:00",
     "datacontenttype": "application/json", "data": {"order_id": 7, "total": "24.00"}}

Payload values are converted by the dataclass's type hints (``modular_monolith.codec``):
``Decimal`` travels as a string (no rounding), ``datetime`` as ISO 8601, nested
dataclasses as objects. A traced publication's context travels as the CloudEvents
distributed tracing extension's attributes, ``traceparent`` and ``tracestate``.
"""

import dataclasses
import datetime
import uuid
from typing import Any

from .. import tracing
from ..codec import decode_dataclass, encode_dataclass
from ..conf import setting
from .registry import EventType, event_type_named

SPEC_VERSION = "1.0"

# The event payloads use the one codec of everything that leaves the process.
encode_payload = encode_dataclass
decode_payload = decode_dataclass


def envelope(
    *,
    event_id: uuid.UUID,
    event_type: EventType,
    occurred_at: datetime.datetime,
    data: dict[str, Any],
    trace_context: dict[str, str] | None = None,
) -> dict[str, Any]:
    return {
        **(trace_context or {}),
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
    trace_context: dict[str, str] | None = None


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
            trace_context=_trace_context(document),
        )
        decode_payload(event_type.cls, received.data)  # the payload must fit the type
    except (KeyError, LookupError, TypeError) as error:
        raise ValueError(f"Not a usable event envelope: {error!r}") from error
    return received


def _trace_context(document: dict[str, Any]) -> dict[str, str] | None:
    carried = {
        name: value
        for name in tracing.carried_fields()
        if isinstance(value := document.get(name), str)
    }
    return carried or None
