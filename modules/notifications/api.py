"""The public interface of the notifications module."""

from dataclasses import dataclass
from datetime import datetime

from .models import Notification

__all__ = ["NotificationDTO", "list_notifications"]


@dataclass(frozen=True, kw_only=True)
class NotificationDTO:
    id: int
    kind: str
    subject: str
    body: str
    created_at: datetime


def list_notifications(*, recipient_id: int) -> list[NotificationDTO]:
    """Return the user's notifications, newest first."""
    return [
        NotificationDTO(
            id=n.pk, kind=n.kind, subject=n.subject, body=n.body, created_at=n.created_at
        )
        for n in Notification.objects.filter(recipient_id=recipient_id)
    ]
