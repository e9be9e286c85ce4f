from django.db import models

PAYMENT_REFERENCE_PREFIX = "order-"


class Order(models.Model):
    class Status(models.TextChoices):
        PENDING_PAYMENT = "pending_payment"
        # A payment was set off: cancelling waits for its outcome (see paying.py).
        PAYMENT_IN_PROGRESS = "payment_in_progress"
        PAID = "paid"
        CANCELLED = "cancelled"

    # Ids owned by other modules: plain columns, never relations.
    customer_id = models.BigIntegerField(db_index=True, help_text="users module: the customer.")
    payment_id = models.BigIntegerField(null=True, blank=True, help_text="payments module.")

    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING_PAYMENT)
    # The claim of the latest payment set off, while the order is payment_in_progress.
    payment_key = models.CharField(
        max_length=100, blank=True, help_text="The Idempotency-Key of the latest payment."
    )
    payment_started_at = models.DateTimeField(null=True, blank=True)
    total = models.DecimalField(max_digits=12, decimal_places=2)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"Order {self.pk} ({self.status})"

    @property
    def payment_reference(self) -> str:
        """What payments knows this order by."""
        return f"{PAYMENT_REFERENCE_PREFIX}{self.pk}"

    @staticmethod
    def id_from_payment_reference(reference: str) -> int | None:
        """Return the order id in a payment reference, or None if it is another caller's."""
        if not reference.startswith(PAYMENT_REFERENCE_PREFIX):
            return None
        order_id = reference.removeprefix(PAYMENT_REFERENCE_PREFIX)
        if not (order_id.isascii() and order_id.isdigit()):
            return None  # e.g. "order-abc", which int() would refuse with a ValueError
        return int(order_id)


class OrderLine(models.Model):
    """A product as it was when ordered: name and unit price are snapshots."""

    order = models.ForeignKey(Order, on_delete=models.CASCADE, related_name="lines")
    product_id = models.BigIntegerField(help_text="products module: the product.")
    name = models.CharField(max_length=200)
    unit_price = models.DecimalField(max_digits=10, decimal_places=2)
    quantity = models.PositiveIntegerField()

    class Meta:
        ordering = ["id"]

    def __str__(self) -> str:
        return f"{self.quantity} x {self.name}"
