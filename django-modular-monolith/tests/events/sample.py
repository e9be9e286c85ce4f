"""Event types and listeners that exist only in the test suite."""

import datetime
import uuid
from dataclasses import dataclass
from decimal import Decimal

from modular_monolith.events import event, listens_to

calls: list[tuple[str, int]] = []  # (listener, number) for each successful run
broken: set[str] = set()  # listeners that raise while their name is in here


@event("tests.SampleHappened", version=1)
@dataclass(frozen=True, kw_only=True)
class SampleHappened:
    number: int
    amount: Decimal = Decimal("1.50")


@event("tests.SampleAnnounced", version=1, external=True)
@dataclass(frozen=True, kw_only=True)
class SampleAnnounced:
    """An external event: relayed to the broker, for the broker tests (nobody listens here)."""

    number: int


@event("tests.SampleQueued", version=1)
@dataclass(frozen=True, kw_only=True)
class SampleQueued:
    """Work for the worker process tests: its listener is in ``effect.py``."""

    number: int


@dataclass(frozen=True, kw_only=True)
class SampleLine:
    label: str
    amount: Decimal


@event("tests.SampleOfEveryKind", version=1)
@dataclass(frozen=True, kw_only=True)
class SampleOfEveryKind:
    """A payload with every kind of value the envelope converts, for the round-trip test."""

    count: int
    text: str
    flag: bool
    amount: Decimal
    at: datetime.datetime
    day: datetime.date
    reference: uuid.UUID
    lines: tuple[SampleLine, ...]
    tags: list[str]
    note: str | None
    missing: datetime.date | None


@listens_to(SampleHappened)
def first_listener(event: SampleHappened) -> None:
    _run("first", event)


@listens_to(SampleHappened)
def second_listener(event: SampleHappened) -> None:
    _run("second", event)


def _run(name: str, event: SampleHappened) -> None:
    if name in broken:
        raise RuntimeError(f"{name} is broken")
    calls.append((name, event.number))
