"""Events published by the users module."""

from dataclasses import dataclass

from modular_monolith.events import event


@event("users.UserRegistered", version=1, external=True)
@dataclass(frozen=True, kw_only=True)
class UserRegistered:
    """A new account was created."""

    user_id: int
    email: str
