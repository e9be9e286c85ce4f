"""Notifications keeps its own copy of the recipients' addresses, and notifies in batches."""

import re
from collections.abc import Callable
from decimal import Decimal

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from modular_monolith.events import publish
from modular_monolith.testing import run_pending_deliveries
from pytest_django.fixtures import Settings

from modules.notifications import listeners
from modules.notifications.models import Notification, Recipient
from modules.orders.events import OrderPlaced
from modules.users import api as users
from modules.users.events import UserRegistered

MakeUser = Callable[..., users.UserDTO]


def placed(customer: users.UserDTO, *order_ids: int) -> list[OrderPlaced]:
    return [
        OrderPlaced(order_id=order_id, customer_id=customer.id, total=Decimal("5.00"))
        for order_id in order_ids
    ]


def summary(sql: str) -> str:
    """'SELECT "notifications_recipient"."user_id", ... FROM ...' -> 'SELECT notifications_recipient'."""
    table = re.search(r'(?:FROM|INTO|UPDATE) "(\w+)"', sql)
    return f"{sql.split(' ', 1)[0]} {table.group(1) if table else '?'}"


def users_api_refused(*args: object) -> users.UserDTO:
    raise AssertionError("notifications asked users.api for an address it has")


def test_a_registration_keeps_the_address_and_later_emails_ask_users_nothing(
    make_user: MakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer = make_user("kept@example.com")
    listeners.on_user_registered([UserRegistered(user_id=customer.id, email=customer.email)])
    monkeypatch.setattr("modules.notifications.services.users.get_user", users_api_refused)

    listeners.on_order_placed(placed(customer, 1))

    assert Recipient.objects.get().email == "kept@example.com"
    assert [m.to for m in mail.outbox] == [["kept@example.com"], ["kept@example.com"]]


def test_an_address_missing_from_the_copy_is_asked_of_users_once_and_kept(
    make_user: MakeUser, monkeypatch: pytest.MonkeyPatch
) -> None:
    customer = make_user("older@example.com")  # registered before notifications kept copies
    asked: list[int] = []
    get_user = users.get_user

    def counting_get_user(user_id: int) -> users.UserDTO:
        asked.append(user_id)
        return get_user(user_id)

    monkeypatch.setattr("modules.notifications.services.users.get_user", counting_get_user)

    listeners.on_order_placed(placed(customer, 1, 2))
    listeners.on_order_placed(placed(customer, 3))

    assert asked == [customer.id]
    assert Recipient.objects.get(user_id=customer.id).email == "older@example.com"
    assert len(mail.outbox) == 3


@pytest.mark.parametrize("size", [1, 10])
def test_a_batch_of_facts_is_one_insert_that_reads_the_addresses(
    make_user: MakeUser, size: int
) -> None:
    customer = make_user()
    listeners.on_user_registered([UserRegistered(user_id=customer.id, email=customer.email)])

    with CaptureQueriesContext(connection) as captured:
        listeners.on_order_placed(placed(customer, *range(1, size + 1)))

    # Every new fact, those known already skipped; the addresses from notifications' own copy.
    assert [summary(query["sql"]) for query in captured.captured_queries] == [
        "INSERT notifications_notification"
    ]
    assert Notification.objects.filter(kind="order_placed").count() == size
    assert [m.to for m in mail.outbox[1:]] == [[customer.email]] * size


def test_a_batch_emails_only_the_facts_not_notified_yet(make_user: MakeUser) -> None:
    customer = make_user()
    listeners.on_order_placed(placed(customer, 1))

    listeners.on_order_placed(placed(customer, 1, 2))

    assert sorted(Notification.objects.values_list("about_id", flat=True)) == [1, 2]
    assert [m.subject for m in mail.outbox] == ["Order 1 placed", "Order 2 placed"]


def test_the_worker_notifies_a_backlog_in_batches_each_fact_once(
    make_user: MakeUser, settings: Settings
) -> None:
    customer = make_user()
    settings.MONOLITH_EVENTS_DELIVERY = "worker"
    for event in placed(customer, 1, 2, 3, 4, 5):
        publish(event)

    assert run_pending_deliveries() == 6  # the welcome, then the orders in batches of 2 and 3
    assert run_pending_deliveries() == 0

    assert Notification.objects.filter(kind="order_placed").count() == 5
    assert sorted(m.subject for m in mail.outbox) == [
        *[f"Order {n} placed" for n in range(1, 6)],
        "Welcome to the shop",
    ]
