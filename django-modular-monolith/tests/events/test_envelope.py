"""Events round-trip through their JSON envelope, unchanged; an unusable one is refused."""

import datetime
import json
import uuid
from decimal import Decimal
from typing import Any

import pytest

from modular_monolith.events.envelope import (
    decode_payload,
    encode_payload,
    envelope,
    read_envelope,
)
from modular_monolith.events.registry import event_type_of

from .sample import SampleHappened, SampleLine, SampleOfEveryKind


def wire(event: Any) -> dict[str, Any]:
    document = envelope(
        event_id=uuid.uuid4(),
        event_type=event_type_of(type(event)),
        occurred_at=datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC),
        data=encode_payload(event),
    )
    return json.loads(json.dumps(document))  # exactly what crosses the wire


def test_every_kind_of_value_round_trips() -> None:
    event = SampleOfEveryKind(
        count=7,
        text="text with ünïcode",
        flag=True,
        amount=Decimal("1234.05"),
        at=datetime.datetime(2026, 11, 23, 10, 30, 5, 123456, tzinfo=datetime.UTC),
        day=datetime.date(2026, 11, 23),
        reference=uuid.UUID("12345678-1234-5678-1234-567812345678"),
        lines=(SampleLine(label="first", amount=Decimal("0.10")),),
        tags=["a", "b"],
        note=None,
        missing=None,
    )

    received = read_envelope(wire(event))

    assert received.event_type == event_type_of(SampleOfEveryKind)
    assert decode_payload(SampleOfEveryKind, received.data) == event


def test_a_decimal_travels_as_a_string_without_rounding() -> None:
    assert wire(SampleHappened(number=1, amount=Decimal("0.30")))["data"]["amount"] == "0.30"


def test_the_envelope_uses_cloudevents_attributes() -> None:
    document = wire(SampleHappened(number=1))
    assert document["specversion"] == "1.0"
    assert document["type"] == "tests.SampleHappened"
    assert document["dataversion"] == 1
    assert document["source"] == "modular_monolith.tests"  # MONOLITH_EVENTS_SOURCE
    assert document["data"] == {"number": 1, "amount": "1.50"}
    assert {"id", "source", "time", "datacontenttype"} <= document.keys()


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        ({"type": "nobody.Registered"}, "nobody.Registered"),
        ({"dataversion": 2}, "version 2 received, version 1 understood"),
        ({"data": {"amount": "1.00"}}, "number"),
        ({"id": "not-a-uuid"}, "badly formed"),
    ],
)
def test_an_unusable_envelope_is_refused_with_the_reason(
    change: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        read_envelope({**wire(SampleHappened(number=1)), **change})
