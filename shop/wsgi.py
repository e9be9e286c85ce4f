"""WSGI entry point: ``gunicorn shop.wsgi``."""

import os

from django.core.wsgi import get_wsgi_application

from shop import telemetry

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shop.settings")
telemetry.configure()  # in each gunicorn worker: the app is loaded after the fork

application = get_wsgi_application()
