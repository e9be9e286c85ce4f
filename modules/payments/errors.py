from modular_monolith.errors import Conflict, DomainError, NotFound


class PaymentsError(DomainError):
    """Base class for the errors of the payments module."""


class PaymentNotFound(PaymentsError, NotFound):
    """No payment has this id."""


class InvalidPayment(PaymentsError):
    """The amount, payment method or idempotency key is not acceptable."""


class IdempotencyKeyReused(PaymentsError, Conflict):
    """The idempotency key was used before for a different reference or amount."""


class AlreadyPaid(PaymentsError, Conflict):
    """The reference has a successful payment."""


class PaymentInProgress(PaymentsError, Conflict):
    """Another payment for the reference is under way; its outcome is not known yet."""


class PaymentsUnavailable(PaymentsError, Conflict):
    """The gateway did not answer: the payment stays pending until a retry or reconciliation."""
