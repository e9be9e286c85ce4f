"""The worker as real processes on PostgreSQL: killed mid-batch, and two at once."""

import re
import signal
from decimal import Decimal

import pytest
from django.db import transaction
from pytest_django.fixtures import Settings

from modules.notifications.models import Notification
from modules.orders.events import OrderPlaced
from modules.users import api as users

from shop.infrastructure.events import publish
from shop.infrastructure.models import Delivery

from .processes import finish, start, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


def backlog(settings: Settings, size: int) -> None:
    """``size`` OrderPlaced events whose notification deliveries wait for the worker."""
    settings.EVENTS_DELIVERY = "worker"
    customer = users.register_user(email="worker@example.com", password="a long test passphrase")
    Delivery.objects.all().delete()  # the welcome notification is not part of the backlog
    with transaction.atomic():
        for order_id in range(1, size + 1):
            publish(OrderPlaced(order_id=order_id, customer_id=customer.id, total=Decimal("9.99")))


def succeeded() -> int:
    return Delivery.objects.filter(status="succeeded").count()


def test_a_worker_killed_mid_batch_loses_nothing_and_applies_nothing_twice(
    settings: Settings,
) -> None:
    backlog(settings, 12)
    worker = start("--slow-mail", "0.3", "--", "process_events")
    try:
        wait_until(lambda: succeeded() >= 3, what="the first deliveries")
    finally:
        worker.send_signal(signal.SIGKILL)
        worker.communicate()  # reaps it and closes its pipes
    assert succeeded() < 12, "the worker finished before it could be killed"

    finish(start("--", "process_events", "--once"))

    deliveries = Delivery.objects.all()
    assert [d.status for d in deliveries] == ["succeeded"] * 12
    assert {d.attempts for d in deliveries} == {1}  # the killed attempt left no trace
    assert Notification.objects.filter(kind="order_placed").count() == 12


def test_two_workers_on_one_backlog_deliver_each_item_once(settings: Settings) -> None:
    backlog(settings, 40)

    workers = [start("--slow-mail", "0.02", "--", "process_events", "--once") for _ in range(2)]
    outputs = [finish(worker) for worker in workers]

    delivered = [int(re.search(r"Delivered (\d+)", output).group(1)) for output in outputs]  # type: ignore[union-attr]
    assert sum(delivered) == 40
    assert all(count > 0 for count in delivered), f"one worker did all the work: {delivered}"
    assert set(Delivery.objects.values_list("status", "attempts")) == {("succeeded", 1)}
    assert Notification.objects.filter(kind="order_placed").count() == 40
