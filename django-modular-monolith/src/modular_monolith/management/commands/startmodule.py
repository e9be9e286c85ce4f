import keyword
import shutil
import subprocess
import sys
from pathlib import Path
from string import Template
from typing import Any

from django.apps import apps
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from modular_monolith import scaffold
from modular_monolith.conf import project_root
from modular_monolith.modules import available_modules, modules_root

SCAFFOLD = Path(scaffold.__file__).parent


class Command(BaseCommand):
    help = (
        "Create a domain module: modules/<name>/ with the standard anatomy (api, events, models, "
        "admin, router, migrations) and its tests in tests/<name>/. It is installed and mounted "
        "at /api/<name> at once, and the boundary contracts already cover it."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="A lowercase Python identifier, e.g. inventory.")

    def handle(self, *args: Any, name: str, **options: Any) -> None:
        base_dir = project_root()
        self._refuse_bad(name, base_dir)
        context = {"module": name, "Module": name.title().replace("_", "")}
        written = [
            *_render(SCAFFOLD / "module", modules_root(base_dir) / name, context),
            *_render(SCAFFOLD / "tests", base_dir / "tests" / name, context),
        ]
        _format(written)
        self._write_docs(base_dir)  # docs/modules.md and the README graph show the new module
        self.stdout.write(f"Created modules/{name}/ and tests/{name}/ ({len(written)} files).")
        self.stdout.write(
            f"Its API is at /api/{name}; run `make check` and `make test-module M={name}`."
        )

    def _write_docs(self, base_dir: Path) -> None:
        """Run ``moduledocs`` in a new process: this one's app registry predates the module."""
        command = [sys.executable, "-m", "django", "moduledocs"]
        command.append(f"--settings={settings.SETTINGS_MODULE}")
        result = subprocess.run(command, cwd=base_dir, capture_output=True, text=True, check=False)
        if result.returncode != 0:
            self.stderr.write(f"{result.stderr.strip()}\nThen run `python manage.py moduledocs`.")

    def _refuse_bad(self, name: str, base_dir: Path) -> None:
        """Refuse a name before anything is written, saying why."""
        if not name.isidentifier() or not name.isascii():
            raise CommandError(f"{name!r} is not a Python identifier: use letters, digits and _.")
        if keyword.iskeyword(name) or keyword.issoftkeyword(name):
            raise CommandError(f"{name!r} is a Python keyword.")
        if name != name.lower():
            raise CommandError(f"{name!r} must be lowercase (it is a package and an app label).")
        if name in available_modules(base_dir) or (modules_root(base_dir) / name).exists():
            raise CommandError(f"modules/{name} exists already.")
        if any(config.label == name for config in apps.get_app_configs()):
            raise CommandError(f"{name!r} is the label of an installed Django app.")
        if (base_dir / "tests" / name).exists():
            raise CommandError(f"tests/{name} exists already.")


def _render(source: Path, target: Path, context: dict[str, str]) -> list[Path]:
    written = []
    for template in sorted(source.rglob("*.tpl")):
        path = target / template.relative_to(source).with_suffix("")
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(Template(template.read_text()).substitute(context))
        written.append(path)
    return written


def _format(paths: list[Path]) -> None:
    """Format the new files with ruff when it is installed, so they pass the format check."""
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent))
    if ruff:
        subprocess.run([ruff, "format", "--quiet", *map(str, paths)], check=False)
