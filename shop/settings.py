"""Django settings, read from the environment (see ``.env.example``).

Every value a deployment changes comes from an environment variable, parsed by
django-environ. Development runs with ``DEBUG=true`` and needs nothing else; a
deployment must set ``SECRET_KEY`` and ``ALLOWED_HOSTS``.
"""

from pathlib import Path

import django
import environ
from django.core.exceptions import ImproperlyConfigured
from modular_monolith.modules import select_modules

BASE_DIR = Path(__file__).resolve().parent.parent
# The project package's name: where its events come from, and its default sender of mail.
PROJECT = __name__.rpartition(".")[0]

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env")  # optional; real environment variables win

DEBUG = env.bool("DEBUG", default=False)

SECRET_KEY = env.str("SECRET_KEY", default="")
if not SECRET_KEY:
    if not DEBUG:
        raise ImproperlyConfigured(
            "SECRET_KEY is not set. Set it in the environment (or .env), "
            "or set DEBUG=true for local development."
        )
    SECRET_KEY = "insecure-development-key-never-use-in-production"

ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["localhost", "127.0.0.1"] if DEBUG else [])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

# The domain modules are the packages under modules/ that have an apps.py: all of them by
# default, or a subset (INSTALL_MODULES=orders,notifications) plus the modules they import.
# The module owning the user model is always installed: the project authenticates with it.
MONOLITH_MODULES = "modules"
AUTH_USER_MODEL = "users.User"
_modules = select_modules(
    BASE_DIR,
    package=MONOLITH_MODULES,
    only=env.list("INSTALL_MODULES", default=[]),
    always=[AUTH_USER_MODEL.split(".")[0]],
)

INSTALLED_APPS = [
    "modular_monolith",  # first: its boundary guards wrap the modules' APIs before anyone uses them
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "ninja",  # serves the API docs page from its own static files
    *_modules,
]

MIDDLEWARE = [
    # First: the load balancer's probes answer over plain HTTP, whatever the Host header.
    "shop.health.HealthProbes",
    "shop.request_log.RequestLog",  # X-Request-ID, on every log line; one line per request
    "django.middleware.security.SecurityMiddleware",
    # Serves STATIC_ROOT (`manage.py collectstatic`) from the app: the admin's CSS and the
    # API docs page work with DEBUG off, with no web server in front configured for them.
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "shop.middleware.JsonApiErrors",
]

ROOT_URLCONF = "shop.urls"
WSGI_APPLICATION = "shop.wsgi.application"
ASGI_APPLICATION = "shop.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
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

# SQLite by default so that `make run` needs nothing installed;
# DATABASE_URL=postgres://user@host:5432/name switches to PostgreSQL.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
# Keep connections open between requests (seconds). Health checks drop broken ones: a
# `SELECT 1` when a request first uses a connection it reuses.
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = env.bool("CONN_HEALTH_CHECKS", default=True)
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Take the write lock when a transaction starts, so that concurrent writers
    # (the dev server's threads, the event worker) queue up instead of failing.
    DATABASES["default"].setdefault("OPTIONS", {})["transaction_mode"] = "IMMEDIATE"
# More databases, one variable each: DATABASE_URL_<ALIAS>=<url> adds the alias <alias>
# (lowercase). Extracting a module uses one to move its tables to the module's own database:
# DATABASE_URL_PAYMENTS=postgres://... then `manage.py copy_module_data payments --to payments`
# (docs/extracting-a-module.md). Nothing is routed to them: only commands that name them use them.
for _variable in sorted(env.ENVIRON):
    if _variable.startswith("DATABASE_URL_") and env.ENVIRON[_variable]:
        DATABASES[_variable.removeprefix("DATABASE_URL_").lower()] = env.db_url(_variable)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# The modular-monolith library (django-modular-monolith): its settings start with MONOLITH_.
