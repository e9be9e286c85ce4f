"""The library's test project: the smallest Django project that uses it, with no domain.

Its modules are two sample apps in ``tests/project/modules/`` (``notes`` publishes an
event, ``tally`` listens to it); pytest puts ``tests/project`` on the import path
(``pythonpath`` in pyproject.toml), so they import as ``modules.notes`` and
``modules.tally``, as a project's own modules would.

SQLite unless ``DATABASE_URL`` names another database (``postgres://...``); tests
marked ``postgres`` need PostgreSQL and are skipped on SQLite.
"""

import os
from pathlib import Path

import dj_database_url

TESTS_DIR = Path(__file__).resolve().parent
# The project root the boundary checks read source files from: the folder holding modules/.
BASE_DIR = TESTS_DIR / "project"

SECRET_KEY = "the library's test suite"
DEBUG = False
USE_TZ = True
TIME_ZONE = "UTC"

INSTALLED_APPS = [
    "modular_monolith",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "modules.notes",
    "modules.tally",
]

MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
]

ROOT_URLCONF = "tests.urls"
STATIC_URL = "static/"  # the live server (remote module tests) serves static files from here

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{TESTS_DIR / 'db.sqlite3'}"
    ),
}
# A second database, for the tests that move a module's tables to a database of its own.
DATABASES["target"] = {
    **DATABASES["default"],
    "NAME": str(TESTS_DIR / "target.sqlite3")
    if DATABASES["default"]["ENGINE"].endswith("sqlite3")
    else DATABASES["default"]["NAME"] + "_target",
}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# Fast hashing for the admin user the admin tests log in with.
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]

# The library's settings: where the modules live, and the broker of the relay tests
# (their consumer process gets its URL through the environment).
MONOLITH_MODULES = "modules"
MONOLITH_EVENTS_BROKER_URL = os.environ.get("MONOLITH_EVENTS_BROKER_URL", "")
MONOLITH_EVENTS_EXCHANGE = "modular_monolith.tests"
MONOLITH_EVENTS_SOURCE = "modular_monolith.tests"
