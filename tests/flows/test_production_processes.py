"""Two web processes and two event workers on one PostgreSQL database stay correct.

gunicorn with two worker processes takes orders from several clients at once, for a
product with less stock than they ask for; two `process_events` workers deliver the
events (EVENTS_DELIVERY=worker). Stock is never oversold, and every placed order gets
exactly one notification, and one email, whichever worker delivered it.
"""

import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from modular_monolith.models import Delivery

from modules.notifications.models import Notification
from modules.products.models import Product
from modules.users import api as users
from tests.concurrency import run_concurrently
from tests.production.processes import (
    free_port,
    gunicorn_command,
    manage_command,
    production_env,
    request,
    started,
    wait_until_listening,
)

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]

CUSTOMERS = 6
ORDERS_EACH = 4
STOCK = 15  # fewer than the 24 orders of one unit
DELIVERY_TIMEOUT = 60.0
EMAIL_SUBJECT = re.compile(r"^Subject: (Order \d+ placed)$", re.MULTILINE)


def _database_url() -> str:
    db = connection.settings_dict
    password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
    return f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT']}/{db['NAME']}"


def _wait_for_deliveries() -> None:
    deadline = time.monotonic() + DELIVERY_TIMEOUT
    while Delivery.objects.filter(status=Delivery.Status.PENDING).exists():
        assert time.monotonic() < deadline, "the workers left deliveries pending"
        time.sleep(0.2)


def test_orders_through_two_web_processes_and_two_workers(
    tmp_path: Path,
    make_user: Callable[..., users.UserDTO],
    auth: Callable[[users.UserDTO], dict[str, str]],
    make_product: Callable[..., Product],
) -> None:
    product = make_product(stock=STOCK)
    customers = [auth(make_user()) for _ in range(CUSTOMERS)]
    # The test's SECRET_KEY, which signed the customers' tokens.
    env = production_env(_database_url(), EVENTS_DELIVERY="worker", SECRET_KEY=settings.SECRET_KEY)
    worker = manage_command("process_events", "--interval", "0.2")
    port = free_port()

    with (
        started(gunicorn_command(port, workers=2), env=env, log=tmp_path / "web.log") as web,
        started(worker, env=env, log=tmp_path / "worker1.log") as worker1,
        started(worker, env=env, log=tmp_path / "worker2.log") as worker2,
    ):
        wait_until_listening(port, web)

        def place_orders(headers: dict[str, str]) -> list[int]:
            body = {"lines": [{"product_id": product.pk, "quantity": 1}]}
            headers = {**headers, "X-Forwarded-Proto": "https"}
            answers = [
                request(port, "POST", "/api/orders", body=body, headers=headers)
                for _ in range(ORDERS_EACH)
            ]
            return [answer.status for answer in answers]

        outcomes = run_concurrently([lambda h=h: place_orders(h) for h in customers])
        _wait_for_deliveries()
        assert worker1.stop() == 0 and worker2.stop() == 0
        emails = EMAIL_SUBJECT.findall(worker1.output() + worker2.output())

    statuses = [status for outcome in outcomes for status in outcome.result or []]
    assert [outcome.error for outcome in outcomes] == [None] * CUSTOMERS
    assert sorted(statuses) == [201] * STOCK + [409] * (CUSTOMERS * ORDERS_EACH - STOCK)
    product.refresh_from_db()
    assert product.stock == 0
    placed = Notification.objects.filter(kind=Notification.Kind.ORDER_PLACED)
    assert placed.count() == STOCK
    assert sorted(emails) == sorted(placed.values_list("subject", flat=True))
    assert not Delivery.objects.exclude(status=Delivery.Status.SUCCEEDED).exists()
