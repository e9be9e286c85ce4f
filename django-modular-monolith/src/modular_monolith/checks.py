"""System checks on the library's own settings."""

from typing import Any

from django.core import checks

from .conf import setting
from .modules import module_labels

DELIVERY_MODES = ("immediate", "worker")


def check_settings(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    if setting("EVENTS_DELIVERY") not in DELIVERY_MODES:
        errors.append(
            checks.Error(
                f"MONOLITH_EVENTS_DELIVERY must be one of {', '.join(DELIVERY_MODES)}.",
                id="modular_monolith.E001",
            )
        )
    if setting("GUARDS") not in (None, True, False, "warn"):
        errors.append(
            checks.Error(
                'MONOLITH_GUARDS must be True, False, "warn" or None (on in debug mode).',
                id="modular_monolith.E002",
            )
        )
    errors.extend(_check_remote_modules())
    return errors


def _check_remote_modules() -> list[checks.CheckMessage]:
    remote = setting("REMOTE_MODULES")
    if not remote:
        return []
    errors: list[checks.CheckMessage] = []
    unknown = sorted(set(remote) - module_labels())
    if unknown:
        errors.append(
            checks.Error(
                f"MONOLITH_REMOTE_MODULES names {', '.join(unknown)}: not installed modules.",
                hint="Install the module here too: its api is what the remote calls stand in for.",
                id="modular_monolith.E003",
            )
        )
    if not setting("REMOTE_SECRET"):
        errors.append(
            checks.Error(
                "MONOLITH_REMOTE_MODULES is set but MONOLITH_REMOTE_SECRET is empty.",
                hint="Give both processes the same secret: every remote call is signed with it.",
                id="modular_monolith.E004",
            )
        )
    return errors
