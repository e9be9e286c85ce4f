"""Calling a module served by another process through functions that look like its own.

``bind(label, base_url)`` replaces each public function of the module's ``api``
with one of the same name, signature and docstring that signs the call, posts
it to ``<base_url>/internal/modules/<label>/<function>``, and returns the result
decoded into the API's own types, or raises the error the module raised, as the
API's own class. Callers (``from modules.billing import api as billing``, then
``billing.charge(...)``) look the function up when they call it, so they do not
change. A function imported by name (``from ...api import charge``) before the
binding keeps the local one: import the ``api`` module, as the boundary rules ask.

Every attempt has a timeout (``MONOLITH_REMOTE_TIMEOUT``). A call that found no
service, timed out or found it restarting (502, 503, 504) is tried again
(``MONOLITH_REMOTE_RETRIES``) only if the function is ``@idempotent``; in the
end, and for any answer that is neither a result nor a declared error, it
raises ``ModuleUnavailable``.
"""

import functools
import json
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import urlsplit

import httpx

from .. import tracing
from ..conf import setting
from ..modules import module_labels
from . import contract as contracts
from .errors import ModuleUnavailable
from .idempotent import is_idempotent
from .signing import signed_headers
from .urls import PREFIX

logger = logging.getLogger(__name__)

_RESTARTING = frozenset({502, 503, 504})  # a proxy or server with no worker ready: try again


class RemoteModule:
    """The process that serves one module, at ``base_url``: one pool of connections to it."""

    def __init__(self, contract: contracts.ModuleContract, base_url: str) -> None:
        self.contract = contract
        self.label = contract.label
        self.base_url = base_url.rstrip("/")
        self._http = httpx.Client()

    def call(self, name: str, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
        """Call the function ``name`` of the module; return its result or raise its error."""
        function = self.contract.functions[name]
        body = json.dumps(contracts.encode_call(function, args, kwargs)).encode()
        url = f"{self.base_url}/{PREFIX}{self.label}/{name}"
        attempts = 1 + (setting("REMOTE_RETRIES") if is_idempotent(function) else 0)
        reached = False  # whether any attempt may have run the call on the other side
        for attempt in range(1, attempts + 1):
            try:
                response = self._post(url, body)
            except httpx.TransportError as error:
                # A refused connection sent nothing; anything else (a timeout) may have.
                reached = reached or not isinstance(error, httpx.ConnectError)
                failure = ModuleUnavailable(
                    self.label, f"{url}: {type(error).__name__} {error}", reached=reached
                )
            else:
                if response.status_code not in _RESTARTING:
                    return self._answer(function, response)
                reached = True
                failure = ModuleUnavailable(self.label, f"{url} answered {response.status_code}")
            if attempt < attempts:
                logger.warning("%s; attempt %s of %s, retrying.", failure.reason, attempt, attempts)
                time.sleep(setting("REMOTE_RETRY_DELAY") * 2 ** (attempt - 1))
        raise failure

    def close(self) -> None:
        self._http.close()

    def _post(self, url: str, body: bytes) -> httpx.Response:
        headers = signed_headers(
            secret=setting("REMOTE_SECRET"), method="POST", path=urlsplit(url).path, body=body
        )
        return self._http.post(
            url,
            content=body,
            headers={**headers, "Content-Type": "application/json", **tracing.outgoing_headers()},
            timeout=setting("REMOTE_TIMEOUT"),
        )

    def _answer(self, function: Callable[..., Any], response: httpx.Response) -> Any:
        try:
            body = response.json()
        except ValueError:
            body = None
        if response.status_code == 200 and isinstance(body, dict) and "result" in body:
            return contracts.decode_result(function, body)
        if response.status_code == 422:
            error = contracts.decode_error(body, self.contract)
            if error is not None:
                raise error
        refused = body.get("refused") if isinstance(body, dict) else response.text[:200]
        raise ModuleUnavailable(
            self.label, f"{response.url} answered {response.status_code}: {refused}"
        )


def remote_function(remote: RemoteModule, name: str) -> Callable[..., Any]:
    """A stand-in for the function ``name`` of the module that calls it in ``remote``."""

    @functools.wraps(remote.contract.functions[name])  # its name, signature, docstring, marks
    def call_remotely(*args: Any, **kwargs: Any) -> Any:
        return remote.call(name, args, kwargs)

    call_remotely.remote_module = remote  # type: ignore[attr-defined]
    return call_remotely


def bind(label: str, base_url: str) -> dict[str, Callable[..., Any]]:
    """Make the public functions of the module ``label`` calls to ``base_url``.

    Return the functions replaced, by name, to put them back (tests do).
    """
    contract = contracts.contract_of(label)
    remote = RemoteModule(contract, base_url)
    for name in contract.functions:
        setattr(contract.api, name, remote_function(remote, name))
    return contract.functions


def unbind(label: str, functions: dict[str, Callable[..., Any]]) -> None:
    """Put back the local functions ``bind`` replaced, and close its connections."""
    api = contracts.contract_of(label).api
    for name, function in functions.items():
        remote = getattr(getattr(api, name), "remote_module", None)
        if remote is not None:
            remote.close()
        setattr(api, name, function)


def bind_remote_modules() -> None:
    """Bind each module of ``MONOLITH_REMOTE_MODULES`` to its base URL (at startup)."""
    for label, base_url in setting("REMOTE_MODULES").items():
        if label in module_labels():  # else the system check reports it
            bind(label, base_url)
