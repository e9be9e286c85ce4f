"""The boundary system checks, as ``manage.py check`` and ``runserver`` run them."""

from typing import Any

from django.core import checks

from .baseline import (
    baseline_path,
    load_baseline,
    load_shared_transactions,
    shared_transaction_key,
)
from .ownership import relative
from .registry import registry_violations
from .source import source_violations
from .violations import Violation


def all_violations() -> list[Violation]:
    """Every static boundary violation in the project, baseline or not."""
    return [*source_violations(), *registry_violations()]


def check_boundaries(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    """Report violations that are not in the baseline, and the state of the baseline."""
    return _violation_messages() + _shared_transaction_messages()


def _violation_messages() -> list[checks.CheckMessage]:
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


def _shared_transaction_messages() -> list[checks.CheckMessage]:
    """Count the transactions the baseline lets two modules share, and refuse malformed entries.

    Whether a recorded pair still shares a transaction shows only at run time, so no
    check says when one is gone; and a pair naming a module the project does not have
    is left alone: it lets nothing through.
    """
    shared = load_shared_transactions()
    messages: list[checks.CheckMessage] = [
        checks.Error(
            f"The recorded shared transaction {key!r} does not name two modules.",
            hint="Name two modules, sorted and joined by +: billing+shipping.",
            obj=relative(baseline_path()),
            id="boundaries.E009",
        )
        for key in sorted(shared)
        if key != shared_transaction_key(set(key.split("+"))) or key.count("+") != 1
    ]
    if shared:
        messages.append(
            checks.Info(
                f"{len(shared)} shared transaction(s) recorded in {relative(baseline_path())}: "
                f"{', '.join(sorted(shared))}.",
                id="boundaries.I002",
            )
        )
    return messages
