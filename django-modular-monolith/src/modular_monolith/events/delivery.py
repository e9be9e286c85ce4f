"""Running listeners: deliveries claimed in batches, each listener isolated, retried with backoff.

A batch of deliveries is claimed in one statement (``SELECT ... FOR UPDATE SKIP
LOCKED``, the event's type and payload joined), their listeners run in that one
transaction, and one ``UPDATE`` marks the successes before the commit. A listener's
effects and its delivery's mark commit together: a process that dies mid-batch
leaves the whole batch pending and its effects rolled back, and two workers never
run the same delivery.

Each listener call of a batch runs in a savepoint of its own, so one that raises is
rolled back alone; its attempt is recorded and retried later, up to
``EVENTS_MAX_ATTEMPTS``, then marked failed. A savepoint costs a round trip or two,
as much as the rest of a delivery, so it is opened only just before the listener's
first SQL statement (a listener that runs none has nothing to roll back) and never
released (the commit does it). A batch of one call needs none at all: if it fails,
the transaction rolls back and the failure is recorded in another. A batch listener
(``listens_to(..., batch=True)``) is one call for all its deliveries of the batch.

A batch starts no listener after ``BATCH_SECONDS`` (what it did not start stays
pending, for the next batch). ``Batches`` sizes them: from one delivery, doubling
while they end in time, halved after one that ended late; slow listeners commit often
and leave work to other workers, fast ones share a transaction up to a hundred at a
time. The worker keeps one ``Batches`` for its life, so a busy moment starts at the
size the last one reached.
"""

import json
import logging
import time
import traceback
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import timedelta
from functools import partial
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.utils import timezone

from .. import tracing
from ..boundaries.transactions import unit_of_work
from ..conf import setting
from ..logs import module_of
from ..models import Delivery
from .claims import Claimed, claim_by_id, claim_due, claim_of_event
from .envelope import decode_payload
from .registry import Listener, event_type_named, listener_names, listeners_by_name, takes_batches

logger = logging.getLogger(__name__)

BATCH_SIZE = 100  # deliveries claimed at most per transaction
BATCH_SECONDS = 0.25  # a batch starts no listener after this long, and commits
# A transaction with more subtransactions than PostgreSQL caches per process (64) slows
# every other session's snapshots while it runs: a batch ends at that many savepoints.
MAX_SAVEPOINTS = 64


def deliver_event(event_id: uuid.UUID) -> None:
    """Deliver an event to its listeners in this process, all in one transaction."""
    _deliver_batch(partial(claim_of_event, event_id, listener_names()))


def deliver_due(*, limit: int | None = None, batch_size: int = BATCH_SIZE) -> int:
    """Deliver what is due (first attempts, retries, leftovers of crashed processes).

    Return how many deliveries were attempted. Safe to run in several processes at once.
    """
    return Batches(batch_size).deliver_due(limit=limit)


