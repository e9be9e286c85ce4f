"""The one reader of imports (modular_monolith.imports): lines, relative imports, bindings."""

import ast
from pathlib import Path

from modular_monolith.imports import read_source
from modular_monolith.modules import imports_of

SOURCE = """\
import os.path
import shop.settings as config
from . import api
from .models import Item as Thing
from .. import users
from ..users.models import User
from site_apps.notes import *
"""


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def test_every_import_is_read_with_its_line_and_relative_ones_resolved(tmp_path: Path) -> None:
    source = read_source(write(tmp_path / "services.py", SOURCE), "modules.alpha")

    assert [(i.target, i.line) for i in source.imports] == [
        ("os.path", 1),
        ("shop.settings", 2),
        ("modules.alpha.api", 3),
        ("modules.alpha.models.Item", 4),
        ("modules.users", 5),
        ("modules.users.models.User", 6),
        ("site_apps.notes", 7),  # a star import imports the module
    ]


def test_names_bound_by_imports_are_followed(tmp_path: Path) -> None:
    source = read_source(write(tmp_path / "services.py", SOURCE), "modules.alpha")

    def follow(expression: str) -> tuple[str, str] | None:
        return source.follow(ast.parse(expression, mode="eval").body)

    assert follow("users.models.User") == ("modules.users", "models.User")
    assert follow("os.path.join") == ("os", "path.join")  # `import os.path` binds os
    assert follow("config.DEBUG") == ("shop.settings", "DEBUG")
    assert follow("Thing.objects") == ("modules.alpha.models.Item", "objects")
    assert follow("unknown.attribute") is None


def test_a_packages_imports_resolve_against_each_files_own_package(tmp_path: Path) -> None:
    """Relative imports in a sub-package climb from that sub-package; migrations are left out."""
    package = tmp_path / "alpha"
    write(package / "__init__.py", "from . import api\n")
    write(package / "views" / "orders.py", "from ..models import Item\nfrom ...users import api\n")
    write(package / "migrations" / "0001_initial.py", "import modules.users.models\n")

    assert sorted(imports_of(package, "modules.alpha")) == [
        "modules.alpha.api",
        "modules.alpha.models.Item",
        "modules.users.api",
    ]
