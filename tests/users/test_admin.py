"""The admin for the custom user model, which has no username field."""

import pytest
from django.http import HttpResponse
from django.test import Client
from modular_monolith.testing import DeliverEvents

from modules.users.events import UserEmailChanged
from modules.users.models import User

PASSPHRASE = "a long admin passphrase"


@pytest.fixture
def superuser(db: None) -> User:
    return User.objects.create_superuser("root@example.com", PASSPHRASE)


@pytest.fixture
def admin(client: Client, superuser: User) -> Client:
    client.force_login(superuser)
    return client


def add_user(admin: Client, email: str) -> HttpResponse:
    """Submit the admin's add form."""
    return admin.post(
        "/admin/users/user/add/",
        {
            "email": email,
            "usable_password": "true",
            "password1": PASSPHRASE,
            "password2": PASSPHRASE,
        },
    )


def test_the_user_changelist_opens(admin: Client) -> None:
    User.objects.create_user("alice@example.com", PASSPHRASE)

    response = admin.get("/admin/users/user/")

    assert response.status_code == 200
    assert b"alice@example.com" in response.content


def test_the_user_changelist_searches_by_email(admin: Client) -> None:
    User.objects.create_user("alice@example.com", PASSPHRASE)
    User.objects.create_user("bob@example.com", PASSPHRASE)

    response = admin.get("/admin/users/user/", {"q": "alice"})

    assert response.status_code == 200
    assert b"alice@example.com" in response.content
    assert b"bob@example.com" not in response.content


def test_the_add_user_page_opens(admin: Client) -> None:
    response = admin.get("/admin/users/user/add/")

    assert response.status_code == 200
    assert b'name="email"' in response.content


@pytest.mark.parametrize("page", ["change", "password", "history", "delete"])
def test_the_pages_of_a_user_open(admin: Client, page: str) -> None:
    user = User.objects.create_user("alice@example.com", PASSPHRASE)

    response = admin.get(f"/admin/users/user/{user.pk}/{page}/")

    assert response.status_code == 200


def test_the_add_form_creates_a_user_who_can_log_in(admin: Client) -> None:
    assert add_user(admin, "Alice@EXAMPLE.com").status_code == 302

    user = User.objects.get(email="Alice@example.com")
    assert user.check_password(PASSPHRASE)
    assert not user.is_staff


def test_the_add_form_refuses_an_email_registered_already_in_another_case(admin: Client) -> None:
    User.objects.create_user("alice@example.com", PASSPHRASE)

    response = add_user(admin, "ALICE@example.com")

    assert response.status_code == 200  # the form again, with the error
    assert "email" in response.context["adminform"].form.errors
    assert User.objects.filter(email__iexact="alice@example.com").count() == 1


def test_the_change_form_refuses_another_users_email_in_another_case(admin: Client) -> None:
    User.objects.create_user("alice@example.com", PASSPHRASE)
    bob = User.objects.create_user("bob@example.com", PASSPHRASE)

    response = admin.post(
        f"/admin/users/user/{bob.pk}/change/", {"email": "Alice@example.com", "is_active": "on"}
    )

    assert response.status_code == 200
    assert "email" in response.context["adminform"].form.errors
    bob.refresh_from_db()
    assert bob.email == "bob@example.com"


def test_the_change_form_saves_a_users_own_email_in_another_case(admin: Client) -> None:
    bob = User.objects.create_user("bob@example.com", PASSPHRASE)

    response = admin.post(
        f"/admin/users/user/{bob.pk}/change/", {"email": "Bob@example.com", "is_active": "on"}
    )

    assert response.status_code == 302
    bob.refresh_from_db()
    assert bob.email == "Bob@example.com"
    assert bob.check_password(PASSPHRASE)


def test_changing_an_email_announces_it_and_saving_it_unchanged_does_not(
    admin: Client, published: list[object], deliver_events: DeliverEvents
) -> None:
    bob = User.objects.create_user("bob@example.com", PASSPHRASE)
    change = f"/admin/users/user/{bob.pk}/change/"

    with deliver_events():
        assert (
            admin.post(change, {"email": "bob@example.com", "is_active": "on"}).status_code == 302
        )
        assert (
            admin.post(change, {"email": "robert@example.com", "is_active": "on"}).status_code
            == 302
        )

    assert published == [UserEmailChanged(user_id=bob.pk, email="robert@example.com")]
