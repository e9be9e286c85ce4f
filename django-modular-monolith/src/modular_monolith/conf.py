"""The library's settings, each read from Django's settings as ``MONOLITH_<NAME>``.

Every setting has a default that fits a project laid out like the template, so a
project sets only what differs. Values are read when used, so ``override_settings``
and pytest-django's ``settings`` fixture work in tests.
"""

from pathlib import Path
from typing import Any

from django.conf import settings

PREFIX = "MONOLITH_"

DEFAULTS: dict[str, Any] = {
    # Which installed apps are modules: the dotted name of the package that holds them
    # ("modules": every app named modules.<name>), or a list of app labels or app names
    # (["polls", "blog", "myproject.apps.billing"]) wherever they live. Read once, when first used.
    "MODULES": "modules",
    # The runtime boundary guards (SQL on another module's tables, models out of a public API,
    # transactions writing two modules' tables): True raises BoundaryViolation, "warn" logs it
    # and lets the code run (for a project adopting the checks while its baseline is not empty),
    # False is off. None: True in debug mode.
    "GUARDS": None,
    # The recorded violations of gradual adoption, and the transactions modules share on
    # purpose, relative to the project root.
    "BASELINE": "boundaries-baseline.json",
    # "immediate": listeners run right after the commit, in the publishing process;
    # "worker": only `manage.py process_events` runs them. Either way the worker retries.
    "EVENTS_DELIVERY": "immediate",
    "EVENTS_MAX_ATTEMPTS": 8,  # then a delivery is failed
    "EVENTS_RETRY_DELAY": 2.0,  # seconds before the first retry, doubled per attempt
    "EVENTS_RETRY_MAX_DELAY": 3600.0,
    # The message broker for events that leave the process, e.g. amqp://guest:guest@host:5672//.
    "EVENTS_BROKER_URL": "",
    "EVENTS_EXCHANGE": "events",  # the topic exchange external events are relayed to
    "EVENTS_SOURCE": "django",  # the CloudEvents ``source`` of the events this process publishes
    # Modules served by another process, by label: {"billing": "http://127.0.0.1:8001"}. Their
    # public API functions become calls to that base URL (``modular_monolith.remote``).
    "REMOTE_MODULES": {},
    # The secret caller and served process share to sign each call. Empty: this process
    # refuses every call it is asked to serve.
    "REMOTE_SECRET": "",
    "REMOTE_TIMEOUT": 10.0,  # seconds to connect, and to wait for the answer of one attempt
    "REMOTE_RETRIES": 2,  # more attempts, for the functions marked @idempotent only
    "REMOTE_RETRY_DELAY": 0.2,  # seconds before the first retry, doubled per retry
    "REMOTE_MAX_AGE": 30,  # seconds a signed call stays valid: clocks may differ this much
    # OpenTelemetry spans (public API calls, publications, deliveries, remote calls) and the
    # outbox metrics; needs the `tracing` extra. Read once, at startup (modular_monolith.tracing).
    "TELEMETRY": False,
}


def setting(name: str) -> Any:
    """Return ``settings.MONOLITH_<name>``, or its default."""
    return getattr(settings, PREFIX + name, DEFAULTS[name])


def guards_mode() -> str:
    """How the runtime guards treat a violation: ``"raise"``, ``"warn"`` or ``"off"``."""
    configured = setting("GUARDS")
    if configured == "warn":
        return "warn"
    return "raise" if (settings.DEBUG if configured is None else configured) else "off"


def guards_enabled() -> bool:
    return guards_mode() != "off"


def project_root() -> Path:
    """The project's root directory: ``MONOLITH_ROOT``, else ``BASE_DIR``, else the working one."""
    root = getattr(settings, PREFIX + "ROOT", None) or getattr(settings, "BASE_DIR", None)
    return Path(root) if root else Path.cwd()
