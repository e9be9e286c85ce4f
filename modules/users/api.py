"""The public interface of the users module."""

from dataclasses import dataclass

from . import selectors, services, tokens
from .errors import (
    EmailAlreadyRegistered,
    InvalidCredentials,
    InvalidPassword,
    UserNotFound,
    UsersError,
)
from .models import User

__all__ = [
    "EmailAlreadyRegistered",
    "InvalidCredentials",
    "InvalidPassword",
    "UserDTO",
    "UserNotFound",
    "UsersError",
    "authenticate_token",
    "get_user",
    "issue_token",
    "register_user",
]


@dataclass(frozen=True, kw_only=True)
class UserDTO:
    id: int
    email: str
    is_active: bool


def get_user(user_id: int) -> UserDTO:
    """Return the user with this id, or raise ``UserNotFound``."""
    return _to_dto(selectors.user_get(user_id=user_id))


def register_user(*, email: str, password: str) -> UserDTO:
    """Create an account; raise ``EmailAlreadyRegistered`` or ``InvalidPassword`` if refused."""
    return _to_dto(services.user_register(email=email, password=password))


def issue_token(*, email: str, password: str) -> str:
    """Return a bearer token for these credentials, or raise ``InvalidCredentials``."""
    return tokens.token_issue(services.user_authenticate(email=email, password=password))


def authenticate_token(token: str) -> int | None:
    """Return the id of the active user a bearer token belongs to, or None if it is not valid."""
    user = tokens.token_user(token)
    return user.pk if user else None


def _to_dto(user: User) -> UserDTO:
    return UserDTO(id=user.pk, email=user.email, is_active=user.is_active)
