from modular_monolith.errors import AuthenticationFailed, Conflict, DomainError, NotFound


class UsersError(DomainError):
    """Base class for the errors of the users module."""


class UserNotFound(UsersError, NotFound):
    """No user has this id."""


class EmailAlreadyRegistered(UsersError, Conflict):
    """An account with this email address exists already."""


class InvalidPassword(UsersError):
    """The password does not pass Django's password validators."""


class InvalidCredentials(UsersError, AuthenticationFailed):
    """The email and password do not match an active account."""
