"""notifications.api.list_notifications."""

import dataclasses
from collections.abc import Callable
from datetime import timedelta

from django.db.models import Model
from django.utils import timezone

from modules.notifications import api as notifications
from modules.notifications.models import Notification
from modules.users import api as users


def test_list_notifications_returns_frozen_data_classes_of_the_recipient_newest_first(
    make_user: Callable[..., users.UserDTO],
) -> None:
    alice, bob = make_user(), make_user()
    for about_id, recipient in [(1, alice), (2, alice), (3, bob)]:
        Notification.objects.create(
            recipient_id=recipient.id,
            kind=Notification.Kind.ORDER_PAID,
            about_id=about_id,
            subject=f"Order {about_id} paid",
            body="Thank you.",
        )
    Notification.objects.filter(about_id=1).update(created_at=timezone.now() + timedelta(hours=1))

    listed = notifications.list_notifications(recipient_id=alice.id)

    assert [n.subject for n in listed] == ["Order 1 paid", "Order 2 paid"]
    assert listed[0].body == "Thank you."
    for notification in listed:
        assert dataclasses.is_dataclass(notification)
        assert not isinstance(notification, Model)
    assert type(listed[0]).__dataclass_params__.frozen  # type: ignore[attr-defined]
