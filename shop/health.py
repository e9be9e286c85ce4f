"""The load balancer's probes: liveness and readiness, answered before anything else.

``GET /health/live``  200 while the process answers requests; it checks nothing else, so
                      a database outage never makes the orchestrator restart every process.
``GET /health/ready`` 200 when this process can do its work: the database answers, the
                      broker too when ``EVENTS_BROKER_URL`` is set, and the outbox's due
                      deliveries are under ``READINESS_MAX_OUTBOX_BACKLOG``; 503 otherwise,
                      naming the check that failed.

The middleware that answers them comes first, before the HTTPS redirect and the host
check: a probe comes over plain HTTP from inside the network, to the instance's own
address, which is in no ``ALLOWED_HOSTS``.
"""

import logging
from collections.abc import Callable

from django.conf import settings
from django.db import connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from modular_monolith.conf import setting
from modular_monolith.events.backlog import outbox_backlog
from modular_monolith.events.broker import connect

logger = logging.getLogger(__name__)

LIVE = "/health/live"
READY = "/health/ready"
BROKER_TIMEOUT = 2.0  # seconds; a probe that waits longer than the balancer's timeout is no use


def liveness() -> JsonResponse:
    return JsonResponse({"status": "ok"})


def readiness() -> JsonResponse:
    """Run every check; 503 if one fails. Each check answers "ok" or what is wrong."""
    checks = {"database": _database(), "outbox": _outbox()}
    if setting("EVENTS_BROKER_URL"):
        checks["broker"] = _broker()
    ready = all(outcome == "ok" for outcome in checks.values())
    if not ready:
        logger.warning("Not ready: %s", checks, extra={"checks": checks})
    return JsonResponse(
        {"status": "ok" if ready else "unavailable", "checks": checks},
        status=200 if ready else 503,
    )


def _database() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
    except Exception:
        return "unavailable"
    return "ok"


def _outbox() -> str:
    limit = settings.READINESS_MAX_OUTBOX_BACKLOG
    if not limit:
        return "ok"
    try:
        due = outbox_backlog().due
    except Exception:
        return "unavailable"
    return "ok" if due < limit else f"{due} deliveries due (limit {limit})"


def _broker() -> str:
    try:
        with connect() as broker:
            broker.ensure_connection(max_retries=1, timeout=BROKER_TIMEOUT)
    except Exception:
        return "unavailable"
    return "ok"


class HealthProbes:
    """Answer ``GET /health/live`` and ``GET /health/ready`` without the middleware after it."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            if request.path == LIVE:
                return liveness()
            if request.path == READY:
                return readiness()
        return self.get_response(request)
