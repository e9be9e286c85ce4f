"""The custom user model: the email address is the login, and there is no username."""

import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import FieldDoesNotExist

from modules.users.models import User


def test_the_project_uses_the_custom_user_model() -> None:
    assert get_user_model() is User


def test_the_email_is_the_username_field() -> None:
    assert User.USERNAME_FIELD == "email"
    assert User.EMAIL_FIELD == "email"
    assert User.REQUIRED_FIELDS == []
    assert User._meta.get_field("email").unique


def test_the_user_model_has_no_username_field() -> None:
    with pytest.raises(FieldDoesNotExist):
        User._meta.get_field("username")


def test_create_user_lowercases_the_domain_and_hashes_the_password(db: None) -> None:
    user = User.objects.create_user("Alice@EXAMPLE.com", "a long test passphrase")

    assert user.email == "Alice@example.com"
    assert user.password != "a long test passphrase"
    assert user.check_password("a long test passphrase")
    assert (user.is_active, user.is_staff, user.is_superuser) == (True, False, False)


def test_create_superuser_makes_staff_and_superuser(db: None) -> None:
    user = User.objects.create_superuser("root@example.com", "a long test passphrase")

    assert (user.is_active, user.is_staff, user.is_superuser) == (True, True, True)
    assert User.objects.get_by_natural_key("root@example.com") == user


def test_a_user_reads_as_its_email() -> None:
    assert str(User(email="alice@example.com")) == "alice@example.com"
