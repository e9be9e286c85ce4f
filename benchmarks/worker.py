"""How fast one event worker drains a backlog, against two PostgreSQL job queues.

In one run, on the same database, each drains ``--jobs`` jobs that do nothing (one
job per event), in alternating rounds so that the noise of a busy machine hits all
alike:

- this project's worker: ``deliver_due()``, what ``manage.py process_events`` runs,
  on ``benchmarks.Tick`` events with one listener that does nothing;
- the same with 100,000 completed deliveries behind (``--behind``, written before the
  round and not timed), which leave dead entries in the claim's index: PostgreSQL's
  autovacuum is off on the machine this was written on, so nothing removes them;
- PgQueuer (on asyncpg, its faster driver) and procrastinate with their defaults (one
  worker, its default batch size and concurrency), each in drain mode: it stops when its
  queue is empty.

Each round starts from empty tables (truncated, so that no dead rows of an earlier round
slow a queue down), and logging is at WARNING: a log line per job is not a queue's cost.

Run it from the project root with the ``bench`` extra installed, against a PostgreSQL
database of its own (its name must contain "bench"; it is created if missing)::

    .venv/bin/pip install -e '.[bench]'
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shop_bench .venv/bin/python -m benchmarks.worker

Absolute figures depend on the machine; compare the ratios.
"""

# ruff: noqa: I001 - benchmarks.events configures Django: it is imported before the rest.

from benchmarks.events import (
    Tick,
    analyze_outbox,
    prepare_database,
    publish_backlog,
    server_version,
    truncate_shop_tables,
)

import argparse
import asyncio
import logging
import statistics
import time
from collections.abc import Callable
from functools import partial

import asyncpg
import procrastinate
import psycopg
from django.conf import settings
from django.db import connection
from modular_monolith.events.delivery import deliver_due
from modular_monolith.models import Delivery, StoredEvent
from pgqueuer import AsyncpgDriver, Queries, QueueManager
from pgqueuer.types import QueueExecutionMode

ROUNDS = 3


def conninfo() -> str:
    database = settings.DATABASES["default"]
    return psycopg.conninfo.make_conninfo(
        dbname=database["NAME"],
        host=database["HOST"] or None,
        port=database["PORT"] or None,
        user=database["USER"] or None,
        password=database["PASSWORD"] or None,
    )


def truncate(*tables: str) -> None:
    """Empty a queue's own tables, if they exist yet."""
    with connection.cursor() as cursor:
        for table in tables:
            cursor.execute("SELECT to_regclass(%s) IS NOT NULL", [table])
            if cursor.fetchone()[0]:
                cursor.execute(f"TRUNCATE {table} CASCADE")


# --- This project's worker --------------------------------------------------------------


def fill_completed_deliveries(count: int) -> None:
    """``count`` deliveries completed as the worker completes them: pending, then succeeded.

    Written in SQL, a few thousand at a time, so that it takes seconds; each update
    leaves a dead entry in the index of pending deliveries, as the worker's own would.
    """
    events, deliveries = StoredEvent._meta.db_table, Delivery._meta.db_table
    chunk = 5000
    with connection.cursor() as cursor:
        for start in range(0, count, chunk):
            size = min(chunk, count - start)
            cursor.execute(
                f"""
                WITH new_events AS (
                    INSERT INTO {events} (id, type, version, occurred_at, payload, relay_pending)
                    SELECT gen_random_uuid(), 'benchmarks.Tick', 1, now(),
                           jsonb_build_object('number', n), false
                    FROM generate_series(1, %s) AS n
                    RETURNING id, occurred_at
                )
                INSERT INTO {deliveries} (event_id, listener, status, attempts, next_attempt_at,
                                          last_error)
                SELECT id, 'benchmarks.events.on_tick', 'pending', 0, occurred_at, ''
                FROM new_events
                """,
                [size],
            )
            cursor.execute(
                f"UPDATE {deliveries} SET status = 'succeeded', attempts = 1, completed_at = now()"
                " WHERE status = 'pending'"
            )


def drain_ours(jobs: int, *, behind: int = 0) -> float:
    """Publish ``jobs`` Tick events in worker mode, then time ``deliver_due()`` draining them.

    ``behind``: first, that many completed deliveries.
    """
    fill_completed_deliveries(behind)
    publish_backlog(lambda number: Tick(number=number), jobs)
    analyze_outbox()
    started = time.perf_counter()
    attempted = deliver_due()
    seconds = time.perf_counter() - started
    assert attempted == jobs, f"{attempted} deliveries attempted, {jobs} expected"
    assert not Delivery.objects.exclude(status="succeeded").exists(), "a delivery failed"
    return seconds


# --- PgQueuer ---------------------------------------------------------------------------


