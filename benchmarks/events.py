"""Benchmark of the event outbox on PostgreSQL.

What it measures, in one run:

1. Worker delivery throughput: a backlog of ``--events`` events is published with
   ``EVENTS_DELIVERY = "worker"`` (so nothing is delivered at commit), then
   ``deliver_due()`` drains it, as ``manage.py process_events`` does. Twice:
   ``benchmarks.Tick`` events to a listener that does nothing (the cost of the
   delivery machinery alone), and ``orders.OrderPlaced`` events to the real
   notifications listener (which stores a notification and sends an email, to
   Django's in-memory backend here).
2. What the outbox write adds to placing an order: ``--orders`` orders placed
   through ``modules.orders.api.place_order`` with the real ``publish``, and as
   many with a baseline ``publish`` that writes nothing to the outbox and only
   registers an empty ``on_commit`` callback. The two variants alternate in
   rounds, so that the noise of a busy machine hits both alike; the medians of
   the per-order times give the ratio and the extra milliseconds per order.

Run it from the project root against a PostgreSQL database of its own, which it
creates if needed, migrates, and empties at the start and at the end::

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shop_bench .venv/bin/python -m benchmarks.events

The database name must contain "bench": the script truncates the shop's tables.
Absolute figures depend on the machine; compare the ratios.
"""

# ruff: noqa: E402 - Django is configured before the project's modules are imported.

import os

# Measure what production runs: no debug query log, no runtime boundary guards
# (both on in DEBUG). The process serves no request, so a throwaway key will do.
# Install orders and notifications (and what they import, see shop/settings.py) whatever
# the environment says: OrderPlaced then has exactly one listener, the one measured.
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ["INSTALL_MODULES"] = "orders,notifications"
os.environ["DEBUG"] = "false"
os.environ["BOUNDARY_GUARDS"] = "false"
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")

import django

django.setup()

import argparse
import statistics
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import psycopg
from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from modular_monolith.events import event, listens_to, publish
from modular_monolith.events.delivery import deliver_due
from modular_monolith.models import Delivery, StoredEvent
from modular_monolith.modules import module_labels
from psycopg import sql

from modules.orders import api as orders
from modules.orders.events import OrderPlaced
from modules.products.models import Product  # no public API creates products
from modules.users import api as users

ROUNDS = 6  # alternating rounds of order placement, per variant
WARMUP_ORDERS = 10  # per variant, untimed: first queries, caches, connection
PUBLISH_BATCH = 500  # events published per transaction when building a backlog


# --- The benchmark's own event type and its trivial listener ---------------------------


@event("benchmarks.Tick", version=1)
@dataclass(frozen=True, kw_only=True)
class Tick:
    """An event that exists only for the benchmark."""

    number: int


@listens_to(Tick)
def on_tick(tick: Tick) -> None:
    """Do nothing: what remains is the cost of claiming and recording a delivery."""


# --- Database -------------------------------------------------------------------------


def prepare_database() -> None:
    """Refuse anything but a PostgreSQL benchmark database; create it if missing, migrate it."""
    database = settings.DATABASES["default"]
    if database["ENGINE"] != "django.db.backends.postgresql":
        sys.exit(
            "This benchmark measures PostgreSQL (SQLite serialises every writer). Run it with\n"
            "  DATABASE_URL=postgres://postgres@127.0.0.1:5432/shop_bench "
            ".venv/bin/python -m benchmarks.events"
        )
    if "bench" not in database["NAME"]:
        sys.exit(
            f"Refusing to run on database {database['NAME']!r}: the benchmark empties the "
            'shop\'s tables. Use a database of its own, whose name contains "bench".'
        )
    create_database_if_missing(database)
    call_command("migrate", interactive=False, verbosity=0)


def create_database_if_missing(database: dict[str, Any]) -> None:
    """Connect to the server's "postgres" database and create ours unless it exists."""
    with psycopg.connect(
        dbname="postgres",
        host=database["HOST"] or None,
        port=database["PORT"] or None,
        user=database["USER"] or None,
        password=database["PASSWORD"] or None,
        autocommit=True,
    ) as server:
        exists = server.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [database["NAME"]]
        ).fetchone()
        if not exists:
            server.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(database["NAME"])))
            print(f"Created database {database['NAME']}.")


def truncate_shop_tables() -> None:
    """Empty the outbox and every table of the shop's modules, so that runs are comparable."""
    labels = ["modular_monolith", *sorted(module_labels())]
    tables = [
        model._meta.db_table
        for label in labels
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    ]
    quoted = ", ".join(connection.ops.quote_name(table) for table in tables)
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {quoted} RESTART IDENTITY CASCADE")


