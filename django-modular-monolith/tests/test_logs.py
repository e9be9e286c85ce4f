"""Log records say which module logged them, and a failed delivery says which event it was."""

import logging
from collections.abc import Callable
from contextlib import AbstractContextManager
from typing import Any

import pytest

from modular_monolith.logs import ModuleFilter, module_of
from modular_monolith.models import Delivery
from modules.notes import api as notes

STRUCTURED = ["event_id", "event_type", "listener", "module_label", "attempt"]
Deliver = Callable[[], AbstractContextManager[Any]]


@pytest.mark.parametrize(
    ("logger_name", "module"),
    [
        ("modules.tally", "tally"),
        ("modules.tally.listeners", "tally"),
        ("modules.notes.api", "notes"),
        ("modules.tallyho.listeners", ""),  # a name that only starts like a module's
        ("modules", ""),
        ("django.request", ""),
        ("modular_monolith.events.delivery", ""),
    ],
)
def test_the_module_is_read_from_the_logger_name(logger_name: str, module: str) -> None:
    assert module_of(logger_name) == module


def _record(name: str, **extra: Any) -> logging.LogRecord:
    record = logging.LogRecord(name, logging.INFO, __file__, 1, "hello", None, None)
    record.__dict__.update(extra)
    return record


def test_the_filter_labels_every_record_and_keeps_it() -> None:
    inside, outside = _record("modules.notes.api"), _record("django")

    assert ModuleFilter().filter(inside) and ModuleFilter().filter(outside)
    assert (vars(inside)["module_label"], vars(outside)["module_label"]) == ("notes", "")


def test_a_label_the_caller_gives_is_kept() -> None:
    record = _record("modular_monolith.events.delivery", module_label="tally")

    ModuleFilter().filter(record)

    assert vars(record)["module_label"] == "tally"


@pytest.mark.django_db
def test_a_failed_delivery_logs_the_event_id_type_listener_and_module(
    deliver_events: Deliver, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("modules.tally.listeners.Count", None)  # the listener raises

    with caplog.at_level(logging.ERROR), deliver_events():
        notes.write_note(text="hello")

    delivery = Delivery.objects.select_related("event").get()
    assert delivery.status == "pending"
    [record] = [r for r in caplog.records if r.name == "modular_monolith.events.delivery"]
    assert {key: vars(record)[key] for key in STRUCTURED} == {
        "event_id": str(delivery.event_id),
        "event_type": delivery.event.type,
        "listener": "modules.tally.listeners.on_note_written",
        "module_label": "tally",
        "attempt": 1,
    }
