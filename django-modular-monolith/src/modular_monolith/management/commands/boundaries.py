from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from modular_monolith.boundaries import baseline
from modular_monolith.boundaries.checks import all_violations
from modular_monolith.boundaries.ownership import relative


class Command(BaseCommand):
    help = (
        "List module boundary violations. With --write-baseline, record them all in the "
        "baseline file so that the checks fail only on new ones (for adopting the rules gradually). "
        "The transactions two modules share on purpose are listed too; the file records them by "
        "hand, and writing it keeps them."
    )
    requires_system_checks: list[str] = []  # the boundary checks would stop it before it reports

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--write-baseline", action="store_true", help="Record every current violation."
        )

    def handle(self, *args: Any, write_baseline: bool = False, **options: Any) -> None:
        violations = all_violations()
        shared = baseline.load_shared_transactions()
        if write_baseline:
            path = baseline.write_baseline(violations)
            self.stdout.write(
                f"Recorded {len(violations)} violation(s) in {relative(path)}, "
                f"and kept {len(shared)} shared transaction(s)."
            )
            return
        recorded = baseline.load_baseline()
        for violation in violations:
            state = "recorded" if violation.key in recorded else "NEW"
            self.stdout.write(
                f"{state:8} {violation.path}:{violation.line} ({violation.id}) {violation.message}"
            )
        new = sum(violation.key not in recorded for violation in violations)
        self.stdout.write(
            f"{len(violations)} violation(s): {new} new, {len(violations) - new} recorded."
        )
        for modules, reason in sorted(shared.items()):
            self.stdout.write(f"shared   {modules}: {reason}")
        self.stdout.write(f"{len(shared)} shared transaction(s) recorded.")