# The runtime boundary guards refuse SQL on another module's tables and model instances
# returned by a public API: on in debug mode (and always in the test suite).
MONOLITH_GUARDS = env.bool("BOUNDARY_GUARDS", default=DEBUG)
# Events are stored in the outbox with the change that caused them.
# "immediate": listeners run right after the commit, in the publishing process (no worker needed);
# "worker": only `manage.py process_events` runs them. Either way the worker retries failures.
MONOLITH_EVENTS_DELIVERY = env.str("EVENTS_DELIVERY", default="immediate")
MONOLITH_EVENTS_MAX_ATTEMPTS = env.int("EVENTS_MAX_ATTEMPTS", default=8)  # then it is failed
MONOLITH_EVENTS_RETRY_DELAY = env.float("EVENTS_RETRY_DELAY", default=2.0)  # doubled per attempt
MONOLITH_EVENTS_RETRY_MAX_DELAY = env.float("EVENTS_RETRY_MAX_DELAY", default=3600.0)
# RabbitMQ for events that leave the process, e.g. amqp://guest:guest@127.0.0.1:5672//
MONOLITH_EVENTS_BROKER_URL = env.str("EVENTS_BROKER_URL", default="")
MONOLITH_EVENTS_EXCHANGE = env.str("EVENTS_EXCHANGE", default=f"{PROJECT}.events")
MONOLITH_EVENTS_SOURCE = PROJECT

# The API's interactive docs (/api/docs) and OpenAPI schema: they describe what anyone can
# call anyway, so they stay on in production; false hides them.
API_DOCS = env.bool("API_DOCS", default=True)

# Modules served by another process, REMOTE_MODULES=<module>=http://127.0.0.1:8001,...: their
# api functions become signed HTTP calls there, and their tables are not migrated here (the
# library's README, "Remote modules"). Both processes share REMOTE_SECRET; each serves the
# modules it runs at /internal/modules/ (never under /api/).
MONOLITH_REMOTE_MODULES = env.dict("REMOTE_MODULES", default={})
MONOLITH_REMOTE_SECRET = env.str("REMOTE_SECRET", default="")
MONOLITH_REMOTE_TIMEOUT = env.float("REMOTE_TIMEOUT", default=10.0)
DATABASE_ROUTERS = ["modular_monolith.remote.RemoteModulesRouter"]

# Bearer tokens for the API, signed with SECRET_KEY; lifetime in seconds.
API_TOKEN_MAX_AGE = env.int("API_TOKEN_MAX_AGE", default=60 * 60 * 24)

LANGUAGE_CODE = "en-us"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = env.path("STATIC_ROOT", default=BASE_DIR / "staticfiles")
# Outside debug mode: compressed copies, and names with a content hash that browsers cache
# for good; `manage.py collectstatic` writes them before the server starts. Debug mode
# serves the files where they are, as they change, with no collectstatic.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
        if DEBUG
        else "whitenoise.storage.CompressedManifestStaticFilesStorage"
    },
}
WHITENOISE_AUTOREFRESH = DEBUG
WHITENOISE_USE_FINDERS = DEBUG

# console:// in development prints mail to the terminal; smtp://user:pass@host:587 sends it.
# Debug mode prints mail to the console; a deployment sends it (SMTP on localhost unless set).
_email = env.email_url("EMAIL_URL", default="consolemail://" if DEBUG else "smtp://localhost:25")
if django.VERSION >= (6, 1):
    # Django 6.1 replaces the EMAIL_* connection settings with MAILERS.
    _smtp = _email["EMAIL_BACKEND"].endswith(".smtp.EmailBackend")
    MAILERS = {
        "default": {
            "BACKEND": _email["EMAIL_BACKEND"],
            "OPTIONS": {
                "host": _email.get("EMAIL_HOST", ""),
                "port": _email.get("EMAIL_PORT") or 25,
                "username": _email.get("EMAIL_HOST_USER", ""),
                "password": _email.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": _email.get("EMAIL_USE_TLS", False),
                "use_ssl": _email.get("EMAIL_USE_SSL", False),
            }
            if _smtp
            else {},
        }
    }
