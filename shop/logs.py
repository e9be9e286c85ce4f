"""The production log format: one JSON object per line, for a log collector to index."""

from typing import Any

from pythonjsonlogger.core import RESERVED_ATTRS
from pythonjsonlogger.json import JsonFormatter as _JsonFormatter

# Django attaches the request to its records ("Not Found: /api/..."): its repr holds the
# query string, which may hold a secret. The request id says which request it was.
_LEFT_OUT = ["request"]


class JsonFormatter(_JsonFormatter):
    """Every record as a JSON line, with its ``extra={...}`` fields and without the request."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, reserved_attrs=[*RESERVED_ATTRS, *_LEFT_OUT], **kwargs)
