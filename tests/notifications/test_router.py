"""GET /api/notifications: the caller's notifications, newest first."""

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from django.test import Client
from django.utils import timezone

from modules.notifications.models import Notification
from modules.users import api as users

MakeUser = Callable[..., users.UserDTO]
Auth = Callable[[users.UserDTO], dict[str, str]]


def notify(user: users.UserDTO, about_id: int, created_at: datetime) -> Notification:
    """Store a notification as if it had been created at ``created_at``."""
    notification = Notification.objects.create(
        recipient_id=user.id,
        kind=Notification.Kind.ORDER_PLACED,
        about_id=about_id,
        subject=f"Order {about_id} placed",
        body="We have reserved your items.",
    )
    Notification.objects.filter(pk=notification.pk).update(
        created_at=created_at
    )  # not auto_now_add
    notification.refresh_from_db()
    return notification


def test_the_caller_gets_only_their_notifications_newest_first(
    client: Client, make_user: MakeUser, auth: Auth
) -> None:
    alice, bob = make_user("alice@example.com"), make_user("bob@example.com")
    now = timezone.now()
    # Stored out of date order, so that ordering by id would give the wrong answer.
    older = notify(alice, 1, created_at=now - timedelta(days=2))
    newest = notify(alice, 2, created_at=now)
    middle = notify(alice, 3, created_at=now - timedelta(days=1))
    notify(bob, 4, created_at=now + timedelta(days=1))

    response = client.get("/api/notifications", headers=auth(alice))

    assert response.status_code == 200
    assert [item["id"] for item in response.json()] == [newest.pk, middle.pk, older.pk]


def test_a_notification_has_id_kind_subject_and_creation_time(
    client: Client, make_user: MakeUser, auth: Auth
) -> None:
    alice = make_user("alice@example.com")
    notification = notify(alice, 1, created_at=datetime(2026, 3, 1, 9, 30, tzinfo=UTC))

    [item] = client.get("/api/notifications", headers=auth(alice)).json()

    assert item == {
        "id": notification.pk,
        "kind": "order_placed",
        "subject": "Order 1 placed",
        "created_at": "2026-03-01T09:30:00Z",
    }


def test_a_caller_without_notifications_gets_an_empty_list(
    client: Client, make_user: MakeUser, auth: Auth
) -> None:
    alice, bob = make_user("alice@example.com"), make_user("bob@example.com")
    notify(bob, 1, created_at=timezone.now())

    response = client.get("/api/notifications", headers=auth(alice))

    assert response.status_code == 200
    assert response.json() == []


@pytest.mark.parametrize(
    "headers",
    [pytest.param({}, id="no-header"), pytest.param({"Authorization": "Bearer x"}, id="bad-token")],
)
def test_notifications_answer_401_without_a_valid_token(
    client: Client, make_user: MakeUser, headers: dict[str, str]
) -> None:
    notify(make_user("alice@example.com"), 1, created_at=timezone.now())

    response = client.get("/api/notifications", headers=headers)

    assert response.status_code == 401
    assert response["Content-Type"].startswith("application/json")
    assert "Bearer" in response.json()["message"]
