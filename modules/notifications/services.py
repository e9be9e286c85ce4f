"""Storing and emailing notifications, and keeping the recipients' addresses."""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.core.mail import send_mail
from django.db import connection, transaction
from django.utils import timezone

from modules.users import api as users

from .models import Notification, Recipient


@dataclass(frozen=True, kw_only=True)
class Draft:
    """A notification to store and email, unless its fact was notified already."""

    recipient_id: int
    kind: Notification.Kind
    about_id: int
    subject: str
    body: str


def recipients_remember(addresses: Mapping[int, str]) -> None:
    """Keep these users' addresses (user id -> email), replacing older ones."""
    Recipient.objects.bulk_create(
        [Recipient(user_id=user_id, email=email) for user_id, email in addresses.items()],
        update_conflicts=True,
        unique_fields=["user_id"],
        update_fields=["email"],
    )


# No savepoint: a listener runs in a transaction of its own already (or in a savepoint
# of the worker's batch), and it is what rolls back if an email cannot be sent.
@transaction.atomic(savepoint=False)
def notifications_send(drafts: Iterable[Draft]) -> None:
    """Store and email each notification once per (kind, about_id), in one insert for all.

    A fact notified already (the event was delivered again) is neither stored nor sent
    again. If an email cannot be sent, nothing of the call is stored: the listener fails
    and its delivery is retried.
    """
    drafts = list(drafts)
    addresses = _addresses({draft.recipient_id for draft in drafts})
    new = _insert_new(drafts)
    for draft in drafts:
        if (draft.kind, draft.about_id) in new:
            send_mail(
                draft.subject,
                draft.body,
                from_email=None,
                recipient_list=[addresses[draft.recipient_id]],
            )


def _addresses(user_ids: set[int]) -> dict[int, str]:
    """The users' addresses from notifications' own copy; a user missing there is asked of
    ``users.api`` once, and remembered (an account older than the copy)."""
    known = dict(Recipient.objects.filter(user_id__in=user_ids).values_list("user_id", "email"))
    missing = {user_id: users.get_user(user_id).email for user_id in user_ids - known.keys()}
    if missing:
        recipients_remember(missing)
    return known | missing


def _insert_new(drafts: list[Draft]) -> set[tuple[str, int]]:
    """Insert the drafts, skipping facts stored already; return the (kind, about_id) inserted.

    One ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` (PostgreSQL, SQLite 3.35+):
    Django's ``bulk_create(ignore_conflicts=True)`` cannot tell which rows were new.
    """
    if not drafts:
        return set()
    quote = connection.ops.quote_name
    columns = ["recipient_id", "kind", "about_id", "subject", "body", "created_at"]
    now = timezone.now()
    rows = ", ".join(["(%s, %s, %s, %s, %s, %s)"] * len(drafts))
    params = [
        value
        for draft in drafts
        for value in (
            draft.recipient_id,
            draft.kind,
            draft.about_id,
            draft.subject,
            draft.body,
            now,
        )
    ]
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(Notification._meta.db_table)} "
            f"({', '.join(quote(column) for column in columns)}) VALUES {rows} "
            f"ON CONFLICT ({quote('kind')}, {quote('about_id')}) DO NOTHING "
            f"RETURNING {quote('kind')}, {quote('about_id')}",
            params,
        )
        return {(kind, about_id) for kind, about_id in cursor.fetchall()}
