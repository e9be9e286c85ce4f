"""The ratchet for adopting the rules on an existing codebase, like packwerk's todo file.

``manage.py boundaries --write-baseline`` records today's violations in a committed
JSON file; the checks then fail only on new ones and count the recorded ones
that remain. A recorded violation that has been fixed must leave the file too
(``boundaries.W008``), so that it cannot come back unnoticed.

The file also records the transactions that two modules share on purpose, which
no static check can find: the transaction guard (``transactions``) refuses any
other. A developer writes them by hand, with the reason, and the command keeps
them when it rewrites the file::

    "shared_transactions": {"billing+shipping": "a shipment is billed as it is booked"}

A file without that key (as written before it existed) records none.
"""

import json
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from ..conf import project_root, setting
from .violations import Violation

SHARED_TRANSACTIONS = "shared_transactions"
ABOUT = (
    "Recorded module boundary violations; fix them, then run "
    "`manage.py boundaries --write-baseline`. New violations are never recorded here silently. "
    f"{SHARED_TRANSACTIONS} lists, by hand and with the reason, the pairs of modules that share "
    "a transaction on purpose."
)


def baseline_path() -> Path:
    return Path(project_root() / setting("BASELINE"))


def load_baseline() -> set[str]:
    """The keys of the recorded static violations."""
    return set(_read().get("violations", []))


def load_shared_transactions() -> dict[str, str]:
    """The recorded shared transactions: ``"orders+products"`` -> why they share one."""
    return dict(_read().get(SHARED_TRANSACTIONS, {}))


def shared_transaction_key(modules: Iterable[str]) -> str:
    """How the baseline names a set of modules: sorted, joined by ``+``."""
    return "+".join(sorted(modules))


def write_baseline(violations: Iterable[Violation]) -> Path:
    """Record every violation given, and keep the recorded shared transactions as they are."""
    path = baseline_path()
    content: dict[str, Any] = {
        "about": ABOUT,
        "violations": sorted({violation.key for violation in violations}),
    }
    shared = load_shared_transactions()
    if shared:
        content[SHARED_TRANSACTIONS] = dict(sorted(shared.items()))
    path.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    return path


def _read() -> dict[str, Any]:
    path = baseline_path()
    if not path.exists():
        return {}
    content: dict[str, Any] = json.loads(path.read_text(encoding="utf-8"))
    return content
