"""users.api.issue_token and authenticate_token: signed bearer tokens for the API."""

import time
from collections.abc import Callable
from types import SimpleNamespace

import pytest
from django.core import signing
from django.test import override_settings
from pytest_django import Settings

from modules.users import api as users
from modules.users.models import User
from tests.conftest import PASSWORD

MakeUser = Callable[..., users.UserDTO]


class Clock:
    """A stand-in for the ``time`` module that django.core.signing reads."""

    def __init__(self) -> None:
        self.now = time.time()

    def time(self) -> float:
        return self.now


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Clock:
    """Set the time that token signing and checking see, without touching ``time`` elsewhere."""
    fake = Clock()
    monkeypatch.setattr(signing, "time", SimpleNamespace(time=fake.time))
    return fake


@pytest.fixture
def alice(make_user: MakeUser) -> users.UserDTO:
    return make_user("alice@example.com")


def token_for(user: users.UserDTO) -> str:
    return users.issue_token(email=user.email, password=PASSWORD)


def test_a_fresh_token_authenticates_its_user(alice: users.UserDTO, make_user: MakeUser) -> None:
    bob = make_user("bob@example.com")

    assert users.authenticate_token(token_for(alice)) == alice.id
    assert users.authenticate_token(token_for(bob)) == bob.id


@pytest.mark.parametrize(
    ("email", "password"),
    [
        pytest.param("alice@example.com", "not the passphrase", id="wrong-password"),
        pytest.param("nobody@example.com", PASSWORD, id="unknown-email"),
        pytest.param("alice@example.com", "", id="empty-password"),
        # PostgreSQL refuses NUL in a query; it must not become a server error.
        pytest.param("alice\x00@example.com", PASSWORD, id="nul-in-email"),
    ],
)
def test_issue_token_refuses_wrong_credentials(
    alice: users.UserDTO, email: str, password: str
) -> None:
    with pytest.raises(users.InvalidCredentials, match="Wrong email or password"):
        users.issue_token(email=email, password=password)


def test_issue_token_refuses_an_inactive_user(alice: users.UserDTO) -> None:
    User.objects.filter(pk=alice.id).update(is_active=False)

    with pytest.raises(users.InvalidCredentials):
        token_for(alice)


@pytest.mark.parametrize(
    "garbage",
    ["", "garbage", "a:b", "a:b:c", "é:é:é", "{}", "null", "\x00"],
)
def test_authenticate_token_returns_none_for_garbage(alice: users.UserDTO, garbage: str) -> None:
    assert users.authenticate_token(garbage) is None


def test_authenticate_token_returns_none_for_a_tampered_token(alice: users.UserDTO) -> None:
    token = token_for(alice)
    payload, rest = token.split(":", 1)
    flipped = payload[:-1] + ("A" if payload[-1] != "A" else "B")

    assert users.authenticate_token(f"{flipped}:{rest}") is None
    assert users.authenticate_token(token[:-1]) is None
    assert users.authenticate_token(token) == alice.id


def test_authenticate_token_returns_none_for_a_token_signed_for_another_purpose(
    alice: users.UserDTO,
) -> None:
    valid = signing.loads(token_for(alice), salt="modules.users.tokens")
    other_salt = signing.dumps(valid, salt="some.other.purpose")

    assert users.authenticate_token(other_salt) is None


def test_authenticate_token_returns_none_for_a_token_signed_with_another_key(
    alice: users.UserDTO,
) -> None:
    with override_settings(SECRET_KEY="another-secret-key-from-another-deployment-0123456789"):
        foreign = token_for(alice)

    assert users.authenticate_token(foreign) is None


def test_a_token_is_valid_until_its_max_age(
    alice: users.UserDTO, settings: Settings, clock: Clock
) -> None:
    settings.API_TOKEN_MAX_AGE = 60
    token = token_for(alice)

    clock.now += 59
    assert users.authenticate_token(token) == alice.id

    clock.now += 2
    assert users.authenticate_token(token) is None


def test_authenticate_token_reads_the_max_age_from_the_settings(
    alice: users.UserDTO, settings: Settings, clock: Clock
) -> None:
    token = token_for(alice)
    clock.now += 3600

    settings.API_TOKEN_MAX_AGE = 7200
    assert users.authenticate_token(token) == alice.id

    settings.API_TOKEN_MAX_AGE = 1800
    assert users.authenticate_token(token) is None


def test_authenticate_token_returns_none_for_an_inactive_user(alice: users.UserDTO) -> None:
    token = token_for(alice)

    User.objects.filter(pk=alice.id).update(is_active=False)

    assert users.authenticate_token(token) is None


def test_authenticate_token_returns_none_for_a_deleted_user(alice: users.UserDTO) -> None:
    token = token_for(alice)

    User.objects.filter(pk=alice.id).delete()

    assert users.authenticate_token(token) is None


def test_changing_the_password_invalidates_earlier_tokens(alice: users.UserDTO) -> None:
    old_token = token_for(alice)
    user = User.objects.get(pk=alice.id)
    user.set_password("a brand new passphrase")
    user.save()

    new_token = users.issue_token(email=alice.email, password="a brand new passphrase")

    assert users.authenticate_token(old_token) is None
    assert users.authenticate_token(new_token) == alice.id


def test_a_token_does_not_carry_the_password_hash(alice: users.UserDTO) -> None:
    payload = signing.loads(token_for(alice), salt="modules.users.tokens")
    password_hash = User.objects.get(pk=alice.id).password

    assert payload["uid"] == alice.id
    assert password_hash not in str(payload)
    assert password_hash.rsplit("$", 1)[-1] not in str(payload)
