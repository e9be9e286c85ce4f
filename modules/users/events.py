"""Events published by the users module."""

from dataclasses import dataclass


@dataclass(frozen=True, kw_only=True)
class UserRegistered:
    """A new account was created."""

    user_id: int
    email: str
