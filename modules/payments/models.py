from django.db import models
from django.utils import timezone


class Payment(models.Model):
    """One attempt to charge an amount for a caller's reference."""

    class Status(models.TextChoices):
        PENDING = "pending"  # stored before the gateway is called; settled after it answers
        SUCCEEDED = "succeeded"
        FAILED = "failed"

    reference = models.CharField(
        max_length=100, help_text="What the payment settles, e.g. order-42."
    )
    amount = models.DecimalField(max_digits=12, decimal_places=2)
    payment_method = models.CharField(max_length=50)
    idempotency_key = models.CharField(max_length=255, unique=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    gateway_transaction_id = models.CharField(max_length=100, blank=True)
    failure_reason = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempted_at = models.DateTimeField(
        default=timezone.now, help_text="When a request last set out to call the gateway for it."
    )

    class Meta:
        ordering = ["-id"]
        constraints = [
            # A reference has at most one payment that is in flight or succeeded: a second
            # charge for it waits on this index until the first commits, then fails to insert.
            models.UniqueConstraint(
                fields=["reference"],
                condition=models.Q(status__in=["pending", "succeeded"]),
                name="payment_one_active_per_reference",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reference}: {self.amount} ({self.status})"
