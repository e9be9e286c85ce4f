from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import include, path
from modular_monolith.remote import unregister_remote_models

from .api import api
from .errors import error_response

# A module served by another process (REMOTE_MODULES) keeps its models, and its admin, there.
unregister_remote_models(admin.site)

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
    # The installed modules' api functions, for the processes that call them remotely:
    # signed calls only, beside the public API, never under it (modular_monolith.remote).
    path("", include("modular_monolith.remote.urls")),
]


def json_not_found(request: HttpRequest, exception: Exception) -> JsonResponse:
    """Unknown URLs answer in JSON, like the rest of the API (used when DEBUG is off)."""
    return error_response(404, f"No such URL: {request.path}")


def json_server_error(request: HttpRequest) -> JsonResponse:
    return error_response(500, "Internal server error.")


handler404 = json_not_found
handler500 = json_server_error
