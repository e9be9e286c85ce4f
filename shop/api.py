"""The HTTP API: one django-ninja router per module, mounted under /api/.

This is also the one place where errors become HTTP responses: modules raise
the error types of ``modular_monolith.errors`` and never build responses.
Every error body is ``{"message": ..., "details": {...}}``.
"""

import importlib
import importlib.util
from typing import Any

from django.conf import settings
from django.db import connection
from django.http import Http404, HttpRequest, HttpResponse
from modular_monolith.errors import AuthenticationFailed, Conflict, DomainError, NotFound
from modular_monolith.http import ErrorOut
from ninja import NinjaAPI, Schema, Status
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .auth import BearerToken

api = NinjaAPI(
    title="Shop API",
    version="1.0.0",
    description="A modular monolith: each tag is one module's router.",
    auth=BearerToken(),
    urls_namespace="api",
)

# Each installed module that serves HTTP has a router.py; it is mounted at /api/<module>.
for module in settings.MODULES:
    if importlib.util.find_spec(f"{module}.router") is not None:
        api.add_router(
            f"/{module.rsplit('.', 1)[1]}", importlib.import_module(f"{module}.router").router
        )


class HealthOut(Schema):
    status: str
    database: str


@api.get("/health", auth=None, response={200: HealthOut, 503: HealthOut}, tags=["health"])
def health(request: HttpRequest) -> Status[HealthOut]:
    """Report whether the service can reach its database."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return Status(503, HealthOut(status="error", database="unavailable"))
    return Status(200, HealthOut(status="ok", database="ok"))


_STATUS_BY_ERROR: list[tuple[type[DomainError], int]] = [
    (NotFound, 404),
    (Conflict, 409),
    (AuthenticationFailed, 401),
    (DomainError, 400),
]


def _error(request: HttpRequest, status: int, message: str, **details: Any) -> HttpResponse:
    return api.create_response(request, ErrorOut(message=message, details=details), status=status)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    status = next(code for kind, code in _STATUS_BY_ERROR if isinstance(error, kind))
    return _error(request, status, error.message, **error.details)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    fields = [{"location": ".".join(map(str, e["loc"])), "problem": e["msg"]} for e in error.errors]
    return _error(request, 422, "The request is not valid.", errors=fields)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    response = _error(request, 401, "Send a valid token: Authorization: Bearer <token>.")
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return _error(request, error.status_code, str(error))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return _error(request, 404, "Not found.")
