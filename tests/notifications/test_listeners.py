"""The listeners: each fact becomes one stored notification and one email, however often delivered."""

from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from smtplib import SMTPException
from typing import Any

import pytest
from django.core import mail
from django.db import transaction
from modular_monolith.events import publish
from modular_monolith.testing import DeliverEvents

from modules.notifications import listeners
from modules.notifications.models import Notification
from modules.orders.events import OrderCancelled, OrderPaid, OrderPlaced
from modules.users import api as users
from modules.users.events import UserEmailChanged, UserRegistered
from tests.conftest import PASSWORD

MakeUser = Callable[..., users.UserDTO]

ORDER_ID = 7001  # far from any user id, so that a mix-up of the two shows


@dataclass(frozen=True)
class Fact:
    """An event, the listener for it, and the notification it must give ``customer``."""

    listener: Callable[[list[Any]], None]  # a batch listener: takes a list of events
    event: Callable[[users.UserDTO], object]
    kind: Notification.Kind
    about_id: Callable[[users.UserDTO], int]
    subject: str
    body: str


FACTS = [
    pytest.param(
        Fact(
            listener=listeners.on_user_registered,
            event=lambda customer: UserRegistered(user_id=customer.id, email=customer.email),
            kind=Notification.Kind.WELCOME,
            about_id=lambda customer: customer.id,
            subject="Welcome to the shop",
            body="Your account customer@example.com is ready.",
        ),
        id="user-registered",
    ),
    pytest.param(
        Fact(
            listener=listeners.on_order_placed,
            event=lambda customer: OrderPlaced(
                order_id=ORDER_ID, customer_id=customer.id, total=Decimal("37.00")
            ),
            kind=Notification.Kind.ORDER_PLACED,
            about_id=lambda customer: ORDER_ID,
            subject=f"Order {ORDER_ID} placed",
            body="We have reserved your items. Total to pay: 37.00.",
        ),
        id="order-placed",
    ),
    pytest.param(
        Fact(
            listener=listeners.on_order_paid,
            event=lambda customer: OrderPaid(
                order_id=ORDER_ID, customer_id=customer.id, total=Decimal("37.00"), payment_id=5
            ),
            kind=Notification.Kind.ORDER_PAID,
            about_id=lambda customer: ORDER_ID,
            subject=f"Order {ORDER_ID} paid",
            body="Thank you: we received 37.00.",
        ),
        id="order-paid",
    ),
    pytest.param(
        Fact(
            listener=listeners.on_order_cancelled,
            event=lambda customer: OrderCancelled(order_id=ORDER_ID, customer_id=customer.id),
            kind=Notification.Kind.ORDER_CANCELLED,
            about_id=lambda customer: ORDER_ID,
            subject=f"Order {ORDER_ID} cancelled",
            body="Your order is cancelled; nothing was charged.",
        ),
        id="order-cancelled",
    ),
]


@pytest.fixture
def customer(make_user: MakeUser) -> users.UserDTO:
    make_user("someone-else@example.com")  # another account, so that a wrong recipient shows
    return make_user("customer@example.com")


def raise_smtp_error(*args: object, **kwargs: object) -> int:
    raise SMTPException("the mail server is down")


@pytest.mark.parametrize("fact", FACTS)
def test_a_fact_stores_one_notification_for_the_customer(
    fact: Fact, customer: users.UserDTO
) -> None:
    fact.listener([fact.event(customer)])

    notification = Notification.objects.get()
    assert notification.recipient_id == customer.id
    assert notification.kind == fact.kind
    assert notification.about_id == fact.about_id(customer)
    assert (notification.subject, notification.body) == (fact.subject, fact.body)


@pytest.mark.parametrize("fact", FACTS)
def test_a_fact_sends_one_email_to_the_customers_address(
    fact: Fact, customer: users.UserDTO
) -> None:
    fact.listener([fact.event(customer)])

    assert len(mail.outbox) == 1
    email = mail.outbox[0]
    assert email.to == ["customer@example.com"]
    assert (email.subject, email.body) == (fact.subject, fact.body)


@pytest.mark.parametrize("fact", FACTS)
def test_a_fact_delivered_twice_notifies_once(fact: Fact, customer: users.UserDTO) -> None:
    event = fact.event(customer)

    fact.listener([event])
    fact.listener([event])

    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


@pytest.mark.parametrize("fact", FACTS)
def test_a_fact_is_not_stored_when_the_email_cannot_be_sent(
    fact: Fact, customer: users.UserDTO, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("modules.notifications.services.send_mail", raise_smtp_error)

    # A listener runs in its delivery's transaction, which the failure rolls back.
    with pytest.raises(SMTPException), transaction.atomic():
        fact.listener([fact.event(customer)])

    assert not Notification.objects.exists()


@pytest.mark.parametrize("fact", FACTS)
def test_a_fact_whose_email_failed_is_notified_when_delivered_again(
    fact: Fact, customer: users.UserDTO, monkeypatch: pytest.MonkeyPatch
) -> None:
    event = fact.event(customer)
    with monkeypatch.context() as broken:
        broken.setattr("modules.notifications.services.send_mail", raise_smtp_error)
        with pytest.raises(SMTPException), transaction.atomic():
            fact.listener([event])

    fact.listener([event])

    assert Notification.objects.count() == 1
    assert len(mail.outbox) == 1


def test_facts_about_different_orders_are_notified_separately(customer: users.UserDTO) -> None:
    listeners.on_order_placed(
        [
            OrderPlaced(order_id=ORDER_ID, customer_id=customer.id, total=Decimal("1.00")),
            OrderPlaced(order_id=ORDER_ID + 1, customer_id=customer.id, total=Decimal("2.00")),
        ]
    )
    listeners.on_order_paid(
        [OrderPaid(order_id=ORDER_ID, customer_id=customer.id, total=Decimal("1.00"), payment_id=1)]
    )

    assert Notification.objects.count() == 3
    assert len(mail.outbox) == 3


@pytest.mark.parametrize("fact", FACTS)
def test_each_listener_hears_its_event_once_the_publisher_commits(
    fact: Fact, customer: users.UserDTO, deliver_events: DeliverEvents
) -> None:
    with deliver_events():
        publish(fact.event(customer))
        assert not Notification.objects.exists(), "notified before the commit"

    notification = Notification.objects.get()
    assert (notification.kind, notification.recipient_id) == (fact.kind, customer.id)
    assert mail.outbox[0].to == ["customer@example.com"]


def test_a_registration_is_welcomed_by_email(db: None, deliver_events: DeliverEvents) -> None:
    with deliver_events():
        user = users.register_user(email="new@example.com", password=PASSWORD)

    assert Notification.objects.get().recipient_id == user.id
    assert [(m.to, m.subject) for m in mail.outbox] == [
        (["new@example.com"], "Welcome to the shop")
    ]


def test_a_changed_address_is_where_the_next_email_goes(customer: users.UserDTO) -> None:
    placed = OrderPlaced(order_id=ORDER_ID, customer_id=customer.id, total=Decimal("37.00"))
    listeners.on_order_placed([placed])
    listeners.on_user_email_changed(
        [
            UserEmailChanged(user_id=customer.id, email="first-move@example.com"),
            UserEmailChanged(user_id=customer.id, email="moved@example.com"),
        ]
    )
    listeners.on_order_cancelled([OrderCancelled(order_id=ORDER_ID, customer_id=customer.id)])

    assert [m.to for m in mail.outbox] == [["customer@example.com"], ["moved@example.com"]]
