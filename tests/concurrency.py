"""Run callables at the same moment in threads, to test what concurrent requests do.

A race needs two requests in flight at once, each in its own transaction. Django
gives every thread its own database connection, so each callable here runs in
its own thread, on its own connection, as a request in another worker would::

    outcomes = run_concurrently([lambda: charge(...)] * 8)
    assert [o.error for o in outcomes] == [None] * 8

The threads wait at a ``threading.Barrier`` and are released together, so that
their transactions overlap as much as threads allow; a test that needs a wider
window makes the code under test slow (a gateway stub that sleeps, say).

Use it only in tests marked ``@pytest.mark.django_db(transaction=True)``: in an
ordinary test the data lives in the main thread's transaction, which the other
threads' connections cannot see, and which never commits. Each thread closes
its connection when it is done, so that none outlives the test and holds up the
flush of the tables or the removal of the test database.
"""

import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

from django.db import connection

T = TypeVar("T")

DEFAULT_TIMEOUT = 30.0  # seconds; a thread still running after it points to a deadlock


@dataclass(frozen=True)
class Outcome(Generic[T]):
    """What one callable returned, or the exception it raised (then ``result`` is None)."""

    result: T | None = None
    error: BaseException | None = None


def run_concurrently(
    calls: Sequence[Callable[[], T]], *, timeout: float = DEFAULT_TIMEOUT
) -> list[Outcome[T]]:
    """Call every callable in its own thread, all released at once; return their outcomes.

    Outcomes come in the order of ``calls``. An exception is caught and kept in its
    outcome, so that a test can assert which callers failed and how. Raises
    ``TimeoutError`` if a thread has not finished within ``timeout`` seconds.
    """
    barrier = threading.Barrier(len(calls))
    outcomes: list[Outcome[T] | None] = [None] * len(calls)

    def run(index: int, call: Callable[[], T]) -> None:
        try:
            barrier.wait(timeout=timeout)
            outcomes[index] = Outcome(result=call())
        except BaseException as error:  # kept for the test to assert on
            outcomes[index] = Outcome(error=error)
        finally:
            connection.close()  # this thread's connection, not the test's

    threads = [
        threading.Thread(target=run, args=(index, call), name=f"concurrent-{index}", daemon=True)
        for index, call in enumerate(calls)
    ]
    for thread in threads:
        thread.start()
    deadline = time.monotonic() + timeout
    for thread in threads:
        thread.join(max(0.0, deadline - time.monotonic()))
    stuck = [thread.name for thread in threads if thread.is_alive()]
    if stuck:
        raise TimeoutError(f"Threads still running after {timeout} s: {', '.join(stuck)}.")
    return [outcome for outcome in outcomes if outcome is not None]  # every thread set one
