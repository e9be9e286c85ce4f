"""Benchmark: what tracing costs when placing an order, off and on.

Places orders through ``modules.orders.api.place_order`` in this process, with the
listeners run right after each commit (``EVENTS_DELIVERY = "immediate"``): per order a
few public API calls (orders, products), one publication and one delivery to
notifications, which stores a notification and sends an email (to memory). Three variants
alternate in rounds, so that the noise of a busy machine hits all alike:

- ``off``: ``MONOLITH_TELEMETRY`` off, as by default: no function wrapped, no span;
- ``sampled out``: tracing on, the SDK configured, every trace dropped by the sampler
  (what ``OTEL_TRACES_SAMPLER=traceidratio`` costs for the traces it leaves out);
- ``recorded``: tracing on, every span recorded and exported to memory (an exporter that
  sends costs its own serialisation and network on top, in a background thread).

Reported: the median time per order of each variant, and its ratio to ``off`` (the median
of each round's ratio of medians).

    .venv/bin/python -m benchmarks.tracing            # a throwaway SQLite database
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/shop_bench .venv/bin/python -m benchmarks.tracing

It migrates the database and adds a customer, two products and the orders to it: give it
a database of its own. Absolute figures depend on the machine; compare the ratios.
"""

# ruff: noqa: E402 - Django is configured before the project's modules are imported.

import os
import tempfile

# What production runs: no debug query log, no runtime boundary guards (both on in DEBUG).
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
os.environ["DEBUG"] = "false"
os.environ["BOUNDARY_GUARDS"] = "false"
os.environ["LOG_LEVEL"] = "WARNING"
os.environ.setdefault("SECRET_KEY", "benchmark-only-not-a-secret")
_sqlite = tempfile.NamedTemporaryFile(prefix="bench_tracing_", suffix=".sqlite3")  # noqa: SIM115
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_sqlite.name}")

import django

django.setup()

import argparse
import statistics
import sys
import time
from decimal import Decimal

from django.conf import settings
from django.core import mail
from django.core.management import call_command
from django.db import connection
from modular_monolith import tracing
from opentelemetry import trace
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.sdk.trace.sampling import ALWAYS_OFF, ALWAYS_ON, Sampler, SamplingResult

from modules.orders import api as orders
from modules.products.models import Product  # no public API creates products
from modules.users import api as users

VARIANTS = ("off", "sampled out", "recorded")


class SwitchedSampler(Sampler):
    """Samples every trace or none, as the benchmark says: one tracer provider for both."""

    sampling = True

    def should_sample(self, *args: object, **kwargs: object) -> SamplingResult:
        return (ALWAYS_ON if self.sampling else ALWAYS_OFF).should_sample(*args, **kwargs)  # type: ignore[arg-type]

    def get_description(self) -> str:
        return "SwitchedSampler"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=8)
    parser.add_argument("--orders", type=int, default=100, help="per variant per round")
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    settings.MONOLITH_EVENTS_DELIVERY = "immediate"
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    sampler = SwitchedSampler()
    exporter = InMemorySpanExporter()
    provider = TracerProvider(sampler=sampler)
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    trace.set_tracer_provider(provider)

    customer = users.register_user(
        email=f"bench-{time.time_ns()}@example.com", password="a long bench passphrase"
    )
    lines = [
        orders.RequestedLine(product_id=product.pk, quantity=1)
        for product in Product.objects.bulk_create(
            Product(
                sku=f"TRACE-{time.time_ns()}-{n}", name="Bench", price=Decimal("9.90"), stock=10**9
            )
            for n in range(2)
        )
    ]

    def place(count: int, variant: str) -> list[float]:
        if variant == "off":
            tracing.uninstall()
        else:
            tracing.install()
            sampler.sampling = variant == "recorded"
        timings = []
        for _ in range(count):
            started = time.perf_counter()
            orders.place_order(customer_id=customer.id, lines=lines)
            timings.append(time.perf_counter() - started)
        mail.outbox.clear()
        return timings

    for variant in VARIANTS:
        place(10, variant)  # warm up: first queries, caches
    spans_per_order = len(exporter.get_finished_spans()) / 10
    timings: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
    ratios: dict[str, list[float]] = {variant: [] for variant in VARIANTS}
    for number in range(options.rounds):
        turn = VARIANTS[number % 3 :] + VARIANTS[: number % 3]
        medians = {}
        for variant in turn:
            placed = place(options.orders, variant)
            timings[variant] += placed
            medians[variant] = statistics.median(placed)
            exporter.clear()
        for variant in VARIANTS:  # within a round, so that a machine growing busier cancels out
            ratios[variant].append(medians[variant] / medians["off"])
        print(f"round {number + 1} of {options.rounds}", file=sys.stderr, flush=True)

    print(
        f"Placing an order (orders.api.place_order, its OrderPlaced delivered at commit) on "
        f"{connection.vendor}, {options.rounds} rounds x {options.orders} orders per variant; "
        f"{spans_per_order:.0f} spans per recorded order:"
    )
    print(
        f"  {'variant':<12} {'median ms':>10} {'ratio to off':>13}  (median of the rounds' ratios)"
    )
    for variant in VARIANTS:
        median = statistics.median(timings[variant])
        ratio = statistics.median(ratios[variant])
        print(f"  {variant:<12} {median * 1000:>10.3f} {ratio:>13.3f}")


if __name__ == "__main__":
    main()
