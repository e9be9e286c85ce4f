"""An event type and listeners that exist only in the test suite."""

from dataclasses import dataclass
from decimal import Decimal

from shop.infrastructure.events import event, listens_to

calls: list[tuple[str, int]] = []  # (listener, number) for each successful run
broken: set[str] = set()  # listeners that raise while their name is in here


@event("tests.SampleHappened", version=1)
@dataclass(frozen=True, kw_only=True)
class SampleHappened:
    number: int
    amount: Decimal = Decimal("1.50")


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
