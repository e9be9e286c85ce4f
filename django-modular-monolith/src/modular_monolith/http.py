"""What every module's HTTP router shares: the error body and who is calling."""

from typing import Any

from django.http import HttpRequest
from ninja import Schema


class ErrorOut(Schema):
    """The body of every error response: a message for humans, details for programs."""

    message: str
    details: dict[str, Any] = {}


def caller_id(request: HttpRequest) -> int:
    """Return the id of the user the request's bearer token belongs to.

    The project's API authenticates every operation that does not opt out with
    ``auth=None`` and stores the user id as ``request.auth``.
    """
    # django-ninja sets request.auth; HttpRequest's stubs do not declare it.
    return request.auth  # type: ignore[attr-defined]
