"""The admin for notifications: read-only, searchable by recipient id."""

import pytest
from django.test import Client

from modules.notifications.models import Notification


@pytest.fixture
def notification(db: None) -> Notification:
    return Notification.objects.create(
        recipient_id=31,
        kind=Notification.Kind.WELCOME,
        about_id=31,
        subject="Welcome to the shop",
        body="Your account is ready.",
    )


def test_the_notification_changelist_opens_for_a_superuser(
    admin_client: Client, notification: Notification
) -> None:
    response = admin_client.get("/admin/notifications/notification/")

    assert response.status_code == 200
    assert b"Welcome to the shop" in response.content


@pytest.mark.parametrize(
    ("query", "found"),
    [("31", True), ("32", False), ("welcome", True), ("not a number", False)],
)
def test_the_notification_changelist_searches_by_recipient_id_and_subject(
    admin_client: Client, notification: Notification, query: str, found: bool
) -> None:
    response = admin_client.get("/admin/notifications/notification/", {"q": query})

    assert response.status_code == 200
    assert (b"Welcome to the shop" in response.content) == found


def test_the_change_page_of_a_notification_opens(
    admin_client: Client, notification: Notification
) -> None:
    response = admin_client.get(f"/admin/notifications/notification/{notification.pk}/change/")

    assert response.status_code == 200
