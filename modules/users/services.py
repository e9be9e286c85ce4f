from django.contrib.auth import authenticate
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from modular_monolith.events import publish

from .errors import EmailAlreadyRegistered, InvalidCredentials, InvalidPassword, UsersError
from .events import UserEmailChanged, UserRegistered
from .models import User


@transaction.atomic
def user_register(*, email: str, password: str) -> User:
    """Create an account and announce it with ``UserRegistered``."""
    email = User.objects.normalize_email(email).strip()
    try:
        validate_email(email)
        # The column's length too: PostgreSQL refuses a longer address (DataError).
        User._meta.get_field("email").run_validators(email)
    except ValidationError as error:
        raise UsersError("Enter a valid email address.") from error
    if User.objects.filter(email__iexact=email).exists():
        raise EmailAlreadyRegistered(f"An account with {email} exists already.")
    try:
        validate_password(password, user=User(email=email))
    except ValidationError as error:
        raise InvalidPassword(" ".join(error.messages)) from error
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=password)
    except IntegrityError as error:  # a concurrent registration won the race
        raise EmailAlreadyRegistered(f"An account with {email} exists already.") from error
    publish(UserRegistered(user_id=user.pk, email=user.email))
    return user


def user_email_changed(user: User) -> None:
    """Announce a user's new address, in the transaction that saved it.

    Other modules keep their own copy of what they need (notifications, the address).
    """
    publish(UserEmailChanged(user_id=user.pk, email=user.email))


def user_authenticate(*, email: str, password: str) -> User:
    """Return the active user with these credentials, or raise ``InvalidCredentials``."""
    # PostgreSQL refuses a NUL character in a query (DataError); no address holds one.
    user = None if "\x00" in email else authenticate(email=email, password=password)
    if user is None:
        raise InvalidCredentials("Wrong email or password.")
    return user
