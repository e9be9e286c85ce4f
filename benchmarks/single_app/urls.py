from django.urls import path

from .store.api import api

urlpatterns = [path("api/", api.urls)]
