"""The outbox: every published event, and its delivery to each listener."""

import uuid

from django.db import models


class StoredEvent(models.Model):
    """An event, stored in the transaction that published it (or received from the broker)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    type = models.CharField(max_length=200, db_index=True)
    version = models.PositiveSmallIntegerField()
    occurred_at = models.DateTimeField()
    payload = models.JSONField()
    relay_pending = models.BooleanField(
        default=False, help_text="An external event that the worker has yet to send to the broker."
    )
    relayed_at = models.DateTimeField(null=True, blank=True)
    trace_context = models.JSONField(
        null=True,
        blank=True,
        help_text="The publication's trace context (traceparent, tracestate), if traced.",
    )

    class Meta:
        ordering = ["-occurred_at"]
        indexes = [
            models.Index(
                fields=["occurred_at"],
                condition=models.Q(relay_pending=True),
                name="event_relay_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.type} {self.id}"


class Delivery(models.Model):
    """One event for one listener: tried until it succeeds or runs out of attempts."""

    class Status(models.TextChoices):
        PENDING = "pending"
        SUCCEEDED = "succeeded"
        FAILED = "failed", "failed (no attempts left)"

    event = models.ForeignKey(StoredEvent, on_delete=models.CASCADE, related_name="deliveries")
    listener = models.CharField(max_length=255, help_text="Dotted path of the listener function.")
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField()
    last_error = models.TextField(blank=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name_plural = "deliveries"
        ordering = ["next_attempt_at", "id"]
        constraints = [
            # De-duplication: an event reaches a listener through one delivery, however
            # often it is published to or received from the broker.
            models.UniqueConstraint(
                fields=["event", "listener"], name="delivery_once_per_listener"
            ),
        ]
        indexes = [
            # The worker's claim reads pending deliveries in this order. Only pending ones
            # are indexed, so completed deliveries, however many, add no live entry to scan;
            # the dead entries they leave behind are skipped once an index scan marks them.
            models.Index(
                fields=["next_attempt_at", "id"],
                condition=models.Q(status="pending"),
                name="delivery_pending_due",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event.type} → {self.listener} ({self.status})"


class ScheduledJob(models.Model):
    """When a periodic job runs next, shared by every worker: each run is claimed by one."""

    name = models.CharField(
        max_length=255, primary_key=True, help_text="Dotted path of the job function."
    )
    next_run_at = models.DateTimeField(help_text="The first worker to look after this runs it.")
    last_run_at = models.DateTimeField(
        null=True, blank=True, help_text="When a worker last started it."
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name