class Batches:
    """Delivers what is due in batches sized to how fast the listeners are.

    The first batch is one delivery; the size doubles after each batch that ended
    within ``BATCH_SECONDS``, up to ``batch_size``, and is halved (to half of what
    ran) after one that did not. The size is kept from one ``deliver_due`` to the next.
    """

    def __init__(self, batch_size: int = BATCH_SIZE) -> None:
        self.batch_size = batch_size
        self.size = 1
        self.drained = False  # the last run stopped because nothing more was due

    def deliver_due(self, *, limit: int | None = None) -> int:
        """Deliver what is due, up to ``limit``; return how many deliveries were attempted."""
        attempted = 0
        self.drained = False
        while limit is None or attempted < limit:
            wanted = self.size if limit is None else min(self.size, limit - attempted)
            started = time.monotonic()
            due = partial(claim_due, timezone.now(), listener_names(), wanted)
            claimed, ran = _deliver_batch(due)
            attempted += ran
            if time.monotonic() - started > BATCH_SECONDS:
                self.size = max(ran // 2, 1)
            elif claimed == wanted:
                self.size = min(self.size * 2, self.batch_size)
            if claimed < wanted and ran == claimed:
                self.drained = True  # it took all there was: no need to look again now
                break
        return attempted


def retry_delay(attempts: int) -> timedelta:
    """Exponential backoff: the base delay, doubled after each failed attempt, capped."""
    seconds = setting("EVENTS_RETRY_DELAY") * 2 ** (attempts - 1)
    return timedelta(seconds=min(seconds, setting("EVENTS_RETRY_MAX_DELAY")))


@dataclass
class _Call:
    """One call of a listener: one delivery, or all of a batch listener's deliveries."""

    listener: Listener
    batch: bool
    deliveries: list[Claimed] = field(default_factory=list)


class _CallFailed(Exception):
    """A call of a batch of one failed: its transaction rolls back, the failure is recorded."""

    def __init__(self, call: _Call, error: Exception) -> None:
        self.call = call
        self.error = error


def _deliver_batch(claim: Callable[[], list[Claimed]]) -> tuple[int, int]:
    """Claim deliveries with ``claim`` and run them, in one transaction.

    Return how many were claimed and how many ran (fewer if the deadline came first).
    """
    deadline = time.monotonic() + BATCH_SECONDS
    try:
        with transaction.atomic():
            claimed = claim()
            calls = _calls(claimed)
            if len(calls) == 1:
                _run_alone(calls[0])
                return len(claimed), len(claimed)
            return len(claimed), _run_isolated(calls, deadline=deadline)
    except _CallFailed as failed:  # the only call of the batch
        with transaction.atomic():
            _after_failure(failed.call, failed.error)
        return len(failed.call.deliveries), len(failed.call.deliveries)


def _calls(claimed: list[Claimed]) -> list[_Call]:
    """Group claimed deliveries into calls: one per delivery, one per batch listener."""
    listeners = listeners_by_name()
    calls: list[_Call] = []
    batches: dict[str, _Call] = {}
    for delivery in claimed:
        if takes_batches(delivery.listener):
            if delivery.listener not in batches:
                batches[delivery.listener] = _Call(listeners[delivery.listener], batch=True)
            batches[delivery.listener].deliveries.append(delivery)
        else:
            calls.append(_Call(listeners[delivery.listener], False, [delivery]))
    return [*batches.values(), *calls]


def _run_alone(call: _Call) -> None:
    """Run the only call of a batch, without a savepoint: if it fails, all of it rolls back."""
    try:
        _invoke(call)
    except Exception as error:
        raise _CallFailed(call, error) from None
    _mark_succeeded(call.deliveries)


def _run_isolated(calls: list[_Call], *, deadline: float | None) -> int:
    """Run each call in a savepoint of its own; record the outcomes; return how many ran.

    After ``deadline`` no call is started: the rest of the claim stays pending.
    """
    succeeded: list[Claimed] = []
    ran = savepoints = 0
    savepoint = _SavepointBeforeFirstQuery()
    for call in calls:
        if ran and (_late(deadline) or savepoints == MAX_SAVEPOINTS):
            break
        ran += len(call.deliveries)
        try:
            with savepoint.run():
                _invoke(call)
        except Exception as error:
            if call.batch and len(call.deliveries) > 1:
                _run_isolated(_one_by_one(call.listener, call.deliveries), deadline=None)
            else:
                _record_failure(call.deliveries[0], error)
        else:
            succeeded += call.deliveries
        savepoints += savepoint.opened
    _mark_succeeded(succeeded)
    return ran


def _late(deadline: float | None) -> bool:
    return deadline is not None and time.monotonic() > deadline


def _after_failure(call: _Call, error: Exception) -> None:
    """Record a failed call of a batch of one, or retry a batch listener one event at a time.

    Its deliveries were unlocked by the rollback: claim again those still as they were.
    """
    attempts = {delivery.id: delivery.attempts for delivery in call.deliveries}
    claimed = claim_by_id(attempts, listener_names())
    unchanged = {row.id for row in claimed if attempts[row.id] == row.attempts}
    deliveries = [delivery for delivery in call.deliveries if delivery.id in unchanged]
    if call.batch and len(deliveries) > 1:
        _run_isolated(_one_by_one(call.listener, deliveries), deadline=None)
    elif deliveries:
        _record_failure(deliveries[0], error)


def _one_by_one(batch_listener: Listener, deliveries: list[Claimed]) -> list[_Call]:
    """Calls of a batch listener with one event each, so that a bad event fails alone."""
    return [_Call(batch_listener, True, [delivery]) for delivery in deliveries]


def _invoke(call: _Call) -> None:
    events = [_decode(delivery) for delivery in call.deliveries]
    first = call.deliveries[0]
    contexts = [delivery.trace_context for delivery in call.deliveries]
    # unit_of_work: for the transaction guard, one call is one transaction.
    with tracing.delivering(first.event_type, first.listener, contexts), unit_of_work():
        if call.batch:
            call.listener(events)
        else:
            call.listener(events[0])


def _decode(delivery: Claimed) -> Any:
    return decode_payload(event_type_named(delivery.event_type).cls, delivery.payload)


class _SavepointBeforeFirstQuery:
    """Runs a block in a savepoint that is opened just before the block's first SQL statement.

    On an exception the block is rolled back to the savepoint, with the on-commit
    callbacks it registered, and leaves no trace; a block that ran no SQL has nothing
    to roll back. On success the savepoint is not released: the batch's commit releases
    them all, a round trip saved per listener. The savepoint is plain SQL, outside
    Django's stack of atomic blocks, because the listener's first statement may run
    inside one of its own (``bulk_create`` opens one without a savepoint).
    """

    name = "modular_monolith_listener"

    def __init__(self, using: str = DEFAULT_DB_ALIAS) -> None:
        self.connection = connections[using]
        self.opened = False

    @contextmanager
    def run(self) -> Iterator[None]:
        connection = self.connection
        self.opened = False
        callbacks_before = len(connection.run_on_commit)
        try:
            with connection.execute_wrapper(self._open):
                yield
        except BaseException:
            if self.opened:
                connection.needs_rollback = False  # set by an atomic block the error crossed
                with connection.cursor() as cursor:
                    cursor.execute(connection.ops.savepoint_rollback_sql(self.name))
            del connection.run_on_commit[callbacks_before:]
            raise

    def _open(self, execute: Callable[..., Any], *args: Any) -> Any:
        if not self.opened:
            self.opened = True  # first: the SAVEPOINT statement passes through here too
            with self.connection.cursor() as cursor:
                cursor.execute(self.connection.ops.savepoint_create_sql(self.name))
        return execute(*args)


def _mark_succeeded(deliveries: list[Claimed]) -> None:
    """One UPDATE for the batch's successes, in SQL: the ORM spends longer building an
    ``IN`` list of a hundred ids (about 2 ms, measured) than the database running it."""
    if not deliveries:
        return
    ids = [delivery.id for delivery in deliveries]
    table = connection.ops.quote_name(Delivery._meta.db_table)
    with connection.cursor() as cursor:
        cursor.execute(
            f"UPDATE {table} SET status = %s, attempts = attempts + 1, "
            f"completed_at = %s, last_error = '' WHERE id IN ({', '.join(['%s'] * len(ids))})",
            [Delivery.Status.SUCCEEDED, timezone.now(), *ids],
        )


def _record_failure(delivery: Claimed, error: Exception) -> None:
    """Count the attempt; retry after the backoff, or mark the delivery failed; log it."""
    attempts = delivery.attempts + 1
    now = timezone.now()
    if attempts >= setting("EVENTS_MAX_ATTEMPTS"):
        outcome: dict[str, Any] = {"status": Delivery.Status.FAILED, "completed_at": now}
        then = "no attempts left: marked failed"
    else:
        retry_at = now + retry_delay(attempts)
        outcome = {"next_attempt_at": retry_at}
        then = f"retrying at {retry_at.isoformat()}"
    Delivery.objects.filter(pk=delivery.id).update(
        attempts=attempts, last_error="".join(traceback.format_exception(error)), **outcome
    )
    logger.error(
        "Delivery of %s %s %s to %s failed (attempt %d of %d); %s",
        delivery.event_type,
        delivery.event_id,
        json.dumps(delivery.payload),
        delivery.listener,
        attempts,
        setting("EVENTS_MAX_ATTEMPTS"),
        then,
        exc_info=error,
        extra={
            "event_id": str(delivery.event_id),
            "event_type": delivery.event_type,
            "listener": delivery.listener,
            "module_label": module_of(delivery.listener),  # the listener's module
            "attempt": attempts,
        },
    )
