"""Which public API functions are safe to call again: the only ones a remote call retries."""

from collections.abc import Callable
from typing import Any, TypeVar

Function = TypeVar("Function", bound=Callable[..., Any])

_MARK = "__modular_monolith_idempotent__"


def idempotent(function: Function) -> Function:
    """Mark a public API function as idempotent: calling it twice does what calling it once does.

    Reads are; so is a write keyed by an idempotency key the caller passes. When
    the module runs in another process, a call to it that times out or finds
    the service restarting is retried (``MONOLITH_REMOTE_RETRIES``); an unmarked
    function is called once, because its first call may have run already.
    """
    setattr(function, _MARK, True)
    return function


def is_idempotent(function: Callable[..., Any]) -> bool:
    """Whether ``function`` (or the function it wraps) is marked ``@idempotent``."""
    return bool(getattr(function, _MARK, False))
