from django.db import models


class Notification(models.Model):
    class Kind(models.TextChoices):
        WELCOME = "welcome"
        ORDER_PLACED = "order_placed"
        ORDER_PAID = "order_paid"
        ORDER_CANCELLED = "order_cancelled"

    recipient_id = models.BigIntegerField(db_index=True, help_text="users module: the recipient.")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    about_id = models.BigIntegerField(help_text="What it is about: the user or order id.")
    subject = models.CharField(max_length=200)
    body = models.TextField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            # One notification per fact, however often the event is delivered.
            models.UniqueConstraint(fields=["kind", "about_id"], name="notification_once_per_fact"),
        ]

    def __str__(self) -> str:
        return self.subject


class Recipient(models.Model):
    """Notifications' own copy of a customer's address, kept from users' events.

    A copy, so that notifying asks the users module nothing: filled from
    ``UserRegistered``, and on a miss from ``users.api`` (see the module's docstring).
    """

    user_id = models.BigIntegerField(primary_key=True, help_text="users module: the user.")
    email = models.EmailField()

    def __str__(self) -> str:
        return self.email
