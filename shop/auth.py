"""How API callers authenticate: ``Authorization: Bearer <token>`` from /api/users/token."""

from django.http import HttpRequest
from ninja.security import HttpBearer

from modules.users import api as users


class BearerToken(HttpBearer):
    """Accept tokens issued by the users module; ``request.auth`` becomes the user id."""

    def __call__(self, request: HttpRequest) -> int | None:
        # Read the header here rather than in ninja's HttpBearer, which logs a header of
        # another scheme (Basic credentials, a token without "Bearer") in debug mode.
        scheme, _, token = request.headers.get(self.header, "").partition(" ")
        if scheme.lower() != self.openapi_scheme or not token.strip():
            return None
        return self.authenticate(request, token.strip())

    def authenticate(self, request: HttpRequest, token: str) -> int | None:
        return users.authenticate_token(token)
