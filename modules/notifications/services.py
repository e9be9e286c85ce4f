from django.core.mail import send_mail
from django.db import transaction

from modules.users import api as users

from .models import Notification


@transaction.atomic
def notification_send(
    *, recipient_id: int, kind: Notification.Kind, about_id: int, subject: str, body: str
) -> Notification:
    """Store a notification and email it, once per (kind, about_id).

    A repeated call for the same fact returns the stored notification and sends
    nothing. If the email cannot be sent the notification is not stored either.
    """
    notification, created = Notification.objects.get_or_create(
        kind=kind,
        about_id=about_id,
        defaults={"recipient_id": recipient_id, "subject": subject, "body": body},
    )
    if created:
        recipient = users.get_user(recipient_id)
        send_mail(subject, body, from_email=None, recipient_list=[recipient.email])
    return notification
