"""Serving the installed modules' public APIs to other processes: one view for all of them.

``POST <prefix>/modules/<module>/<function>`` with ``{"arguments": {...}}``, signed
(``signing``), calls the function and answers:

    200 {"result": ...}                              what the function returned
    422 {"error": {"type", "message", "details"}}    one of the errors its API exports
    400 / 401 / 403 / 404 {"refused": "..."}         a malformed, unsigned, badly signed
                                                     or expired call; no such function
    500                                              anything else (logged, as any view's)

What a process serves is fixed when it starts (``serve_local_modules``, from the
library's ``AppConfig.ready``): the functions of the modules installed here and not
themselves remote, as the boundary guards left them. Binding an API to a remote
process afterwards (in a test, the same process) does not change what it serves.
"""

import importlib.util
import json
from typing import Any

from django.http import HttpRequest, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from .. import tracing
from ..conf import setting
from ..modules import installed_modules
from . import contract as contracts
from .signing import Refused, verify

_served: dict[str, contracts.ModuleContract] = {}


def serve_local_modules() -> None:
    """Fix the functions this process serves: those of each installed module that is not remote."""
    remote = setting("REMOTE_MODULES")
    _served.clear()
    for config in installed_modules():
        has_api = importlib.util.find_spec(f"{config.name}.api") is not None
        if has_api and config.label not in remote:
            _served[config.label] = contracts.contract_of(config.label)


def served_modules() -> list[str]:
    return sorted(_served)


@csrf_exempt
@require_POST
def call(request: HttpRequest, module: str, function: str) -> JsonResponse:
    """Run one public API function of a module installed here, for a signed remote caller."""
    try:
        verify(
            secret=setting("REMOTE_SECRET"),
            max_age=setting("REMOTE_MAX_AGE"),
            method=request.method or "",
            path=request.path,
            body=request.body,
            headers=request.headers,
        )
    except Refused as refused:
        return _refused(refused.status, refused.reason)
    contract = _served.get(module)
    target = contract.functions.get(function) if contract else None
    if contract is None or target is None:
        return _refused(404, f"This process serves no function {module}.{function}.")
    try:
        arguments = contracts.decode_call(target, json.loads(request.body))
    except (ValueError, TypeError, KeyError) as error:
        return _refused(400, f"The arguments do not fit {module}.{function}: {error}")
    with tracing.serving(module, function, request.headers):  # continues the caller's trace
        try:
            result = target(**arguments)
        except Exception as error:
            declared = contracts.encode_error(error, contract)
            if declared is None:
                raise  # a bug: Django logs it and answers 500
            return _answer(422, declared)
    return _answer(200, contracts.encode_result(result))


def _refused(status: int, reason: str) -> JsonResponse:
    return _answer(status, {"refused": reason})


def _answer(status: int, body: Any) -> JsonResponse:
    return JsonResponse(body, status=status, safe=False)
