"""The error types every module raises when a business rule refuses a request.

    DomainError                 the request breaks a rule (HTTP 400)
    ├── NotFound                the thing asked for does not exist, or is not yours (404)
    ├── Conflict                the current state forbids it, e.g. out of stock (409)
    └── AuthenticationFailed    the credentials are wrong (401)

Each module subclasses these (``InsufficientStock(Conflict)``) and exports its
errors from its ``api.py``. The message is written for the API client: the
project maps these to JSON responses in one place (its API module).
"""

from typing import Any


class DomainError(Exception):
    """A business rule refused the request; the message is safe to show to the caller."""

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class NotFound(DomainError):
    """The requested object does not exist, or belongs to someone else."""


class Conflict(DomainError):
    """The current state of the data forbids the operation."""


class AuthenticationFailed(DomainError):
    """The credentials are wrong."""
