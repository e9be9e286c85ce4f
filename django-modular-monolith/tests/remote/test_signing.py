"""Signed calls: what the served process accepts and what it refuses, with which status."""

from typing import Any

import pytest

from modular_monolith.remote.signing import (
    SIGNATURE_HEADER,
    TIMESTAMP_HEADER,
    Refused,
    signed_headers,
    verify,
)

SECRET = "shared secret"
NOW = 1_800_000_000.0
PATH = "/internal/modules/notes/get_note"
BODY = b'{"arguments": {"note_id": 1}}'


def sign(*, secret: str = SECRET, now: float = NOW) -> dict[str, str]:
    return signed_headers(secret=secret, method="POST", path=PATH, body=BODY, now=now)


def check(
    headers: dict[str, str],
    *,
    secret: str = SECRET,
    method: str = "POST",
    path: str = PATH,
    body: bytes = BODY,
) -> None:
    verify(secret=secret, max_age=30, method=method, path=path, body=body, headers=headers, now=NOW)


def test_a_call_signed_with_the_secret_is_accepted() -> None:
    check(sign())


def test_a_call_signed_within_the_allowed_clock_difference_is_accepted() -> None:
    check(sign(now=NOW - 30))


@pytest.mark.parametrize("missing", [TIMESTAMP_HEADER, SIGNATURE_HEADER])
def test_an_unsigned_call_is_refused_with_401(missing: str) -> None:
    headers = sign()
    del headers[missing]

    with pytest.raises(Refused) as refused:
        check(headers)

    assert refused.value.status == 401


@pytest.mark.parametrize(
    "tampered",
    [
        {"secret": "another secret"},
        {"path": "/internal/modules/notes/write_note"},
        {"method": "PUT"},
        {"body": b'{"arguments": {"note_id": 2}}'},
    ],
    ids=["secret", "path", "method", "body"],
)
def test_a_call_signed_with_another_secret_or_changed_since_is_refused_with_403(
    tampered: dict[str, Any],
) -> None:
    headers = sign()

    with pytest.raises(Refused, match="does not match") as refused:
        check(headers, **tampered)

    assert refused.value.status == 403


@pytest.mark.parametrize("signed_at", [NOW - 31, NOW + 31], ids=["replayed", "from-the-future"])
def test_a_call_signed_too_long_ago_or_ahead_is_refused_as_expired(signed_at: float) -> None:
    headers = sign(now=signed_at)

    with pytest.raises(Refused, match="expired") as refused:
        check(headers)

    assert refused.value.status == 403


def test_a_process_without_a_secret_refuses_every_call() -> None:
    headers = sign(secret="")

    with pytest.raises(Refused, match="MONOLITH_REMOTE_SECRET is empty") as refused:
        check(headers, secret="")

    assert refused.value.status == 403
