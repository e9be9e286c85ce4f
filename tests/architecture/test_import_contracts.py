"""The import contracts in .importlinter hold, and each one fails on a planted reach-in."""

import subprocess
import sys
from pathlib import Path

import pytest

from .sandbox import ROOT, plant

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"


def lint_imports(project: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(LINT_IMPORTS), "--no-cache"], cwd=project, capture_output=True, text=True, check=False
    )


def test_the_project_keeps_every_contract() -> None:
    result = lint_imports(ROOT)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    ("file", "planted", "contract", "reported"),
    [
        pytest.param(
            "modules/orders/services.py",
            "from modules.products.models import Product",
            "Modules use each other only through api and events",
            "modules.orders.services -> modules.products.models",
            id="reach-into-models",
        ),
        pytest.param(
            "modules/orders/services.py",
            "def _sneaky():\n    from modules.payments import services\n",
            "Modules use each other only through api and events",
            "modules.orders.services -> modules.payments.services",
            id="function-level-import",
        ),
        pytest.param(
            "modules/notifications/listeners.py",
            "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from modules.users.models import User\n",
            "Modules use each other only through api and events",
            "modules.notifications.listeners -> modules.users.models",
            id="type-checking-import",
        ),
        pytest.param(
            "modules/products/services.py",
            "from modules.orders import api as orders",
            "The module graph has no cycles",
            "modules.products",
            id="cycle",
        ),
        pytest.param(
            "modules/payments/services.py",
            "from modules.users.api import get_user",
            "The demo modules depend only on what the module graph allows",
            "modules.payments.services -> modules.users.api",
            id="dependency-not-in-the-graph",
        ),
        pytest.param(
            "modules/users/services.py",
            "from shop import settings",
            "Modules import nothing of the project but shop.infrastructure",
            "modules.users.services -> shop.settings",
            id="module-imports-project",
        ),
        pytest.param(
            "shop/infrastructure/events.py",
            "from modules.users import api",
            "Shared infrastructure knows no domain module",
            "shop.infrastructure.events -> modules.users.api",
            id="infrastructure-imports-module",
        ),
    ],
)
def test_a_planted_violation_breaks_its_contract(
    project_copy: Path, file: str, planted: str, contract: str, reported: str
) -> None:
    plant(project_copy, file, planted)

    result = lint_imports(project_copy)

    assert result.returncode != 0
    broken_section = result.stdout.split("Broken contracts", 1)[1]
    assert contract in broken_section
    assert reported in broken_section
