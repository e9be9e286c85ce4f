"""The production command, `gunicorn shop.wsgi`, with DEBUG off, behind a TLS-terminating proxy.

One server for the module, on a migrated SQLite file in a folder of its own, with its
static files collected, as a deployment does before starting the web process.
"""

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.production.processes import (
    HOST,
    Process,
    free_port,
    gunicorn_command,
    manage,
    production_env,
    request,
    started,
    wait_until_listening,
)

HTTPS = {"X-Forwarded-Proto": "https"}  # what the proxy adds to a request that came over TLS
PASSWORD = "a long production passphrase"
# src="/static/..." and href="/static/...": the files a page loads.
STATIC_REFERENCE = re.compile(r'(?:src|href)="(/static/[^"]+)"')


@dataclass(frozen=True)
class Site:
    port: int
    database: Path
    server: Process


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory, sqlite_database: Path) -> Iterator[Site]:
    folder = tmp_path_factory.mktemp("web")
    env = production_env(
        f"sqlite:///{sqlite_database}",
        STATIC_ROOT=str(folder / "static"),
        CONN_MAX_AGE="0",  # a connection per request: the test takes the database away
        EMAIL_URL="dummymail://",  # the output holds log lines alone
    )
    manage("collectstatic", "--no-input", env=env)
    port = free_port()
    with started(gunicorn_command(port, workers=2), env=env, log=folder / "web.log") as server:
        wait_until_listening(port, server)
        yield Site(port, sqlite_database, server)


def test_the_api_works_over_plain_http_behind_the_proxy_header(site: Site) -> None:
    credentials = {"email": "ada@example.com", "password": PASSWORD}

    registered = request(site.port, "POST", "/api/users/register", body=credentials, headers=HTTPS)
    token = request(site.port, "POST", "/api/users/token", body=credentials, headers=HTTPS)
    me = request(
        site.port,
        "GET",
        "/api/users/me",
        headers={**HTTPS, "Authorization": f"Bearer {token.json()['token']}"},
    )

    assert registered.status == 201, registered.body
    assert token.status == 200, token.body
    assert me.status == 200, me.body
    assert me.json()["email"] == "ada@example.com"


def test_plain_http_without_the_proxy_header_is_redirected_to_https(site: Site) -> None:
    answer = request(site.port, "GET", "/api/users/me")

    assert answer.status == 301
    assert answer.headers["Location"] == f"https://{HOST}/api/users/me"


def test_a_client_that_is_not_the_proxy_cannot_claim_https(
    tmp_path: Path, sqlite_database: Path
) -> None:
    env = production_env(f"sqlite:///{sqlite_database}", FORWARDED_ALLOW_IPS="192.0.2.1")
    port = free_port()
    with started(gunicorn_command(port), env=env, log=tmp_path / "web.log") as server:
        wait_until_listening(port, server)
        answer = request(port, "GET", "/api/users/me", headers=HTTPS)  # from 127.0.0.1

    assert answer.status == 301
    assert answer.headers["Location"] == f"https://{HOST}/api/users/me"


@pytest.mark.parametrize(
    ("page", "kind"), [("/api/docs", "text/css"), ("/admin/login/", "text/css")]
)
def test_the_api_docs_and_the_admin_load_their_static_files(
    site: Site, page: str, kind: str
) -> None:
    answer = request(site.port, "GET", page, headers=HTTPS)
    assert answer.status == 200, answer.body
    files = STATIC_REFERENCE.findall(answer.body.decode())
    assert files, answer.body

    loaded = {path: request(site.port, "GET", path, headers=HTTPS) for path in files}

    assert {path: a.status for path, a in loaded.items()} == dict.fromkeys(files, 200)
    assert any(a.headers["Content-Type"].startswith(kind) for a in loaded.values())
    # Hashed names, cached by browsers for good.
    assert all("immutable" in a.headers.get("Cache-Control", "") for a in loaded.values())


@pytest.mark.parametrize("host", [HOST, "10.1.2.3:8000"])
def test_the_probes_answer_plain_http_from_any_host(site: Site, host: str) -> None:
    live = request(site.port, "GET", "/health/live", headers={"Host": host})
    ready = request(site.port, "GET", "/health/ready", headers={"Host": host})

    assert (live.status, live.json()) == (200, {"status": "ok"})
    assert ready.status == 200, ready.body
    assert ready.json() == {"status": "ok", "checks": {"database": "ok", "outbox": "ok"}}


def test_readiness_is_503_while_the_database_is_gone_and_liveness_stays_200(site: Site) -> None:
    moved = site.database.parent.with_name("moved")
    site.database.parent.rename(moved)
    try:
        ready = request(site.port, "GET", "/health/ready")
        live = request(site.port, "GET", "/health/live")
    finally:
        moved.rename(site.database.parent)
    back = request(site.port, "GET", "/health/ready")

    assert ready.status == 503, ready.body
    assert ready.json()["status"] == "unavailable"
    assert ready.json()["checks"]["database"] == "unavailable"
    assert live.status == 200
    assert back.status == 200, back.body


def test_each_request_logs_one_json_line_with_its_id(site: Site) -> None:
    headers = {**HTTPS, "X-Request-ID": "lb-1234-abcd"}
    answer = request(site.port, "GET", "/api/openapi.json", headers=headers)

    assert answer.headers["X-Request-ID"] == "lb-1234-abcd"
    records = [json.loads(line) for line in site.server.output().splitlines()]  # gunicorn's too
    mine = [r for r in records if r.get("request_id") == "lb-1234-abcd"]
    assert [(r["logger"], r["message"]) for r in mine] == [
        ("shop.request_log", "GET /api/openapi.json 200")
    ]
