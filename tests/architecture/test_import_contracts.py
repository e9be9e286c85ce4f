"""The import contracts in .importlinter hold, and each one fails on a planted reach-in.

The reach-ins go from the scratch module (made by ``startmodule``) into users, the one
module every project has.
"""

import subprocess
import sys
from pathlib import Path

import pytest

from .sandbox import ROOT, SCRATCH, plant

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=project, capture_output=True, text=True, check=False
    )


def test_the_project_keeps_every_contract() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


def test_a_copy_with_a_new_module_keeps_every_contract(project_copy: Path) -> None:
    """What the planted reach-ins below break is intact before they are planted."""
    result = lint_imports(project_copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("plants", "contract", "reported"),
    [
        pytest.param(
            {f"modules/{SCRATCH}/services.py": "from modules.users.models import User"},
            "Modules use each other only through api and events",
            (f"modules.{SCRATCH}.services -> modules.users.models",),
            id="reach-into-models",
        ),
        pytest.param(
            {
                f"modules/{SCRATCH}/services.py": "def _sneaky():\n    from modules.users import services\n"
            },
            "Modules use each other only through api and events",
            (f"modules.{SCRATCH}.services -> modules.users.services",),
            id="function-level-import",
        ),
        pytest.param(
            {
                f"modules/{SCRATCH}/listeners.py": "from typing import TYPE_CHECKING\n"
                "if TYPE_CHECKING:\n    from modules.users.models import User\n"
            },
            "Modules use each other only through api and events",
            (f"modules.{SCRATCH}.listeners -> modules.users.models",),
            id="type-checking-import",
        ),
        pytest.param(
            {
                f"modules/{SCRATCH}/services.py": "from modules.users import api as users",
                "modules/users/services.py": f"from modules.{SCRATCH} import api as {SCRATCH}",
            },
            "The module graph has no cycles",
            (".users", f".{SCRATCH}"),  # the import it suggests removing, whichever way round
            id="cycle",
        ),
        # demo:start
        pytest.param(
            {"modules/payments/services.py": "from modules.users.api import get_user"},
            "The demo modules depend only on what the module graph allows",
            ("modules.payments.services -> modules.users.api",),
            id="dependency-not-in-the-graph",
        ),
        # demo:end
        pytest.param(
            {"modules/users/services.py": "from shop import settings"},
            "Modules import nothing of the project",
            ("modules.users.services -> shop.settings",),
            id="module-imports-project",
        ),
    ],
)
def test_a_planted_violation_breaks_its_contract(
    project_copy: Path, plants: dict[str, str], contract: str, reported: tuple[str, ...]
) -> None:
    for file, code in plants.items():
        plant(project_copy, file, code)

    result = lint_imports(project_copy)

    assert result.returncode != 0
    broken_section = result.stdout.split("Broken contracts", 1)[1]
    assert contract in broken_section
    for text in reported:
        assert text in broken_section
