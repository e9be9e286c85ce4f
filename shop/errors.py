"""The one place where an error becomes an HTTP response.

Every error the project answers, from a module's business rule to an unknown URL or
a module served by another process that did not answer (503), has the same JSON
body, ``{"message": "...", "details": {...}}`` (``ErrorOut``).
Modules raise the error types of ``modular_monolith.errors`` and never build
responses; the API's exception handlers (``api.py``), the JSON middleware and the
URL error handlers all answer through ``error_response``.
"""

import logging
from typing import Any

from django.http import JsonResponse
from modular_monolith.errors import AuthenticationFailed, Conflict, DomainError, NotFound
from modular_monolith.http import ErrorOut
from modular_monolith.remote import ModuleUnavailable

logger = logging.getLogger(__name__)

# The first matching class decides: subclasses before their base.
_STATUS_BY_ERROR: list[tuple[type[DomainError], int]] = [
    (NotFound, 404),
    (Conflict, 409),
    (AuthenticationFailed, 401),
    (DomainError, 400),
]


def error_response(status: int, message: str, **details: Any) -> JsonResponse:
    """Return the JSON error response every part of the project answers with."""
    return JsonResponse(ErrorOut(message=message, details=details).model_dump(), status=status)


def status_of(error: DomainError) -> int:
    """The HTTP status of a module's business error, from the kind of error it is."""
    return next(code for kind, code in _STATUS_BY_ERROR if isinstance(error, kind))


def module_unavailable_response(error: ModuleUnavailable) -> JsonResponse:
    """503 for a module served by another process that gave no answer; the cause goes to the log."""
    logger.warning("%s", error)
    return error_response(503, error.message, module=error.module)
