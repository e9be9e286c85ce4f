"""Registering over HTTP: users announces the account, notifications welcomes it."""

from typing import Any

import pytest
from django.core.mail import EmailMessage
from django.test import Client
from modular_monolith.testing import DeliverEvents

from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def _register(client: Client, email: str) -> Any:
    return client.post(
        "/api/users/register",
        {"email": email, "password": PASSWORD},
        content_type="application/json",
    )


def _bearer(client: Client, email: str) -> dict[str, str]:
    response = client.post(
        "/api/users/token", {"email": email, "password": PASSWORD}, content_type="application/json"
    )
    assert response.status_code == 200, response.content
    return {"Authorization": f"Bearer {response.json()['token']}"}


def test_a_new_account_gets_a_welcome_notification_and_one_welcome_email(
    client: Client, deliver_events: DeliverEvents, mailoutbox: list[EmailMessage]
) -> None:
    with deliver_events():
        response = _register(client, "ada@example.com")

    assert response.status_code == 201, response.content
    assert response.json()["email"] == "ada@example.com"

    notifications = client.get("/api/notifications", headers=_bearer(client, "ada@example.com"))
    assert notifications.status_code == 200
    assert [(n["kind"], n["subject"]) for n in notifications.json()] == [
        ("welcome", "Welcome to the shop")
    ]

    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["ada@example.com"]
    assert mailoutbox[0].subject == "Welcome to the shop"
    assert "ada@example.com" in mailoutbox[0].body


def test_the_welcome_email_goes_to_the_address_as_stored_after_normalisation(
    client: Client, deliver_events: DeliverEvents, mailoutbox: list[EmailMessage]
) -> None:
    with deliver_events():
        response = _register(client, "Grace@Example.COM")

    assert response.status_code == 201, response.content
    assert response.json()["email"] == "Grace@example.com"
    assert [message.to for message in mailoutbox] == [["Grace@example.com"]]


def test_a_refused_registration_sends_no_second_welcome(
    client: Client, deliver_events: DeliverEvents, mailoutbox: list[EmailMessage]
) -> None:
    with deliver_events():
        first = _register(client, "ada@example.com")
        again = _register(client, "ADA@example.com")

    assert first.status_code == 201
    assert again.status_code == 409
    assert "message" in again.json()
    assert len(mailoutbox) == 1

    notifications = client.get("/api/notifications", headers=_bearer(client, "ada@example.com"))
    assert [n["kind"] for n in notifications.json()] == ["welcome"]
