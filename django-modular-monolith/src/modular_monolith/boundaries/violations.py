"""A boundary violation, found by the static checks or by a runtime guard, and how it is reported."""

import logging
from dataclasses import dataclass

from django.core import checks

from ..conf import guards_mode

logger = logging.getLogger("modular_monolith.boundaries")


@dataclass(frozen=True, kw_only=True)
class Violation:
    """One reach-in: where it is, what it reaches, and how to fix it."""

    id: str  # the system check id, e.g. "boundaries.E001"
    path: str  # the offending file, relative to the project root
    line: int
    owner: str  # the module that owns what is reached
    target: str  # what is reached, e.g. "modules.products.models"
    message: str
    hint: str

    @property
    def key(self) -> str:
        """Identify the violation in the baseline; no line number, so edits elsewhere keep it."""
        return f"{self.id} {self.path} -> {self.target}"

    def as_check_message(self) -> checks.CheckMessage:
        return checks.Error(
            self.message, hint=self.hint, obj=f"{self.path}:{self.line}", id=self.id
        )


class BoundaryViolation(Exception):
    """Raised at run time when code crosses a module boundary (see ``guards``)."""


def report(message: str) -> None:
    """Report what a runtime guard caught: raise, or log it in ``"warn"`` mode."""
    if guards_mode() == "warn":
        logger.warning("Boundary violation: %s", message)
    else:
        raise BoundaryViolation(message)
