from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from modular_monolith.modules import module_labels
from modular_monolith.readiness import readiness_reports, render


class Command(BaseCommand):
    help = (
        "What stands between a module and leaving the process: the modules that call its API "
        "(and the HTTP routes, listeners or jobs that reach those calls), the APIs it calls, "
        "the events it publishes and consumes, its tables, and the transactions it shares."
    )
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("modules", nargs="*", help="Module labels (default: every module).")

    def handle(self, *args: Any, modules: list[str], **options: Any) -> None:
        unknown = sorted(set(modules) - module_labels())
        if unknown:
            raise CommandError(
                f"Not an installed module: {', '.join(unknown)}. "
                f"The modules are: {', '.join(sorted(module_labels()))}."
            )
        reports = readiness_reports(modules or sorted(module_labels()))
        self.stdout.write("\n".join(render(report) for report in reports), ending="")
