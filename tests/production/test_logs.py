"""Log lines: one JSON object each in production, with the request's id and the module;
no password, token or credential in any of them, whatever a client sends.

The project's own handler (its filters and format, from ``settings.LOGGING``) writes
into a buffer that the tests read, so they see exactly what a deployment would print.
"""

import base64
import copy
import io
import json
import logging
import logging.config
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from modules.users import api as users

pytestmark = pytest.mark.django_db

PASSWORD = "Sw0rdfish-of-the-deep-2024"
WELL_FORMED_ID = re.compile(r"[A-Za-z0-9._:=-]{8,128}")
Lines = Callable[[], list[str]]


@contextmanager
def _console_output(log_format: str) -> Iterator[Lines]:
    """The lines the project's console handler prints, in ``log_format``, while the block runs."""
    buffer = io.StringIO()
    config = copy.deepcopy(settings.LOGGING)
    config["handlers"]["console"].update(formatter=log_format, stream=buffer)
    logging.config.dictConfig(config)
    try:
        yield lambda: buffer.getvalue().splitlines()
    finally:
        logging.config.dictConfig(settings.LOGGING)


@pytest.fixture(params=["json", "text"])
def log_lines(request: pytest.FixtureRequest) -> Iterator[Lines]:
    with _console_output(request.param) as lines:
        yield lines


@pytest.fixture
def json_lines() -> Iterator[Callable[[], list[dict[str, Any]]]]:
    with _console_output("json") as lines:
        yield lambda: [json.loads(line) for line in lines() if line.startswith("{")]


def _post(client: Client, path: str, body: Any, **headers: str) -> Any:
    return client.post(path, body, content_type="application/json", headers=headers)


def test_a_request_without_an_id_gets_one(client: Client) -> None:
    first = client.get("/health/live")
    second = client.get("/api/openapi.json")
    third = client.get("/api/openapi.json")

    assert "X-Request-ID" not in first  # the probes answer before the request log
    assert WELL_FORMED_ID.fullmatch(second["X-Request-ID"])
    assert second["X-Request-ID"] != third["X-Request-ID"]


@pytest.mark.parametrize(
    "given", ["7f3c2a9e-1b4d-4c8e-9f0a-123456789abc", "Root=1-67891233-abcdef012345678912345678"]
)
def test_the_proxys_request_id_is_kept(client: Client, given: str) -> None:
    assert client.get("/api/openapi.json", headers={"X-Request-ID": given})["X-Request-ID"] == given


@pytest.mark.parametrize(
    "given",
    ["short", "has spaces in it", "x" * 129, "abc12345\nFAKE LOG LINE", "<script>1</script>"],
)
def test_a_malformed_request_id_is_replaced(client: Client, given: str) -> None:
    answered = client.get("/api/openapi.json", headers={"X-Request-ID": given})["X-Request-ID"]

    assert answered != given
    assert WELL_FORMED_ID.fullmatch(answered)


def test_a_json_line_carries_the_request_id_and_the_module_of_the_code_that_logged(
    client: Client,
    json_lines: Callable[[], list[dict[str, Any]]],
    make_user: Callable[..., users.UserDTO],
    auth: Callable[[users.UserDTO], dict[str, str]],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    headers = {**auth(make_user()), "X-Request-ID": "req-0001-abcd"}
    check_token = users.authenticate_token

    def logging_check(token: str) -> int | None:  # users' code, logging as a module does
        logging.getLogger("modules.users.tokens").info("Checking a token")
        return check_token(token)

    monkeypatch.setattr(users, "authenticate_token", logging_check)
    assert client.get("/api/users/me", headers=headers).status_code == 200
    logging.getLogger("modules.users.tokens").info("Outside any request")

    records = {r["message"]: r for r in json_lines()}
    inside, request_line = records["Checking a token"], records["GET /api/users/me 200"]
    assert (inside["module"], inside["request_id"]) == ("users", "req-0001-abcd")
    assert (request_line["module"], request_line["request_id"]) == ("", "req-0001-abcd")
    assert request_line["status"] == 200
    assert (
        records["Outside any request"]["module"],
        records["Outside any request"]["request_id"],
    ) == ("users", "")


def test_djangos_own_error_lines_carry_the_request_id(
    client: Client, json_lines: Callable[[], list[dict[str, Any]]]
) -> None:
    client.get("/api/users/me", headers={"X-Request-ID": "req-0002-abcd"})

    unauthorized = next(r for r in json_lines() if r["logger"] == "django.request")
    assert unauthorized["request_id"] == "req-0002-abcd"
    assert "request" not in unauthorized  # the request's repr would show its query string


@pytest.mark.parametrize("debug", [False, True], ids=["debug off", "debug on"])
def test_no_credential_reaches_a_log_line(
    client: Client, log_lines: Lines, settings: Any, debug: bool
) -> None:
    settings.DEBUG = debug
    email = "grace@example.com"
    credentials = {"email": email, "password": PASSWORD}
    _post(client, "/api/users/register", credentials)
    token = _post(client, "/api/users/token", credentials).json()["token"]
    basic = base64.b64encode(f"{email}:{PASSWORD}".encode()).decode()
    secrets = [PASSWORD, token, basic, "session-cookie-value-42"]

    for authorization in [
        f"Basic {basic}",
        f"Token {token}",
        token,
        f"Bearer {token}x",
        f"bearer{token}",
        f"Digest username={email}, response={PASSWORD}",
    ]:
        client.get("/api/users/me", headers={"Authorization": authorization})
    client.get(f"/api/users/me?access_token={token}&password={PASSWORD}")
    client.get("/api/nope", headers={"Cookie": "sessionid=session-cookie-value-42"})
    _post(client, "/api/users/token", {"email": email, "password": PASSWORD + "!"})  # wrong
    _post(client, "/api/users/register", {"email": "bad", "password": PASSWORD})  # refused
    _post(client, "/api/users/register", {"email": email, "password": [PASSWORD]})  # invalid
    client.post("/api/users/token", f'{{"password": "{PASSWORD}"', content_type="application/json")
    client.post("/api/users/token", f"password={PASSWORD}" * 200_000, content_type="text/plain")

    lines = log_lines()
    assert len(lines) >= 12  # the requests were logged...
    leaks = [line for line in lines if any(secret in line for secret in secrets)]
    assert leaks == []  # ...and no secret with them
