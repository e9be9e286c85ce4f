"""Events published by the users module."""

from dataclasses import dataclass

from modular_monolith.events import event


@event("users.UserRegistered", version=1, external=True)
@dataclass(frozen=True, kw_only=True)
class UserRegistered:
    """A new account was created."""

    user_id: int
    email: str


@event("users.UserEmailChanged", version=1, external=True)
@dataclass(frozen=True, kw_only=True)
class UserEmailChanged:
    """An account's email address changed (in the admin: users has no endpoint for it)."""

    user_id: int
    email: str
