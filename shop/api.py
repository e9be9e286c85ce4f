"""The HTTP API: one django-ninja router per module, mounted under /api/.

Errors become JSON responses in ``errors.py``: modules raise the error types of
``modular_monolith.errors`` and never build responses.
"""

import importlib
import importlib.util

from django.conf import settings
from django.core.exceptions import RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse
from modular_monolith.errors import DomainError
from modular_monolith.modules import installed_modules
from modular_monolith.remote import ModuleUnavailable, is_remote
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, ValidationError

from .auth import BearerToken
from .errors import error_response, module_unavailable_response, status_of

api = NinjaAPI(
    title="Shop API",
    version="1.0.0",
    description="A modular monolith: each tag is one module's router.",
    auth=BearerToken(),
    urls_namespace="api",
    # The interactive docs (/api/docs) and the schema, in production too unless API_DOCS=false.
    docs_url="/docs" if settings.API_DOCS else None,
    openapi_url="/openapi.json" if settings.API_DOCS else None,
)

# Each installed module that serves HTTP has a router.py; it is mounted at /api/<module>,
# unless the module runs in another process (its routes are that process's).
for module in installed_modules():
    if not is_remote(module.label) and importlib.util.find_spec(f"{module.name}.router"):
        api.add_router(f"/{module.label}", importlib.import_module(f"{module.name}.router").router)


@api.exception_handler(DomainError)
def domain_error(request: HttpRequest, error: DomainError) -> HttpResponse:
    return error_response(status_of(error), error.message, **error.details)


@api.exception_handler(ModuleUnavailable)
def module_unavailable(request: HttpRequest, error: ModuleUnavailable) -> HttpResponse:
    return module_unavailable_response(error)


@api.exception_handler(ValidationError)
def validation_error(request: HttpRequest, error: ValidationError) -> HttpResponse:
    fields = [{"location": ".".join(map(str, e["loc"])), "problem": e["msg"]} for e in error.errors]
    return error_response(422, "The request is not valid.", errors=fields)


@api.exception_handler(AuthenticationError)
def authentication_error(request: HttpRequest, error: AuthenticationError) -> HttpResponse:
    response = error_response(401, "Send a valid token: Authorization: Bearer <token>.")
    response["WWW-Authenticate"] = "Bearer"
    return response


@api.exception_handler(HttpError)
def http_error(request: HttpRequest, error: HttpError) -> HttpResponse:
    return error_response(error.status_code, str(error))


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Http404) -> HttpResponse:
    return error_response(404, "Not found.")


# Django refuses a request it will not read: in debug mode ninja would answer 500 with a
# traceback, and Django's own 400 page is HTML. The limits are Django's DATA_UPLOAD_* settings.
@api.exception_handler(RequestDataTooBig)
def request_too_big(request: HttpRequest, error: RequestDataTooBig) -> HttpResponse:
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    return error_response(413, "The request body is too large.", max_bytes=limit)


@api.exception_handler(SuspiciousOperation)
def unreadable_request(request: HttpRequest, error: SuspiciousOperation) -> HttpResponse:
    return error_response(400, "The request cannot be read.")
