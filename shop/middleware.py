"""Keep every error under /api/ in the API's JSON format."""

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from .errors import error_response


class JsonApiErrors:
    """Turn an error response under /api/ that is not JSON into ``{"message", "details"}``.

    The API's own errors are JSON already (``errors.py``); this catches what is
    answered before them, such as django-ninja's 405 for a method a path does not
    take, or Django's debug 404 page.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        response = self.get_response(request)
        if (
            request.path.startswith("/api/")
            and response.status_code >= 400
            and not response.get("Content-Type", "").startswith("application/json")
        ):
            json_response = error_response(response.status_code, f"{response.reason_phrase}.")
            if response.has_header("Allow"):
                json_response["Allow"] = response["Allow"]
            return json_response
        return response
