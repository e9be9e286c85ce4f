"""The endpoint that serves the installed modules to other processes.

Mount it beside, never under, the public API: ``path("", include("modular_monolith.remote.urls"))``
answers at ``/internal/modules/<module>/<function>``, where callers look for it.
"""

from django.urls import path

from .server import call

PREFIX = "internal/modules/"

app_name = "modular_monolith_remote"
urlpatterns = [path(PREFIX + "<str:module>/<str:function>", call, name="call")]
