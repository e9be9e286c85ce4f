"""ASGI entry point: ``uvicorn shop.asgi:application``."""

import os

from django.core.asgi import get_asgi_application

from shop import telemetry

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
telemetry.configure()

application = get_asgi_application()
