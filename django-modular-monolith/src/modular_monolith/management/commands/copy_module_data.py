from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DEFAULT_DB_ALIAS

from modular_monolith.module_data import ModuleDataError, copy_module_data, drop_module_tables


class Command(BaseCommand):
    help = (
        "Copy a module's tables to a database of its own (an alias in DATABASES): create them "
        "there with the module's migrations, copy every row, check nothing changed meanwhile. "
        "With --drop-source, then drop them from the source database. Stop what writes to the "
        "module first."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("module", help="The module's label, e.g. payments.")
        parser.add_argument("--to", required=True, metavar="ALIAS", help="The target database.")
        parser.add_argument(
            "--from",
            dest="source",
            default=DEFAULT_DB_ALIAS,
            metavar="ALIAS",
            help="The source database (default: %(default)s).",
        )
        parser.add_argument(
            "--drop-source",
            action="store_true",
            help="Once the copy is complete, drop the module's tables from the source.",
        )

    def handle(self, *args: Any, module: str, to: str, source: str, **options: Any) -> None:
        try:
            copied = copy_module_data(module, source=source, target=to)
            for table, rows in copied.items():
                self.stdout.write(f"{table}: {rows} row(s) copied to {to}")
            if options["drop_source"]:
                for table in drop_module_tables(module, database=source):
                    self.stdout.write(f"{table}: dropped from {source}")
        except ModuleDataError as error:
            raise CommandError(str(error)) from None