def analyze_outbox() -> None:
    """Refresh the planner's statistics of the outbox, as autovacuum does on a live database.

    The tables were just truncated and filled: this way the claim query's plan does not
    depend on whether autovacuum happened to run in between.
    """
    with connection.cursor() as cursor:
        cursor.execute(f"ANALYZE {StoredEvent._meta.db_table}, {Delivery._meta.db_table}")


def server_version() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        return f"PostgreSQL {cursor.fetchone()[0]}"


# --- Fixtures -------------------------------------------------------------------------


def create_customer() -> int:
    """A customer through the users module's API; its welcome email is delivered at once."""
    customer = users.register_user(email="bench@example.com", password="a long bench passphrase")
    deliver_due()  # the UserRegistered delivery, so that no backlog but ours is pending
    return customer.id


def create_products(count: int = 2) -> list[int]:
    """Products with stock that no run can exhaust."""
    products = Product.objects.bulk_create(
        Product(sku=f"BENCH-{n}", name=f"Bench product {n}", price=Decimal("9.90"), stock=10**9)
        for n in range(count)
    )
    return [product.pk for product in products]


# --- 1. Worker delivery throughput ----------------------------------------------------


@dataclass(frozen=True)
class Throughput:
    label: str
    events: int
    seconds: float

    @property
    def per_second(self) -> float:
        return self.events / self.seconds


def publish_backlog(make_event: Callable[[int], object], count: int) -> None:
    """Publish ``count`` events in a few transactions; in worker mode none is delivered yet."""
    for start in range(0, count, PUBLISH_BATCH):
        with transaction.atomic():
            for number in range(start, min(start + PUBLISH_BATCH, count)):
                publish(make_event(number))


def measure_delivery(label: str, make_event: Callable[[int], object], count: int) -> Throughput:
    """Time ``deliver_due()`` draining a backlog of ``count`` events with one listener each."""
    publish_backlog(make_event, count)
    analyze_outbox()
    pending = Delivery.objects.filter(status=Delivery.Status.PENDING).count()
    assert pending == count, f"{pending} deliveries pending, {count} expected"

    started = time.perf_counter()
    attempted = deliver_due()
    seconds = time.perf_counter() - started

    assert attempted == count, f"{attempted} deliveries attempted, {count} expected"
    unfinished = Delivery.objects.exclude(status=Delivery.Status.SUCCEEDED).count()
    assert unfinished == 0, f"{unfinished} deliveries failed: see the log above"
    return Throughput(label=label, events=count, seconds=seconds)


def measure_throughputs(count: int, customer_id: int) -> list[Throughput]:
    def order_placed(number: int) -> OrderPlaced:
        # The listener reads only the event: the order ids need no order behind them.
        return OrderPlaced(order_id=number + 1, customer_id=customer_id, total=Decimal("19.80"))

    return [
        measure_delivery("benchmarks.Tick -> empty listener", lambda n: Tick(number=n), count),
        measure_delivery("orders.OrderPlaced -> notifications", order_placed, count),
    ]


# --- 2. What the outbox write adds to placing an order --------------------------------


def _baseline_publish(event: object) -> None:
    """Publish nothing, but keep the ``on_commit`` registration that the real one makes."""
    transaction.on_commit(lambda: None)


@contextmanager
def publishing_without_outbox() -> Iterator[None]:
    """Swap ``publish`` for the baseline in every module that imported it by name.

    Services do ``from modular_monolith.events import publish``, so the name to
    replace is in each service module (for placing an order: ``modules.orders.services``).
    """
    importers = [
        module
        for name, module in list(sys.modules.items())
        if name.startswith("modules.") and getattr(module, "publish", None) is publish
    ]
    assert "modules.orders.services" in {module.__name__ for module in importers}
    for module in importers:
        module.publish = _baseline_publish  # type: ignore[attr-defined]
    try:
        yield
    finally:
        for module in importers:
            module.publish = publish  # type: ignore[attr-defined]


@dataclass(frozen=True)
class Placement:
    label: str
    per_order: list[float]  # seconds, one entry per order
    events_written: int

    @property
    def median_ms(self) -> float:
        return statistics.median(self.per_order) * 1000


def place_orders(count: int, customer_id: int, product_ids: list[int]) -> list[float]:
    """Place ``count`` orders of one unit of each product; return the time each one took."""
    lines = [orders.RequestedLine(product_id=pid, quantity=1) for pid in product_ids]
    timings = []
    for _ in range(count):
        started = time.perf_counter()
        orders.place_order(customer_id=customer_id, lines=lines)
        timings.append(time.perf_counter() - started)
    return timings


