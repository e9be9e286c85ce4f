"""Payments as a service of its own: separate processes, separate databases, events over RabbitMQ.

The shape of ``Procfile.split``: the monolith (gunicorn, its event worker, its consumer of
payments' events) with ``REMOTE_MODULES=payments=...`` and a database without payments'
tables; the payments service (gunicorn, its worker) with ``INSTALL_MODULES=payments`` and
a database of its own. Everything goes through the monolith's public HTTP API; the
databases are read with SQL, as an operator would.

The story: an order is paid through the service, the payment is only in the service's
database, the order learns it from ``PaymentSucceeded`` relayed by the service and
consumed by the monolith. With the service stopped, registering, browsing, placing,
listing and cancelling orders work, and paying answers 503 having charged nothing.
With the service back (and the consumer down for a while, to prove nothing is lost),
paying works, and every event is applied once.
"""

import os
import time
import uuid
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg
import pytest
from django.db import connection
from kombu import Connection, Exchange, Queue

from modules.payments.gateways import FakeGateway
from tests.production.processes import (
    HOST,
    Answer,
    Process,
    free_port,
    gunicorn_command,
    manage_command,
    production_env,
    request,
    started,
)

pytestmark = pytest.mark.postgres

BROKER = os.environ.get("TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
SECRET = "shared by the monolith and its payments service"
PAYMENT_EVENTS = ("payments.PaymentSucceeded", "payments.PaymentFailed")
TIMEOUT = 60.0  # seconds, for a process to be ready or an event to arrive (a loaded machine)
PASSWORD = "a long test passphrase"


def _url(name: str) -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return (
        f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{name}"
    )


def _wait_for(what: str, condition: Callable[[], Any], *processes: Process) -> Any:
    """Poll ``condition`` until it is truthy; fail with the processes' output after TIMEOUT."""
    deadline = time.monotonic() + TIMEOUT
    while time.monotonic() < deadline:
        for process in processes:
            assert process.popen.poll() is None, f"{what}: a process died\n{process.output()}"
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    logs = "\n".join(process.output()[-3000:] for process in processes)
    raise AssertionError(f"timed out waiting for {what}\n{logs}")


def _ready(port: int) -> bool:
    try:
        return request(port, "GET", "/health/ready").status == 200
    except OSError:
        return False


@dataclass
class Database:
    url: str

    def rows(self, sql: str, *params: Any) -> list[tuple[Any, ...]]:
        with psycopg.connect(self.url.replace("postgres://", "postgresql://")) as db:
            return db.execute(sql, params).fetchall()

    def value(self, sql: str, *params: Any) -> Any:
        return self.rows(sql, *params)[0][0]


@pytest.fixture
def databases() -> Iterator[tuple[Database, Database]]:
    """Two empty databases beside the test database: the monolith's and the service's."""
    prefix = (
        f"{connection.settings_dict['NAME'].removeprefix('test_')}_split_{uuid.uuid4().hex[:6]}"
    )
    names = [f"{prefix}_shop", f"{prefix}_payments"]
    admin = psycopg.connect(
        _url("postgres").replace("postgres://", "postgresql://"), autocommit=True
    )
    try:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        yield Database(_url(names[0])), Database(_url(names[1]))
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


@pytest.fixture
def exchange_and_queue() -> Iterator[tuple[str, str]]:
    """An exchange and a queue of this test's own on the broker, deleted afterwards.

    Skipped without RabbitMQ, except in CI (``CI`` set), where it must run.
    """
    try:
        with Connection(BROKER, connect_timeout=2) as broker:
            broker.ensure_connection(max_retries=1)
    except Exception as error:
        if os.environ.get("CI"):
            pytest.fail(f"RabbitMQ is not reachable at {BROKER}: {error}")
        pytest.skip(f"RabbitMQ is not reachable at {BROKER}")
    name = f"shop-split-test-{uuid.uuid4().hex[:8]}"
    yield name, name
    with Connection(BROKER, connect_timeout=5) as broker:
        channel = broker.channel()
        Queue(name, channel=channel).delete()
        Exchange(name, type="topic", channel=channel).delete()


class Split:
    """The five processes of ``Procfile.split``, started and stopped one by one."""

    def __init__(
        self, tmp_path: Path, monolith_db: Database, service_db: Database, names: tuple[str, str]
    ) -> None:
        exchange, self.queue = names
        self.tmp_path = tmp_path
        self.stack = ExitStack()
        self.service_port, self.monolith_port = free_port(), free_port()
        common = {
            "REMOTE_SECRET": SECRET,
            "EVENTS_BROKER_URL": BROKER,
            "EVENTS_EXCHANGE": exchange,
            "SECURE_SSL_REDIRECT": "false",  # plain HTTP between processes on one machine
            "ALLOWED_HOSTS": f"{HOST},127.0.0.1",
        }
        self.service_env = production_env(
            service_db.url, INSTALL_MODULES="payments", REMOTE_MODULES="", **common
        )
        self.monolith_env = production_env(
            monolith_db.url,
            REMOTE_MODULES=f"payments=http://127.0.0.1:{self.service_port}",
            **common,
        )
        self.processes: dict[str, Process] = {}

    def migrate(self) -> None:
        """Each side migrated as its processes run: the monolith creates no payments table."""
        for name, env in (("service", self.service_env), ("monolith", self.monolith_env)):
            self.start(f"migrate-{name}", manage_command("migrate", "--no-input"), env)
        self._finish("migrate-service", "migrate-monolith")
        self.start("demo", manage_command("load_demo_products"), self.monolith_env)
        self._finish("demo")

    def _finish(self, *names: str) -> None:
        for name in names:
            process = self.processes.pop(name)
            assert process.popen.wait(TIMEOUT) == 0, process.output()

    def start(self, name: str, command: list[str], env: dict[str, str]) -> Process:
        process = self.stack.enter_context(
            started(command, env=env, log=self.tmp_path / f"{name}.log", group=True)
        )
        self.processes[name] = process
        return process

    def start_service(self) -> None:
        self.start("service-web", gunicorn_command(self.service_port), self.service_env)
        self.start("service-worker", manage_command("process_events"), self.service_env)
        _wait_for("the service", lambda: _ready(self.service_port), self.processes["service-web"])

    def stop_service(self) -> None:
        for name in ("service-web", "service-worker"):
            self.processes.pop(name).stop()

    def start_monolith(self) -> None:
        self.start("monolith-web", gunicorn_command(self.monolith_port), self.monolith_env)
        self.start("monolith-worker", manage_command("process_events"), self.monolith_env)
        self.start_consumer()
        _wait_for(
            "the monolith", lambda: _ready(self.monolith_port), self.processes["monolith-web"]
        )

    def start_consumer(self) -> None:
        command = manage_command("consume_events", *PAYMENT_EVENTS, "--queue", self.queue)
        consumer = self.start("consumer", command, self.monolith_env)
        # The queue exists (and keeps what the service relays) once the consumer declared it.
        _wait_for("the consumer", lambda: "Consuming" in consumer.output(), consumer)

    def stop_consumer(self) -> None:
        self.processes.pop("consumer").stop()

    def api(
        self, method: str, path: str, *, body: Any = None, headers: dict[str, str] | None = None
    ) -> Answer:
        return request(self.monolith_port, method, f"/api{path}", body=body, headers=headers)

    def running(self) -> list[Process]:
        return list(self.processes.values())


@pytest.fixture
def split(
    tmp_path: Path, exchange_and_queue: tuple[str, str], databases: tuple[Database, Database]
) -> Iterator[Split]:
    processes = Split(tmp_path, *databases, exchange_and_queue)
    with processes.stack:
        yield processes


def _customer(split: Split) -> dict[str, str]:
    email = f"ada-{uuid.uuid4().hex[:6]}@example.com"
    credentials = {"email": email, "password": PASSWORD}
    assert split.api("POST", "/users/register", body=credentials).status == 201
    token = split.api("POST", "/users/token", body=credentials).json()["token"]
    return {"Authorization": f"Bearer {token}"}


def _charges(key: str) -> int:
    """How often the fake gateway charged with the client's key (its ledger is shared)."""
    return sum(charge.idempotency_key.endswith(f":{key}") for charge in FakeGateway().charges())


def test_payments_as_a_service_with_its_own_database_and_events_over_rabbitmq(
    split: Split, databases: tuple[Database, Database]
) -> None:
    monolith_db, service_db = databases
    split.migrate()
    assert monolith_db.value("SELECT to_regclass('payments_payment')") is None
    split.start_service()
    split.start_monolith()
    everyone = split.running
    auth = _customer(split)
    product_id = split.api("GET", "/products").json()[0]["id"]
    first_key, second_key = f"key-{uuid.uuid4().hex}", f"key-{uuid.uuid4().hex}"

    def place_order() -> int:
        placed = split.api(
            "POST",
            "/orders",
            body={"lines": [{"product_id": product_id, "quantity": 1}]},
            headers=auth,
        )
        assert placed.status == 201, placed.body
        return int(placed.json()["id"])

    def pay(order_id: int, key: str) -> Answer:
        return split.api(
            "POST",
            f"/orders/{order_id}/pay",
            body={"payment_method": "test_ok"},
            headers={**auth, "Idempotency-Key": key},
        )

    def payment_events_applied() -> int:
        """PaymentSucceeded events the monolith received and orders' listener applied."""
        return monolith_db.value(
            "SELECT count(*) FROM modular_monolith_delivery d"
            " JOIN modular_monolith_storedevent e ON e.id = d.event_id"
            " WHERE e.type = 'payments.PaymentSucceeded'"
            " AND d.listener = 'modules.orders.listeners.on_payment_succeeded'"
            " AND d.status = 'succeeded'"
        )

    # Paid through the service: the payment is in its database only, the event reaches orders.
    first = place_order()
    paid = pay(first, first_key)
    assert paid.status == 200, paid.body
    assert paid.json()["status"] == "succeeded"
    assert service_db.value("SELECT count(*) FROM payments_payment") == 1
    assert monolith_db.value("SELECT to_regclass('payments_payment')") is None
    _wait_for(
        "PaymentSucceeded in the monolith", lambda: payment_events_applied() == 1, *everyone()
    )
    assert split.api("GET", f"/orders/{first}", headers=auth).json()["status"] == "paid"

    # The service is down: the shop works, paying answers 503 and charges nothing.
    split.stop_service()
    second = place_order()
    refused = pay(second, second_key)
    assert refused.status == 503, refused.body
    assert refused.json() == {
        "message": "The payments module is unavailable; try again later.",
        "details": {"module": "payments"},
    }
    assert split.api("GET", f"/orders/{second}", headers=auth).json()["status"] == "pending_payment"
    assert _charges(second_key) == 0
    assert service_db.value("SELECT count(*) FROM payments_payment") == 1
    _customer(split)  # registering works
    assert split.api("GET", "/products").status == 200
    third = place_order()
    listed = split.api("GET", "/orders", headers=auth)
    assert {order["id"] for order in listed.json()} == {first, second, third}
    assert split.api("POST", f"/orders/{third}/cancel", headers=auth).status == 200

    # The service is back, the consumer down: the event waits in the queue, then arrives.
    split.stop_consumer()
    split.start_service()
    paid = pay(second, second_key)
    assert paid.status == 200, paid.body
    assert paid.json()["status"] == "succeeded"
    _wait_for(
        "the service to relay PaymentSucceeded",
        lambda: (
            service_db.value(
                "SELECT count(*) FROM modular_monolith_storedevent WHERE relayed_at IS NOT NULL"
            )
            == 2
        ),
        *everyone(),
    )
    assert payment_events_applied() == 1
    split.start_consumer()
    _wait_for("the waiting PaymentSucceeded", lambda: payment_events_applied() == 2, *everyone())

    # Nothing lost, nothing applied twice.
    assert service_db.value("SELECT count(*) FROM payments_payment") == 2
    assert _charges(first_key) == _charges(second_key) == 1
    assert (
        monolith_db.value(
            "SELECT count(*) FROM modular_monolith_storedevent WHERE type = 'payments.PaymentSucceeded'"
        )
        == 2
    )
    _wait_for(
        "two order-paid notifications",
        lambda: (
            monolith_db.value(
                "SELECT count(*) FROM notifications_notification WHERE kind = 'order_paid'"
            )
            == 2
        ),
        *everyone(),
    )
    assert (
        monolith_db.value(
            "SELECT count(*) FROM modular_monolith_storedevent WHERE type = 'orders.OrderPaid'"
        )
        == 2
    )
