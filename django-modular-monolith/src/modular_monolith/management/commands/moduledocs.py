from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from modular_monolith.conf import project_root
from modular_monolith.moduledocs import out_of_date, write_docs


class Command(BaseCommand):
    help = (
        "Write docs/modules.md (the installed modules, their public API, events and tables) "
        "and the module graph in README.md, from the code. With --check, write nothing and "
        "fail if either is out of date."
    )
    # It documents the project as it is, even one whose boundary checks fail.
    requires_system_checks: list[str] = []

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--check", action="store_true", help="Fail if the files are out of date; write none."
        )

    def handle(self, *args: Any, check: bool = False, **options: Any) -> None:
        base_dir = project_root()
        try:
            stale = list(out_of_date(base_dir)) if check else write_docs(base_dir)
        except ValueError as error:  # README.md without the graph markers
            raise CommandError(str(error)) from None
        names = [path.relative_to(base_dir).as_posix() for path in stale]
        if not check:
            self.stdout.write(f"Wrote {', '.join(names)}." if names else "Nothing to write.")
        elif names:
            raise CommandError(
                "\n".join(
                    f"{name} is out of date: run `python manage.py moduledocs`" for name in names
                )
            )
        else:
            self.stdout.write("docs/modules.md and the graph in README.md are up to date.")
