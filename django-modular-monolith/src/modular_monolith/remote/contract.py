"""A module's public API as a remote contract, read from its ``api.__all__`` and type hints.

The functions are the callables ``__all__`` lists, their arguments and results
encoded by the type hints of their signature (``modular_monolith.codec``); the
errors are the exception classes it lists. Nothing is written per module: what
``api.py`` declares is what travels.

A call is ``{"arguments": {name: value}}`` (every argument by name, so a function
with positional-only parameters cannot be served); its answer is
``{"result": value}`` or ``{"error": {"type", "message", "details"}}``.
"""

import dataclasses
import importlib
import inspect
import typing
from collections.abc import Callable
from types import ModuleType
from typing import Any

from ..codec import from_json, to_json
from ..modules import module_package

Function = Callable[..., Any]


@dataclasses.dataclass(frozen=True)
class ModuleContract:
    """A module's public functions and errors, by name."""

    label: str
    api: ModuleType
    functions: dict[str, Function]
    errors: dict[str, type[Exception]]


def contract_of(label: str) -> ModuleContract:
    """Read the contract of the installed module ``label`` from its ``api`` as it is now."""
    api = importlib.import_module(f"{module_package(label)}.api")
    functions: dict[str, Function] = {}
    errors: dict[str, type[Exception]] = {}
    for name in getattr(api, "__all__", ()):
        value = getattr(api, name)
        if isinstance(value, type):
            if issubclass(value, Exception):
                errors[name] = value
        elif callable(value):
            functions[name] = value
    return ModuleContract(label=label, api=api, functions=functions, errors=errors)


def encode_call(function: Function, args: tuple[Any, ...], kwargs: dict[str, Any]) -> Any:
    """The JSON body of a call; TypeError if the arguments do not fit the signature."""
    bound = inspect.signature(function).bind(*args, **kwargs)
    return {"arguments": {name: to_json(value) for name, value in bound.arguments.items()}}


def decode_call(function: Function, body: Any) -> dict[str, Any]:
    """The keyword arguments of a call's JSON body; TypeError or ValueError if they do not fit."""
    if not isinstance(body, dict) or not isinstance(body.get("arguments"), dict):
        raise ValueError('The body must be {"arguments": {...}}.')
    hints = typing.get_type_hints(function)
    arguments = {
        name: from_json(hints.get(name, Any), value) for name, value in body["arguments"].items()
    }
    inspect.signature(function).bind(**arguments)  # a missing or unknown argument: TypeError
    return arguments


def encode_result(value: Any) -> Any:
    return {"result": to_json(value)}


def decode_result(function: Function, body: Any) -> Any:
    """The return value of ``function`` from an answer's JSON body."""
    return from_json(typing.get_type_hints(function).get("return", Any), body["result"])


def encode_error(error: Exception, contract: ModuleContract) -> Any | None:
    """The JSON body of a declared error: None if the API does not export its class (or a base)."""
    name = next(
        (cls.__name__ for cls in type(error).__mro__ if contract.errors.get(cls.__name__) is cls),
        None,
    )
    if name is None:
        return None
    message = getattr(error, "message", str(error))
    details = getattr(error, "details", {})
    return {"error": {"type": name, "message": message, "details": to_json(details)}}


def decode_error(body: Any, contract: ModuleContract) -> Exception | None:
    """The error an answer's JSON body describes, as the API's own class; None if not one."""
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return None
    cls = contract.errors.get(error.get("type", ""))
    if cls is None:
        return None
    message, details = error.get("message", ""), error.get("details") or {}
    try:
        return cls(message, details=details)  # type: ignore[call-arg]
    except TypeError:  # an error class that is not a DomainError: a message alone
        return cls(message)
