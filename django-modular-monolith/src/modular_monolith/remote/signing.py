"""Service-to-service authentication: each call signed with the secret both processes share.

The signature is an HMAC-SHA256 (Django's ``salted_hmac``) of the method, the
path, a timestamp and a hash of the body, sent in two headers. The served
process recomputes it: a call without them is refused with 401, a call whose
signature does not match (another secret, a changed path or body) or whose
timestamp is further than ``MONOLITH_REMOTE_MAX_AGE`` seconds from its own
clock (a replay after expiry) with 403. A call replayed within that window is
accepted: only idempotent functions are safe against it, as against a retry.
"""

import hashlib
import time
from collections.abc import Mapping

from django.utils.crypto import constant_time_compare, salted_hmac

TIMESTAMP_HEADER = "X-Module-Timestamp"
SIGNATURE_HEADER = "X-Module-Signature"
_SALT = "modular_monolith.remote"


class Refused(Exception):
    """The served process refuses a call: ``status`` is 401 (unsigned) or 403 (bad signature)."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status
        self.reason = reason


def signature(*, secret: str, method: str, path: str, timestamp: str, body: bytes) -> str:
    message = "\n".join([method.upper(), path, timestamp, hashlib.sha256(body).hexdigest()])
    return salted_hmac(_SALT, message, secret=secret, algorithm="sha256").hexdigest()


def signed_headers(
    *, secret: str, method: str, path: str, body: bytes, now: float | None = None
) -> dict[str, str]:
    """The headers that authenticate a call to ``path`` with ``body``."""
    timestamp = str(int(time.time() if now is None else now))
    return {
        TIMESTAMP_HEADER: timestamp,
        SIGNATURE_HEADER: signature(
            secret=secret, method=method, path=path, timestamp=timestamp, body=body
        ),
    }


def verify(
    *,
    secret: str,
    max_age: float,
    method: str,
    path: str,
    body: bytes,
    headers: Mapping[str, str],
    now: float | None = None,
) -> None:
    """Raise ``Refused`` unless the headers sign this call with ``secret``, recently."""
    if not secret:
        raise Refused(403, "This process serves no remote calls: MONOLITH_REMOTE_SECRET is empty.")
    timestamp = headers.get(TIMESTAMP_HEADER)
    sent = headers.get(SIGNATURE_HEADER)
    if not timestamp or not sent:
        raise Refused(401, f"Unsigned call: send {TIMESTAMP_HEADER} and {SIGNATURE_HEADER}.")
    expected = signature(secret=secret, method=method, path=path, timestamp=timestamp, body=body)
    if not constant_time_compare(sent, expected):
        raise Refused(403, "The signature does not match: another secret, or a changed call.")
    try:
        age = abs((time.time() if now is None else now) - int(timestamp))
    except ValueError:
        raise Refused(403, "The timestamp is not a number of seconds.") from None
    if age > max_age:
        raise Refused(403, f"The call was signed {age:.0f} s away from now: expired.")
