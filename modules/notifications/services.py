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
    stored = _insert_new(drafts)
    new = [draft for draft in drafts if (draft.kind, draft.about_id) in stored]
    unknown = {draft.recipient_id for draft in new if stored[draft.kind, draft.about_id] is None}
    asked = _ask_users(unknown)
    for draft in new:
        send_mail(
            draft.subject,
            draft.body,
            from_email=None,
            recipient_list=[stored[draft.kind, draft.about_id] or asked[draft.recipient_id]],
        )


def _ask_users(user_ids: set[int]) -> dict[int, str]:
    """The addresses of users missing from notifications' own copy (accounts older than
    the copy), asked of ``users.api`` once and remembered."""
    addresses = {user_id: users.get_user(user_id).email for user_id in user_ids}
    if addresses:
        recipients_remember(addresses)
    return addresses


def _insert_new(drafts: list[Draft]) -> dict[tuple[str, int], str | None]:
    """Insert the drafts, skipping facts stored already; return the inserted ones' addresses.

    One ``INSERT ... ON CONFLICT DO NOTHING RETURNING`` (PostgreSQL, SQLite 3.35+), which
    also reads each new notification's address from notifications' own copy of them
    (None for a user not in it): Django's ``bulk_create(ignore_conflicts=True)`` cannot
    tell which rows were new, and a second query for the addresses would cost a round trip.
    Keys are (kind, about_id).
    """
    if not drafts:
        return {}
    quote = connection.ops.quote_name
    table = quote(Notification._meta.db_table)
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
    address = (
        f"(SELECT {quote('email')} FROM {quote(Recipient._meta.db_table)} "
        f"WHERE {quote('user_id')} = {table}.{quote('recipient_id')})"
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(quote(column) for column in columns)}) "
            f"VALUES {rows} ON CONFLICT ({quote('kind')}, {quote('about_id')}) DO NOTHING "
            f"RETURNING {quote('kind')}, {quote('about_id')}, {address}",
            params,
        )
        return {(kind, about_id): email for kind, about_id, email in cursor.fetchall()}
