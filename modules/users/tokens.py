"""API bearer tokens, signed with Django's signing framework.

A token carries the user id and a fingerprint of the password hash, signed
with ``SECRET_KEY``. It expires after ``settings.API_TOKEN_MAX_AGE`` seconds,
and changing the password invalidates every token issued before.
"""

from django.conf import settings
from django.core import signing
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import User

_SALT = "modules.users.tokens"


def token_issue(user: User) -> str:
    return signing.dumps({"uid": user.pk, "pwd": _password_fingerprint(user)}, salt=_SALT)


def token_user(token: str) -> User | None:
    """Return the active user the token was issued to, or None if it is invalid or expired."""
    try:
        payload = signing.loads(token, salt=_SALT, max_age=settings.API_TOKEN_MAX_AGE)
        user = User.objects.get(pk=payload["uid"], is_active=True)
    except (signing.BadSignature, User.DoesNotExist, KeyError, TypeError):
        return None
    if not constant_time_compare(payload.get("pwd", ""), _password_fingerprint(user)):
        return None
    return user


def _password_fingerprint(user: User) -> str:
    return salted_hmac(_SALT, user.password, algorithm="sha256").hexdigest()[:16]