def place_orders_variant(
    with_outbox: bool, count: int, customer_id: int, product_ids: list[int]
) -> tuple[list[float], int]:
    """Place orders with the real or the baseline ``publish``; return timings, events written."""
    events_before = StoredEvent.objects.count()
    if with_outbox:
        timings = place_orders(count, customer_id, product_ids)
    else:
        with publishing_without_outbox():
            timings = place_orders(count, customer_id, product_ids)
    return timings, StoredEvent.objects.count() - events_before


def measure_placement(total: int, customer_id: int, product_ids: list[int]) -> list[Placement]:
    """Place ``total`` orders per variant in alternating rounds (ABBA...), untimed warm-up first."""
    for with_outbox in (True, False):
        place_orders_variant(with_outbox, WARMUP_ORDERS, customer_id, product_ids)

    timings: dict[bool, list[float]] = {True: [], False: []}
    written: dict[bool, int] = {True: 0, False: 0}
    for round_number in range(ROUNDS):
        size = total // ROUNDS + (round_number < total % ROUNDS)  # the rounds add up to total
        # Alternate which variant goes first, so that neither always follows the other.
        order = (True, False) if round_number % 2 == 0 else (False, True)
        for with_outbox in order:
            round_timings, round_written = place_orders_variant(
                with_outbox, size, customer_id, product_ids
            )
            timings[with_outbox] += round_timings
            written[with_outbox] += round_written

    assert written[False] == 0, "the baseline wrote to the outbox"
    assert written[True] == len(timings[True]), "the outbox variant missed events"
    return [
        Placement("baseline (no outbox write)", timings[False], written[False]),
        Placement("outbox (real publish)", timings[True], written[True]),
    ]


# --- Report ---------------------------------------------------------------------------


def print_report(
    throughputs: list[Throughput], placements: list[Placement], elapsed: float
) -> None:
    print(f"\n{server_version()}, database {settings.DATABASES['default']['NAME']}")

    print("\nWorker delivery, deliver_due() draining a backlog")
    print(f"  {'event -> listener':<38} {'events':>7} {'seconds':>8} {'events/s':>9}")
    for result in throughputs:
        print(
            f"  {result.label:<38} {result.events:>7} {result.seconds:>8.2f}"
            f" {result.per_second:>9.0f}"
        )
    tick, placed = throughputs
    print(f"  real listener / empty listener throughput: {placed.per_second / tick.per_second:.2f}")

    baseline, outbox = placements
    print(
        f"\nPlacing an order through orders.api.place_order, {len(outbox.per_order)} per variant, "
        f"{ROUNDS} alternating rounds"
    )
    print(f"  {'variant':<38} {'median ms/order':>15} {'outbox rows':>12}")
    for result in placements:
        print(f"  {result.label:<38} {result.median_ms:>15.3f} {result.events_written:>12}")
    extra = outbox.median_ms - baseline.median_ms
    print(f"  outbox / baseline: {outbox.median_ms / baseline.median_ms:.2f}")
    print(f"  extra per order:   {extra:+.3f} ms")
    print(f"\nTotal run time {elapsed:.0f} s.")


# --- Main -----------------------------------------------------------------------------


def parse_arguments() -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.events",
        description="Event outbox benchmark on PostgreSQL: worker throughput, cost per order.",
    )
    parser.add_argument(
        "--events", type=int, default=2000, help="backlog size per throughput run (2000)"
    )
    parser.add_argument("--orders", type=int, default=300, help="orders placed per variant (300)")
    arguments = parser.parse_args()
    if arguments.events < 1 or arguments.orders < ROUNDS:
        parser.error(f"--events must be at least 1 and --orders at least {ROUNDS}")
    return arguments


def main() -> None:
    arguments = parse_arguments()
    started = time.perf_counter()
    prepare_database()
    # Listeners run only when the benchmark says so, and email stays in memory.
    settings.MONOLITH_EVENTS_DELIVERY = "worker"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

    truncate_shop_tables()
    try:
        customer_id = create_customer()
        product_ids = create_products()
        throughputs = measure_throughputs(arguments.events, customer_id)
        placements = measure_placement(arguments.orders, customer_id, product_ids)
    finally:
        truncate_shop_tables()
    print_report(throughputs, placements, time.perf_counter() - started)


if __name__ == "__main__":
    main()
