"""The boundary system checks, as ``manage.py check`` and ``runserver`` run them."""

from typing import Any

from django.core import checks

from .baseline import baseline_path, load_baseline
from .ownership import relative
from .registry import registry_violations
from .source import source_violations
from .violations import Violation


def all_violations() -> list[Violation]:
    """Every static boundary violation in the project, baseline or not."""
    return [*source_violations(), *registry_violations()]


def check_boundaries(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Report violations that are not in the baseline, and the state of the baseline."""
    violations = all_violations()
    recorded = load_baseline()
    messages = [v.as_check_message() for v in violations if v.key not in recorded]
    found = {v.key for v in violations}
    # Counted as `boundaries --write-baseline` counts them: one key may stand for several lines.
    remaining = sum(v.key in recorded for v in violations)
    if remaining:
        messages.append(
            checks.Info(
                f"{remaining} recorded boundary violation(s) remain in {relative(baseline_path())}.",
                id="boundaries.I001",
            )
        )
    fixed = sorted(recorded - found)
    if fixed:
        messages.append(
            checks.Warning(
                f"{len(fixed)} recorded boundary violation(s) are fixed: {'; '.join(fixed)}.",
                hint="Run `manage.py boundaries --write-baseline` so that they cannot come back.",
                id="boundaries.W008",
            )
        )
    return messages