else:
    EMAIL_BACKEND = _email["EMAIL_BACKEND"]
    EMAIL_HOST = _email.get("EMAIL_HOST", "")
    EMAIL_PORT = _email.get("EMAIL_PORT") or 25
    EMAIL_HOST_USER = _email.get("EMAIL_HOST_USER", "")
    EMAIL_HOST_PASSWORD = _email.get("EMAIL_HOST_PASSWORD", "")
    EMAIL_USE_TLS = _email.get("EMAIL_USE_TLS", False)
    EMAIL_USE_SSL = _email.get("EMAIL_USE_SSL", False)
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default=f"{PROJECT}@localhost")

# Security: strict by default outside debug mode (`manage.py check --deploy` stays clean).
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=not DEBUG)
# Under gunicorn, a request is HTTPS when the proxy's X-Forwarded-Proto says so and the proxy
# is one of FORWARDED_ALLOW_IPS (gunicorn.conf.py): a client elsewhere cannot claim it. Another
# server may need Django to read the header ("Header-Name: value"): set it only behind a proxy
# that overwrites it, since Django trusts it from anyone.
_proxy_ssl_header = env.str("SECURE_PROXY_SSL_HEADER", default="")
if _proxy_ssl_header:
    _header, _, _value = _proxy_ssl_header.partition(":")
    SECURE_PROXY_SSL_HEADER = (
        "HTTP_" + _header.strip().upper().replace("-", "_"),
        _value.strip(),
    )
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=0 if DEBUG else 60 * 60 * 24 * 30)
SECURE_HSTS_INCLUDE_SUBDOMAINS = env.bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=not DEBUG)
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=not DEBUG)
SESSION_COOKIE_SECURE = not DEBUG
CSRF_COOKIE_SECURE = not DEBUG

# Readiness (GET /health/ready) fails when more outbox deliveries than this are due:
# the worker is down or cannot keep up. 0 leaves the outbox out of readiness.
READINESS_MAX_OUTBOX_BACKLOG = env.int("READINESS_MAX_OUTBOX_BACKLOG", default=1000)

# OpenTelemetry (shop/telemetry.py configures the SDK from OTEL_* variables): the library's
# spans and outbox metrics are on when traces or metrics are exported; off, nothing is wrapped.
MONOLITH_TELEMETRY = any(
    exporter.strip().lower() not in ("", "none")
    for exporter in (
        env.str("OTEL_TRACES_EXPORTER", default="none"),
        env.str("OTEL_METRICS_EXPORTER", default="none"),
    )
)

# Logs go to standard output, one line per record: JSON in production (LOG_FORMAT=json),
# readable text in debug mode. Every record carries the request's id and the module whose
# code logged it (and, with tracing on, the trace and span ids); nothing logs headers or bodies, where tokens and passwords travel.
LOG_FORMAT = env.str("LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"LOG_FORMAT is {LOG_FORMAT!r}: set it to json or text.")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "shop.request_log.RequestIdFilter"},
        "module": {"()": "modular_monolith.logs.ModuleFilter"},
        "trace": {"()": "modular_monolith.tracing.TraceFilter"},  # "" unless tracing is on
    },
    "formatters": {
        "text": {
            "format": "%(asctime)s %(levelname)s %(name)s: %(message)s "
            "[module=%(module_label)s request=%(request_id)s]"
        },
        "json": {
            "()": "shop.logs.JsonFormatter",
            "fmt": "%(levelname)s %(name)s %(module_label)s %(request_id)s %(trace_id)s "
            "%(span_id)s %(message)s",
            "timestamp": "time",  # ISO 8601, in UTC
            "rename_fields": {
                "levelname": "level",
                "name": "logger",
                "module_label": "module",
            },
        },
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id", "module", "trace"],
        },
    },
    "root": {"handlers": ["console"], "level": env.str("LOG_LEVEL", default="INFO")},
    # Django's own loggers reach the root handler; without this they would print twice.
    "loggers": {"django": {"handlers": [], "propagate": True}},
}
