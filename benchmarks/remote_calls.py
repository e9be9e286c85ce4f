"""Benchmark: what calling payments in another process costs, against calling it in-process.

One run starts a payments service (gunicorn, one worker with four threads, with
``INSTALL_MODULES=payments``) on a free port, over a throwaway SQLite database that
this process uses too, and times, per call:

1. ``payments.get_payment(id)``, a read;
2. ``payments.charge(...)`` with a new idempotency key each time, a write (the fake
   gateway records each charge in its own ledger file);

in-process and through the remote binding (signed HTTP, a kept-alive connection),
in alternating rounds so that a busy machine's noise hits both alike. It prints the
medians and their ratio::

    .venv/bin/python -m benchmarks.remote_calls --calls 200

Without gunicorn installed, or with ``--server runserver``, the service is Django's
development server instead: it answers each request on a kept-alive connection
about 40 ms late (it leaves Nagle's algorithm on, and the client delays its ACK), so
its figures say little. Absolute figures depend on the machine; compare the ratios.
"""

# ruff: noqa: E402 - Django is configured before the project's modules are imported.

import os
import tempfile
from pathlib import Path

# Measure what production runs: no debug query log, no runtime boundary guards.
_workdir = Path(tempfile.mkdtemp(prefix="remote-bench-"))
ENVIRONMENT = {
    "DJANGO_SETTINGS_MODULE": "shop.settings",
    "INSTALL_MODULES": "payments",
    "DEBUG": "false",
    "BOUNDARY_GUARDS": "false",
    "SECRET_KEY": "benchmark-only-not-a-secret",
    "REMOTE_SECRET": "benchmark-only-shared-secret",
    "ALLOWED_HOSTS": "127.0.0.1",
    "SECURE_SSL_REDIRECT": "false",
    "DATABASE_URL": f"sqlite:///{_workdir / 'payments.sqlite3'}",
    "LOG_LEVEL": "WARNING",
}
os.environ.update(ENVIRONMENT)

import django

django.setup()

import argparse
import importlib.util
import itertools
import socket
import statistics
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.core.management import call_command
from modular_monolith.remote import client as remote_client

from modules.payments import api as payments

ROUNDS = 6  # alternating rounds per variant
_keys = itertools.count()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--calls", type=int, default=200, help="calls per variant and operation")
    parser.add_argument(
        "--server",
        choices=["gunicorn", "runserver"],
        default="gunicorn" if importlib.util.find_spec("gunicorn") else "runserver",
    )
    options = parser.parse_args()
    call_command("migrate", verbosity=0)
    port = _free_port()
    service = _start_service(options.server, port)
    try:
        _wait_until_up(port)
        payment = payments.charge(
            reference="bench",
            amount=Decimal("1.00"),
            idempotency_key="bench",
            payment_method="test_ok",
        )
        operations: dict[str, Callable[[], Any]] = {
            "get_payment (read)": lambda: payments.get_payment(payment.id),
            "charge (write)": lambda: payments.charge(
                reference=f"bench-{next(_keys)}",
                amount=Decimal("1.00"),
                idempotency_key=f"key-{next(_keys)}",
                payment_method="test_ok",
            ),
        }
        print(
            f"{options.calls} calls per variant and operation, {ROUNDS} alternating rounds, "
            f"the service on {options.server}"
        )
        print(f"{'operation':<20} {'in-process':>12} {'remote':>12} {'ratio':>8}")
        for name, operation in operations.items():
            local, remote = _measure(operation, f"http://127.0.0.1:{port}", options.calls)
            print(
                f"{name:<20} {local * 1e3:>10.3f}ms {remote * 1e3:>10.3f}ms {remote / local:>7.1f}x"
            )
    finally:
        service.terminate()
        service.wait(timeout=10)


def _measure(operation: Callable[[], Any], url: str, calls: int) -> tuple[float, float]:
    """Median seconds per call, in-process and remote, over alternating rounds."""
    per_round = max(1, calls // ROUNDS)
    local: list[float] = []
    remote: list[float] = []
    for _ in range(ROUNDS):
        local.extend(_time_calls(operation, per_round))
        replaced = remote_client.bind("payments", url)
        try:
            operation()  # warm: the connection is opened once per binding
            remote.extend(_time_calls(operation, per_round))
        finally:
            remote_client.unbind("payments", replaced)
    return statistics.median(local), statistics.median(remote)


def _time_calls(operation: Callable[[], Any], count: int) -> list[float]:
    times = []
    for _ in range(count):
        start = time.perf_counter()
        operation()
        times.append(time.perf_counter() - start)
    return times


def _start_service(server: str, port: int) -> subprocess.Popen[bytes]:
    root = Path(__file__).resolve().parent.parent
    address = f"127.0.0.1:{port}"
    wsgi_module, _, wsgi_application = settings.WSGI_APPLICATION.rpartition(".")
    gunicorn = [sys.executable, "-m", "gunicorn", f"{wsgi_module}:{wsgi_application}"]
    command = (
        [*gunicorn, "--bind", address, "--threads", "4"]
        if server == "gunicorn"
        else [sys.executable, str(root / "manage.py"), "runserver", address, "--noreload"]
    )
    return subprocess.Popen(
        command,
        cwd=root,
        env={**os.environ, **ENVIRONMENT},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait_until_up(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/live", timeout=1)
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit("The payments service did not start.")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


if __name__ == "__main__":
    main()
