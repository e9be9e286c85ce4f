"""Each request's id, on every log record it causes, and one log line per request.

The id comes from the proxy's ``X-Request-ID`` header when it looks like one (so a
request can be followed from the load balancer's log into ours), or is generated;
the response echoes it. Only the method, the path and the status are logged: never
headers, query strings or bodies, where tokens and passwords travel.
"""

import logging
import re
import time
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

HEADER = "X-Request-ID"
# Letters, digits and - _ . : = (UUIDs, hex, "Root=1-..." trace ids); otherwise a new id.
_WELL_FORMED = re.compile(r"[A-Za-z0-9._:=-]{8,128}")

_request_id: ContextVar[str] = ContextVar("request_id", default="")
logger = logging.getLogger(__name__)


def current_request_id() -> str:
    """The id of the request this code runs for, or ``""`` outside a request."""
    return _request_id.get()


class RequestLog:
    """Give each request an id (``request.id``, the ``X-Request-ID`` header) and log its outcome."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get(HEADER, "")
        request_id = given if _WELL_FORMED.fullmatch(given) else uuid.uuid4().hex
        request.id = request_id  # type: ignore[attr-defined]
        token = _request_id.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response[HEADER] = request_id
            logger.info(
                "%s %s %d",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            _request_id.reset(token)


class RequestIdFilter(logging.Filter):
    """Set ``record.request_id`` to the current request's id (``""`` outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        # Django logs a 4xx/5xx ("Not Found: /api/...") after the middleware has returned,
        # with the request in the record.
        request = getattr(record, "request", None)
        record.request_id = getattr(request, "id", "") or _request_id.get()
        return True
