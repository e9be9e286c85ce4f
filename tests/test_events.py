"""The modules' events: each one registered, external, named for good, and serializable."""

import dataclasses
import datetime
import importlib
import importlib.util
import json
import typing
import uuid
from decimal import Decimal
from types import ModuleType
from typing import Any

import pytest
from modular_monolith.events.envelope import (
    decode_payload,
    encode_payload,
    envelope,
    read_envelope,
)
from modular_monolith.events.registry import EventType, event_types
from modular_monolith.modules import module_labels, module_package

SAMPLES: dict[Any, Any] = {
    int: 7,
    str: "text with ünïcode",
    bool: True,
    Decimal: Decimal("1234.05"),
    datetime.datetime: datetime.datetime(2026, 11, 23, 10, 30, 5, 123456, tzinfo=datetime.UTC),
    datetime.date: datetime.date(2026, 11, 23),
    uuid.UUID: uuid.UUID("12345678-1234-5678-1234-567812345678"),
}


def sample_value(hint: Any) -> Any:
    """A value of type ``hint``, so that every registered event can be built without a list."""
    if typing.get_origin(hint) in (tuple, list):
        return typing.get_origin(hint)([sample_value(typing.get_args(hint)[0])])
    if typing.get_origin(hint) in (typing.Union, typing.get_origin(int | None)):
        return sample_value(next(arg for arg in typing.get_args(hint) if arg is not type(None)))
    if dataclasses.is_dataclass(hint):
        return sample_event(hint)
    return SAMPLES[hint]


def sample_event(cls: Any) -> Any:
    hints = typing.get_type_hints(cls)
    return cls(**{field.name: sample_value(hints[field.name]) for field in dataclasses.fields(cls)})


def events_modules() -> list[ModuleType]:
    """The ``events.py`` of every installed module, imported (which registers its events)."""
    names = [f"{module_package(label)}.events" for label in sorted(module_labels())]
    return [importlib.import_module(name) for name in names if importlib.util.find_spec(name)]


def declared_classes(module: ModuleType) -> set[type]:
    return {
        value
        for value in vars(module).values()
        if isinstance(value, type) and value.__module__ == module.__name__
    }


def all_event_types() -> list[EventType]:
    """Every registered event type, once every installed module's events are imported."""
    events_modules()
    return event_types()


def test_every_class_in_an_installed_modules_events_is_a_registered_external_event() -> None:
    modules = events_modules()
    declared = {cls for module in modules for cls in declared_classes(module)}
    names = {module.__name__ for module in modules}
    # The test suite registers events of its own; those of the modules are the ones in events.py.
    registered = {
        event_type.cls: event_type
        for event_type in event_types()
        if event_type.cls.__module__ in names
    }

    assert declared == set(registered)  # each one registered
    assert all(event_type.external for event_type in registered.values())


def test_the_event_names_stay_as_published() -> None:
    """Stored events, deliveries and broker bindings name them: renaming one breaks those."""
    names = {event_type.name for event_type in event_types()}
    assert {
        "users.UserRegistered",
        # demo:start
        "payments.PaymentSucceeded",
        "payments.PaymentFailed",
        "orders.OrderPlaced",
        "orders.OrderPaid",
        "orders.OrderCancelled",
        # demo:end
    } <= names


@pytest.mark.parametrize("event_type", all_event_types(), ids=lambda t: t.name)
def test_every_event_type_round_trips_through_the_envelope(event_type: EventType) -> None:
    event = sample_event(event_type.cls)
    document = envelope(
        event_id=uuid.uuid4(),
        event_type=event_type,
        occurred_at=datetime.datetime(2026, 11, 23, tzinfo=datetime.UTC),
        data=encode_payload(event),
    )

    received = read_envelope(json.loads(json.dumps(document)))  # exactly what crosses the wire

    assert received.event_type == event_type
    assert decode_payload(event_type.cls, received.data) == event
