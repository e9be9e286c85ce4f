"""users.api: registering accounts and reading them back."""

import dataclasses
from collections.abc import Callable

import pytest
from django.db.models import Model
from modular_monolith.testing import DeliverEvents

from modules.users import api as users
from modules.users.events import UserRegistered
from modules.users.models import User
from tests.conftest import PASSWORD


def email_of_length(length: int) -> str:
    """Return an address that validate_email accepts, ``length`` characters long (197 to 260)."""
    domain = "b" * 63 + "." + "c" * 63 + "." + "d" * 63 + ".com"  # labels have at most 63
    return "a" * (length - len(domain) - 1) + "@" + domain


def test_register_user_creates_the_account_with_a_usable_password(db: None) -> None:
    user = users.register_user(email="alice@example.com", password=PASSWORD)

    stored = User.objects.get(pk=user.id)
    assert stored.email == "alice@example.com"
    assert stored.is_active
    assert not stored.is_staff
    assert stored.check_password(PASSWORD)
    assert user == users.UserDTO(id=stored.pk, email="alice@example.com", is_active=True)


def test_register_user_returns_a_frozen_data_class_not_a_model(db: None) -> None:
    user = users.register_user(email="alice@example.com", password=PASSWORD)

    assert dataclasses.is_dataclass(user)
    assert not isinstance(user, Model)
    with pytest.raises(dataclasses.FrozenInstanceError):
        user.email = "mallory@example.com"  # type: ignore[misc]


def test_register_user_lowercases_the_domain_and_strips_spaces(db: None) -> None:
    user = users.register_user(email="  Alice@Example.COM ", password=PASSWORD)

    assert user.email == "Alice@example.com"


def test_register_user_publishes_user_registered_after_commit(
    db: None, published: list[object], deliver_events: DeliverEvents
) -> None:
    with deliver_events():
        user = users.register_user(email="alice@example.com", password=PASSWORD)
        assert published == [], "delivered before the transaction committed"

    assert published == [UserRegistered(user_id=user.id, email="alice@example.com")]


def test_register_user_publishes_nothing_while_the_transaction_is_open(
    db: None, published: list[object]
) -> None:
    users.register_user(email="alice@example.com", password=PASSWORD)

    assert published == []


def test_a_refused_registration_publishes_nothing(
    db: None, published: list[object], deliver_events: DeliverEvents
) -> None:
    users.register_user(email="alice@example.com", password=PASSWORD)

    with deliver_events(), pytest.raises(users.EmailAlreadyRegistered):
        users.register_user(email="alice@example.com", password=PASSWORD)

    assert published == []


@pytest.mark.parametrize(
    "again",
    ["alice@example.com", "ALICE@example.com", "Alice@EXAMPLE.com", " alice@example.com "],
)
def test_register_user_refuses_an_email_registered_already_in_any_case(
    db: None, again: str
) -> None:
    users.register_user(email="alice@example.com", password=PASSWORD)

    with pytest.raises(users.EmailAlreadyRegistered, match="exists already"):
        users.register_user(email=again, password=PASSWORD)

    assert User.objects.count() == 1


@pytest.mark.parametrize(
    ("password", "message"),
    [
        pytest.param("123", "This password is too short.", id="short"),
        pytest.param("123", "This password is too common.", id="common"),
        pytest.param("12345678901", "This password is entirely numeric.", id="numeric"),
        pytest.param(
            "alice@example.com",
            "The password is too similar to the email address.",
            id="equal-to-the-email",
        ),
    ],
)
def test_register_user_refuses_a_weak_password_with_djangos_message(
    db: None, password: str, message: str
) -> None:
    with pytest.raises(users.InvalidPassword) as refused:
        users.register_user(email="alice@example.com", password=password)

    assert message in refused.value.message
    assert not User.objects.exists()


@pytest.mark.parametrize(
    "email",
    [
        pytest.param("", id="empty"),
        pytest.param("alice", id="no-at"),
        pytest.param("alice@", id="no-domain"),
        pytest.param("@example.com", id="no-local-part"),
        pytest.param("al ice@example.com", id="space-inside"),
        pytest.param("alice\x00@example.com", id="nul"),
        # validate_email accepts up to 320 characters; the column holds 254.
        pytest.param(email_of_length(255), id="longer-than-the-column"),
    ],
)
def test_register_user_refuses_an_invalid_email(db: None, email: str) -> None:
    with pytest.raises(users.UsersError, match="Enter a valid email address"):
        users.register_user(email=email, password=PASSWORD)

    assert not User.objects.exists()


def test_register_user_accepts_an_email_as_long_as_the_column(db: None) -> None:
    email = email_of_length(254)

    user = users.register_user(email=email, password=PASSWORD)

    assert User._meta.get_field("email").max_length == len(email)
    assert User.objects.get(pk=user.id).email == email


def test_the_database_refuses_an_address_that_differs_only_in_case(db: None) -> None:
    """The last line of defence against two registrations racing past the service's check."""
    from django.db import IntegrityError, transaction

    User.objects.create_user(email="ada@example.com", password=PASSWORD)
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create_user(email="ADA@example.com", password=PASSWORD)


def test_a_token_is_issued_for_the_address_in_any_case(db: None) -> None:
    user = users.register_user(email="Ada@Example.com", password=PASSWORD)

    token = users.issue_token(email="ada@example.com", password=PASSWORD)

    assert users.authenticate_token(token) == user.id


def test_get_user_returns_the_account(make_user: Callable[..., users.UserDTO]) -> None:
    alice = make_user("alice@example.com")
    make_user("bob@example.com")

    assert users.get_user(alice.id) == alice


def test_get_user_raises_user_not_found_for_an_unknown_id(db: None) -> None:
    with pytest.raises(users.UserNotFound, match="User 404 does not exist"):
        users.get_user(404)
