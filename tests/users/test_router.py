"""The users endpoints, through Django's test client: /api/users/register, /token and /me."""

from collections.abc import Callable
from typing import Any

import pytest
from django.http import HttpResponse
from django.test import Client

from modules.users import api as users
from modules.users.models import User
from tests.conftest import PASSWORD

MakeUser = Callable[..., users.UserDTO]
Auth = Callable[[users.UserDTO], dict[str, str]]


def post_json(client: Client, url: str, body: Any) -> HttpResponse:
    return client.post(url, body, content_type="application/json")


def json_error(response: HttpResponse, status: int) -> str:
    """Assert the response is an error in the API's JSON format; return its message."""
    assert response.status_code == status, response.content
    assert response["Content-Type"].startswith("application/json")
    body = response.json()
    assert isinstance(body["message"], str) and body["message"]
    return body["message"]


def test_register_answers_201_with_the_new_account(client: Client, db: None) -> None:
    response = post_json(
        client, "/api/users/register", {"email": "alice@example.com", "password": PASSWORD}
    )

    assert response.status_code == 201
    user = User.objects.get()
    assert response.json() == {"id": user.pk, "email": "alice@example.com"}
    assert user.check_password(PASSWORD)


def test_register_answers_409_for_an_email_registered_already(
    client: Client, make_user: MakeUser
) -> None:
    make_user("alice@example.com")

    response = post_json(
        client, "/api/users/register", {"email": "Alice@Example.com", "password": PASSWORD}
    )

    assert "exists already" in json_error(response, 409)
    assert User.objects.count() == 1


def test_register_answers_400_with_djangos_message_for_a_weak_password(
    client: Client, db: None
) -> None:
    response = post_json(
        client, "/api/users/register", {"email": "alice@example.com", "password": "123"}
    )

    assert "This password is too short." in json_error(response, 400)
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "email",
    [
        pytest.param("not an email", id="malformed"),
        pytest.param("a" * 59 + "@" + ("b" * 63 + ".") * 3 + "com", id="longer-than-the-column"),
    ],
)
def test_register_answers_400_for_an_invalid_email(client: Client, db: None, email: str) -> None:
    response = post_json(client, "/api/users/register", {"email": email, "password": PASSWORD})

    assert json_error(response, 400) == "Enter a valid email address."
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "body",
    [
        pytest.param({"email": "alice@example.com"}, id="no-password"),
        pytest.param({"password": PASSWORD}, id="no-email"),
        pytest.param({}, id="empty-object"),
        pytest.param([], id="a-list"),
        pytest.param({"email": 1, "password": PASSWORD}, id="email-not-a-string"),
    ],
)
def test_register_answers_422_for_a_body_missing_a_field(
    client: Client, db: None, body: Any
) -> None:
    response = post_json(client, "/api/users/register", body)

    assert json_error(response, 422) == "The request is not valid."
    assert response.json()["details"]["errors"]
    assert not User.objects.exists()


@pytest.mark.parametrize("body", ['{"email": "alice@example.com", ', "email=alice", "\x00"])
def test_register_answers_400_for_a_body_that_is_not_json(
    client: Client, db: None, body: str
) -> None:
    response = post_json(client, "/api/users/register", body)

    json_error(response, 400)
    assert not User.objects.exists()


def test_token_answers_200_with_a_token_for_the_user(client: Client, make_user: MakeUser) -> None:
    alice = make_user("alice@example.com")

    response = post_json(
        client, "/api/users/token", {"email": "alice@example.com", "password": PASSWORD}
    )

    assert response.status_code == 200
    assert set(response.json()) == {"token"}
    assert users.authenticate_token(response.json()["token"]) == alice.id


@pytest.mark.parametrize(
    ("email", "password"),
    [
        pytest.param("alice@example.com", "not the passphrase", id="wrong-password"),
        pytest.param("nobody@example.com", PASSWORD, id="unknown-email"),
        pytest.param("alice\x00@example.com", PASSWORD, id="nul-in-email"),
    ],
)
def test_token_answers_401_for_wrong_credentials(
    client: Client, make_user: MakeUser, email: str, password: str
) -> None:
    make_user("alice@example.com")

    response = post_json(client, "/api/users/token", {"email": email, "password": password})

    assert json_error(response, 401) == "Wrong email or password."


def test_me_answers_with_the_caller(client: Client, make_user: MakeUser, auth: Auth) -> None:
    alice = make_user("alice@example.com")
    make_user("bob@example.com")

    response = client.get("/api/users/me", headers=auth(alice))

    assert response.status_code == 200
    assert response.json() == {"id": alice.id, "email": "alice@example.com"}


@pytest.mark.parametrize(
    "headers",
    [
        pytest.param({}, id="no-header"),
        pytest.param({"Authorization": "Bearer garbage"}, id="garbage-token"),
        pytest.param({"Authorization": "Bearer "}, id="empty-token"),
        pytest.param({"Authorization": "Basic YWxpY2U6c2VjcmV0"}, id="basic-auth"),
    ],
)
def test_me_answers_401_without_a_valid_token(
    client: Client, db: None, headers: dict[str, str]
) -> None:
    response = client.get("/api/users/me", headers=headers)

    assert "Bearer" in json_error(response, 401)


def test_me_answers_401_once_the_account_is_deactivated(
    client: Client, make_user: MakeUser, auth: Auth
) -> None:
    alice = make_user("alice@example.com")
    headers = auth(alice)
    User.objects.filter(pk=alice.id).update(is_active=False)

    response = client.get("/api/users/me", headers=headers)

    json_error(response, 401)
