"""The ratchet for adopting the rules on an existing codebase, like packwerk's todo file.

``manage.py boundaries --write-baseline`` records today's violations in a committed
JSON file; the checks then fail only on new ones and count the recorded ones
that remain. A recorded violation that has been fixed must leave the file too
(``boundaries.W008``), so that it cannot come back unnoticed.
"""

import json
from collections.abc import Iterable
from pathlib import Path

from ..conf import project_root, setting
from .violations import Violation


def baseline_path() -> Path:
    return Path(project_root() / setting("BASELINE"))


def load_baseline() -> set[str]:
    path = baseline_path()
    if not path.exists():
        return set()
    return set(json.loads(path.read_text(encoding="utf-8"))["violations"])


def write_baseline(violations: Iterable[Violation]) -> Path:
    path = baseline_path()
    content = {
        "about": "Recorded module boundary violations; fix them, then run "
        "`manage.py boundaries --write-baseline`. New violations are never recorded here silently.",
        "violations": sorted({violation.key for violation in violations}),
    }
    path.write_text(json.dumps(content, indent=2) + "\n", encoding="utf-8")
    return path
