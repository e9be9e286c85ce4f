from django.contrib import admin
from django.http import HttpRequest, JsonResponse
from django.urls import path

from .api import api

urlpatterns = [
    path("admin/", admin.site.urls),
    path("api/", api.urls),
]


def json_not_found(request: HttpRequest, exception: Exception) -> JsonResponse:
    """Unknown URLs answer in JSON, like the rest of the API (used when DEBUG is off)."""
    return JsonResponse({"message": f"No such URL: {request.path}", "details": {}}, status=404)


def json_server_error(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"message": "Internal server error.", "details": {}}, status=500)


handler404 = json_not_found
handler500 = json_server_error
