"""GET /api/health: a public probe for load balancers that checks the database."""

from typing import Any, NoReturn

import pytest
from django.db import OperationalError, connections
from django.test import Client

pytestmark = pytest.mark.django_db


def test_health_is_ok_when_the_database_answers(client: Client) -> None:
    response = client.get("/api/health")

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"status": "ok", "database": "ok"}


def test_health_is_503_in_json_when_the_database_cursor_raises(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    def unreachable(*args: Any, **kwargs: Any) -> NoReturn:
        raise OperationalError("could not connect to server")

    with monkeypatch.context() as patch:
        patch.setattr(type(connections["default"]), "cursor", unreachable)
        response = client.get("/api/health")

    assert response.status_code == 503
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"status": "error", "database": "unavailable"}
