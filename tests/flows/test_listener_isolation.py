"""Events are delivered after commit, and one failing listener harms nobody else."""

import logging
from collections.abc import Callable
from smtplib import SMTPException
from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.db import transaction
from modular_monolith.events import listener_name
from modular_monolith.testing import DeliverEvents

from modules.notifications import services as notification_services
from modules.orders.events import OrderPlaced
from modules.products.models import Product
from modules.users.events import UserRegistered
from tests.conftest import PASSWORD
from tests.flows.conftest import Customer, Store

pytestmark = pytest.mark.django_db

ExtraListener = Callable[[type, Callable[[Any], None]], None]

EVENTS_LOGGER = "modular_monolith.events"


class Boom(Exception):
    """Raised on purpose by the test."""


def _failures_logged(caplog: pytest.LogCaptureFixture) -> list[logging.LogRecord]:
    return [
        record
        for record in caplog.records
        if record.name.startswith(EVENTS_LOGGER) and record.levelno == logging.ERROR
    ]


def test_an_order_is_placed_even_when_the_notifications_listener_fails(
    store: Store,
    customer: Customer,
    make_product: Callable[..., Product],
    deliver_events: DeliverEvents,
    extra_listener: ExtraListener,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
    mailoutbox: list[EmailMessage],
) -> None:
    def broken_send_mail(*args: Any, **kwargs: Any) -> None:
        raise SMTPException("mail server down")

    monkeypatch.setattr(notification_services, "send_mail", broken_send_mail)
    # Connected after the notifications listener, so it runs after the failure.
    received: list[OrderPlaced] = []

    def record(event: OrderPlaced) -> None:
        received.append(event)

    extra_listener(OrderPlaced, record)
    product = make_product(stock=4)

    with caplog.at_level(logging.ERROR, logger=EVENTS_LOGGER), deliver_events():
        response = store.place_order(customer, (product, 3))

    assert response.status_code == 201, response.content
    order_id = response.json()["id"]
    assert store.order(customer, order_id)["status"] == "pending_payment"
    assert store.stock(product) == 1
    assert [event.order_id for event in received] == [order_id]

    # The failed listener's own work is rolled back: no notification without its email.
    assert store.notifications(customer) == []
    assert mailoutbox == []

    [failure] = _failures_logged(caplog)
    assert "modules.notifications.listeners.on_order_placed" in failure.getMessage()
    assert f'"order_id": {order_id}' in failure.getMessage()
    assert failure.exc_info is not None
    assert isinstance(failure.exc_info[1], SMTPException)


def test_a_failing_listener_is_rolled_back_alone_and_the_listeners_after_it_still_run(
    store: Store,
    customer: Customer,
    make_product: Callable[..., Product],
    deliver_events: DeliverEvents,
    extra_listener: ExtraListener,
    caplog: pytest.LogCaptureFixture,
    mailoutbox: list[EmailMessage],
) -> None:
    product = make_product(stock=4)

    def failing_listener(event: OrderPlaced) -> None:
        Product.objects.filter(pk=product.pk).update(stock=0)  # rolled back with the listener
        raise Boom(f"cannot handle order {event.order_id}")

    received: list[OrderPlaced] = []

    def record(event: OrderPlaced) -> None:
        received.append(event)

    extra_listener(OrderPlaced, failing_listener)
    extra_listener(OrderPlaced, record)

    with caplog.at_level(logging.ERROR, logger=EVENTS_LOGGER), deliver_events():
        response = store.place_order(customer, (product, 1))

    assert response.status_code == 201, response.content
    order_id = response.json()["id"]
    assert store.stock(product) == 3
    assert [event.order_id for event in received] == [order_id]
    assert [n["kind"] for n in store.notifications(customer)] == ["order_placed"]
    assert [m.subject for m in mailoutbox] == [f"Order {order_id} placed"]

    [failure] = _failures_logged(caplog)
    assert listener_name(failing_listener) in failure.getMessage()
    assert failure.exc_info is not None
    assert isinstance(failure.exc_info[1], Boom)


def test_an_event_published_in_a_transaction_that_rolls_back_is_never_delivered(
    store: Store,
    deliver_events: DeliverEvents,
    published: list[object],
    mailoutbox: list[EmailMessage],
) -> None:
    credentials = {"email": "ghost@example.com", "password": PASSWORD}

    with deliver_events(), pytest.raises(Boom), transaction.atomic():
        response = store.post("/api/users/register", credentials, headers={})
        assert response.status_code == 201, response.content
        raise Boom("roll the registration back")

    assert published == []
    assert mailoutbox == []
    assert store.post("/api/users/token", credentials, headers={}).status_code == 401

    # The same registration, committed this time, is announced once.
    with deliver_events():
        response = store.post("/api/users/register", credentials, headers={})

    assert response.status_code == 201, response.content
    assert published == [UserRegistered(user_id=response.json()["id"], email="ghost@example.com")]
    assert [m.to for m in mailoutbox] == [["ghost@example.com"]]
