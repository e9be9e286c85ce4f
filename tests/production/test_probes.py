"""GET /health/live and /health/ready: what a load balancer or an orchestrator asks.

They answer before the HTTPS redirect and the host check (the probe comes over plain
HTTP to the instance's address); readiness checks the database, the broker when one
is configured, and the outbox's backlog.
"""

import socket
from datetime import timedelta
from typing import Any, NoReturn

import pytest
from django.db import OperationalError, connections
from django.test import Client
from django.utils import timezone
from modular_monolith.models import Delivery, StoredEvent

pytestmark = pytest.mark.django_db

BROKER = "amqp://guest:guest@127.0.0.1:5672//"


@pytest.fixture
def production(settings: Any) -> Any:
    """The settings of a deployment: HTTPS redirect on, one allowed host."""
    settings.SECURE_SSL_REDIRECT = True
    settings.ALLOWED_HOSTS = ["www.example.com"]
    return settings


def _due_deliveries(count: int, *, due: bool = True) -> None:
    event = StoredEvent.objects.create(
        type="tests.Happened", version=1, occurred_at=timezone.now(), payload={}
    )
    when = timezone.now() + (timedelta(minutes=-1) if due else timedelta(hours=1))
    Delivery.objects.bulk_create(
        Delivery(event=event, listener=f"tests.listener_{n}", next_attempt_at=when)
        for n in range(count)
    )


def _port_nothing_listens_on() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.mark.parametrize("path", ["/health/live", "/health/ready"])
def test_a_probe_over_plain_http_to_an_unknown_host_is_answered(
    client: Client, production: Any, path: str
) -> None:
    response = client.get(path, headers={"Host": "10.0.0.7:8000"})

    assert response.status_code == 200, response.content
    assert response["Content-Type"] == "application/json"


def test_other_plain_http_requests_are_still_redirected_and_unknown_hosts_refused(
    client: Client, production: Any
) -> None:
    redirected = client.get("/api/users/me", headers={"Host": "www.example.com"})
    refused = client.get("/api/users/me", headers={"Host": "10.0.0.7:8000"}, secure=True)

    assert redirected.status_code == 301
    assert refused.status_code == 400


def test_liveness_checks_nothing_but_the_process(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(*args: Any, **kwargs: Any) -> NoReturn:
        raise OperationalError("could not connect to server")

    monkeypatch.setattr(type(connections["default"]), "cursor", unreachable)

    assert client.get("/health/live").json() == {"status": "ok"}


def test_readiness_names_each_check(client: Client) -> None:
    response = client.get("/health/ready")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok", "outbox": "ok"}}


def test_readiness_is_503_when_the_database_cursor_raises(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(*args: Any, **kwargs: Any) -> NoReturn:
        raise OperationalError("could not connect to server")

    with monkeypatch.context() as patch:
        patch.setattr(type(connections["default"]), "cursor", unreachable)
        response = client.get("/health/ready")

    assert response.status_code == 503
    assert response.json() == {
        "status": "unavailable",
        "checks": {"database": "unavailable", "outbox": "unavailable"},
    }


def test_readiness_is_503_when_the_due_backlog_reaches_the_limit(
    client: Client, settings: Any
) -> None:
    settings.READINESS_MAX_OUTBOX_BACKLOG = 3
    _due_deliveries(2)
    _due_deliveries(5, due=False)  # retries waiting for their time are no backlog
    under = client.get("/health/ready")
    _due_deliveries(1)

    over = client.get("/health/ready")

    assert under.status_code == 200
    assert over.status_code == 503
    assert over.json()["checks"]["outbox"] == "3 deliveries due (limit 3)"


def test_a_limit_of_zero_leaves_the_backlog_out_of_readiness(client: Client, settings: Any) -> None:
    settings.READINESS_MAX_OUTBOX_BACKLOG = 0
    _due_deliveries(5)

    assert client.get("/health/ready").status_code == 200


def test_readiness_is_503_when_the_configured_broker_is_unreachable(
    client: Client, settings: Any
) -> None:
    settings.MONOLITH_EVENTS_BROKER_URL = (
        f"amqp://guest:guest@127.0.0.1:{_port_nothing_listens_on()}//"
    )

    response = client.get("/health/ready")

    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "unavailable"


def test_readiness_checks_the_broker_when_one_is_configured(client: Client, settings: Any) -> None:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", 5672)) != 0:
            pytest.skip("no RabbitMQ on 127.0.0.1:5672")
    settings.MONOLITH_EVENTS_BROKER_URL = BROKER

    response = client.get("/health/ready")

    assert response.status_code == 200, response.content
    assert response.json()["checks"] == {"database": "ok", "outbox": "ok", "broker": "ok"}
