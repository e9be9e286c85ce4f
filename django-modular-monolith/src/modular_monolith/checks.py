"""System checks on the library's own settings."""

from typing import Any

from django.core import checks

from .conf import setting

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
    return errors
