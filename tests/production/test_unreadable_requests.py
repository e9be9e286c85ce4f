"""A request the API cannot read gets a JSON 4xx, with debug mode on as with it off.

Django refuses a body over ``DATA_UPLOAD_MAX_MEMORY_SIZE`` and a form with more
fields than ``DATA_UPLOAD_MAX_NUMBER_FIELDS``; without the project's handlers the
first was a 500 in debug mode.
"""

from typing import Any

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db

REGISTER = "/api/users/register"
TOO_BIG = 3 * 1024 * 1024  # over Django's 2.5 MB default
PADDING = "x" * TOO_BIG

CASES = [
    pytest.param(
        f'{{"email": "a@example.com", "password": "{PADDING}"}}',
        "application/json",
        413,
        id="JSON body over the limit",
    ),
    pytest.param(
        f"email=a%40example.com&password={PADDING}",
        "application/x-www-form-urlencoded",
        413,
        id="form body over the limit",
    ),
    pytest.param(
        "&".join(f"f{n}=1" for n in range(1001)),
        "application/x-www-form-urlencoded",
        400,
        id="form with too many fields",
    ),
    pytest.param(
        "--xyz\r\nnot a part\r\n",
        "multipart/form-data; boundary=xyz",
        400,
        id="broken multipart body",
    ),
    pytest.param("a=1", "multipart/form-data", 400, id="multipart without a boundary"),
    pytest.param(
        b'{"email": "\xff\xfe", "password": "x"}', "application/json", 400, id="body not UTF-8"
    ),
    pytest.param('{"email": ', "application/json", 400, id="JSON cut short"),
    pytest.param("\x00\x01\x02", "application/octet-stream", 400, id="binary body"),
]


@pytest.mark.parametrize("debug", [False, True], ids=["debug off", "debug on"])
@pytest.mark.parametrize(("body", "content_type", "status"), CASES)
def test_an_unreadable_request_gets_a_json_4xx(
    client: Client, settings: Any, debug: bool, body: str | bytes, content_type: str, status: int
) -> None:
    settings.DEBUG = debug

    response = client.generic("POST", REGISTER, body, content_type=content_type)

    assert response.status_code == status, response.content[:300]
    assert response["Content-Type"] == "application/json"
    assert set(response.json()) == {"message", "details"}


def test_the_limit_is_in_the_answer(client: Client) -> None:
    response = client.generic("POST", REGISTER, PADDING, content_type="application/json")

    assert response.json() == {
        "message": "The request body is too large.",
        "details": {"max_bytes": 2_621_440},
    }
