"""How API callers authenticate: ``Authorization: Bearer <token>`` from /api/users/token."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from modules.users import api as users


class BearerToken(HttpBearer):
    """Accept tokens issued by the users module; ``request.auth`` becomes the user id."""

    def authenticate(self, request: HttpRequest, token: str) -> int | None:
        return users.authenticate_token(token)