async def _drain_pgqueuer(jobs: int) -> float:
    database = settings.DATABASES["default"]
    db = await asyncpg.connect(
        database=database["NAME"],
        host=database["HOST"] or None,
        port=database["PORT"] or None,
        user=database["USER"] or None,
        password=database["PASSWORD"] or None,
    )
    try:
        queries = Queries(AsyncpgDriver(db))
        if not await queries.has_table("pgqueuer"):
            await queries.install()
        await queries.enqueue(["noop"] * jobs, [None] * jobs, [0] * jobs)

        manager = QueueManager(queries)
        done = 0

        @manager.entrypoint("noop")
        async def noop(job: object) -> None:
            nonlocal done
            done += 1

        started = time.perf_counter()
        await manager.run(mode=QueueExecutionMode.drain)
        seconds = time.perf_counter() - started
        assert done == jobs, f"PgQueuer ran {done} jobs, {jobs} expected"
        return seconds
    finally:
        await db.close()


def drain_pgqueuer(jobs: int) -> float:
    truncate("pgqueuer", "pgqueuer_log", "pgqueuer_statistics")
    return asyncio.run(_drain_pgqueuer(jobs))


# --- procrastinate ----------------------------------------------------------------------


async def _drain_procrastinate(jobs: int) -> float:
    app = procrastinate.App(connector=procrastinate.PsycopgConnector(conninfo=conninfo()))
    done = 0

    @app.task(name="noop", queue="bench")
    async def noop() -> None:
        nonlocal done
        done += 1

    async with app.open_async():
        async with await psycopg.AsyncConnection.connect(conninfo(), autocommit=True) as db:
            installed = await db.execute("SELECT to_regclass('procrastinate_jobs') IS NOT NULL")
            if not (await installed.fetchone())[0]:  # type: ignore[index]
                await app.schema_manager.apply_schema_async()
        await noop.batch_defer_async(*[{} for _ in range(jobs)])
        started = time.perf_counter()
        await app.run_worker_async(queues=["bench"], wait=False, install_signal_handlers=False)
        seconds = time.perf_counter() - started
    assert done == jobs, f"procrastinate ran {done} jobs, {jobs} expected"
    return seconds


def drain_procrastinate(jobs: int) -> float:
    truncate("procrastinate_jobs", "procrastinate_events", "procrastinate_workers")
    return asyncio.run(_drain_procrastinate(jobs))


# --- Main -------------------------------------------------------------------------------


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.worker",
        description="One event worker's drain rate against PgQueuer and procrastinate.",
    )
    parser.add_argument("--jobs", type=int, default=3000, help="jobs per drain (3000)")
    parser.add_argument(
        "--behind", type=int, default=100_000, help="completed deliveries behind (100000)"
    )
    return parser.parse_args()


def main() -> None:
    arguments = parse_arguments()
    started = time.perf_counter()
    logging.getLogger().setLevel(logging.WARNING)
    prepare_database()
    settings.MONOLITH_EVENTS_DELIVERY = "worker"
    truncate_shop_tables()

    behind = f"this worker, {arguments.behind:,} completed behind"
    variants: dict[str, Callable[[int], float]] = {
        "this worker": drain_ours,
        behind: partial(drain_ours, behind=arguments.behind),
        "PgQueuer (defaults)": drain_pgqueuer,
        "procrastinate (defaults)": drain_procrastinate,
    }
    seconds: dict[str, list[float]] = {label: [] for label in variants}
    try:
        for round_number in range(ROUNDS):
            labels = list(variants) if round_number % 2 == 0 else list(variants)[::-1]
            for label in labels:
                truncate_shop_tables()
                seconds[label].append(variants[label](arguments.jobs))
    finally:
        truncate_shop_tables()

    rates = {label: arguments.jobs / statistics.median(runs) for label, runs in seconds.items()}
    print(f"\n{server_version()}, database {settings.DATABASES['default']['NAME']}")
    print(f"One worker draining {arguments.jobs} no-op jobs, median of {ROUNDS} rounds")
    for label, rate in rates.items():
        runs = ", ".join(f"{arguments.jobs / s:.0f}" for s in seconds[label])
        print(f"  {label:<40} {rate:>7.0f} jobs/s   (rounds: {runs})")
    ours = rates["this worker"]
    print(f"  this worker / PgQueuer:        {ours / rates['PgQueuer (defaults)']:.2f}")
    print(f"  this worker / procrastinate:   {ours / rates['procrastinate (defaults)']:.2f}")
    print(f"  {arguments.behind:,} behind / none behind:  {rates[behind] / ours:.2f}")
    print(f"\nTotal run time {time.perf_counter() - started:.0f} s.")


if __name__ == "__main__":
    main()
