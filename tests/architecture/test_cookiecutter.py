"""`cookiecutter <this repository>` bakes a project that is the team's own and passes its checks.

This file exists only in the template: the hook leaves it out of baked projects.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from cookiecutter.main import cookiecutter
from django.db import connection

from .sandbox import ROOT

VENV = Path(sys.executable).parent.parent


def bake(tmp_path: Path, **context: str) -> Path:
    return Path(
        cookiecutter(str(ROOT), no_input=True, output_dir=str(tmp_path), extra_context=context)
    )


def make(project: Path, *targets: str) -> subprocess.CompletedProcess[str]:
    """Run the baked project's Makefile with this virtualenv (already installed, not reinstalled).

    On its own SQLite file: the test database of this run must not be shared.
    """
    return subprocess.run(
        ["make", f"VENV={VENV}", "-o", f"{VENV}/.installed", *targets],
        cwd=project,
        env={
            **{
                k: v for k, v in os.environ.items() if k != "DJANGO_SETTINGS_MODULE"
            },  # ours: shop's
            "DEBUG": "true",
            "DATABASE_URL": f"sqlite:///{project}/db.sqlite3",
        },
        capture_output=True,
        text=True,
        check=False,
        timeout=900,
    )


@pytest.mark.skipif(
    connection.vendor == "postgresql", reason="database-agnostic: bakes once, in the SQLite run"
)
@pytest.mark.parametrize("demo", ["yes", "no"])
def test_a_baked_project_is_renamed_and_passes_its_checks_and_tests(
    tmp_path: Path, demo: str
) -> None:
    project = bake(tmp_path, project_name="Acme Store", include_demo_modules=demo)

    assert project.name == "acme_store"
    assert (project / "acme_store/settings.py").exists()
    assert not (project / "shop").exists()
    assert (project / "README.md").read_text().startswith("# Acme Store\n")
    assert (
        'DJANGO_SETTINGS_MODULE = "acme_store.settings"' in (project / "pyproject.toml").read_text()
    )
    assert not (project / "cookiecutter.json").exists()
    modules = sorted(p.name for p in (project / "modules").iterdir() if (p / "apps.py").exists())
    assert modules == (
        ["notifications", "orders", "payments", "products", "users"] if demo == "yes" else ["users"]
    )

    result = make(project, "test")

    assert result.returncode == 0, result.stdout[-5000:] + result.stderr[-5000:]
    assert " passed" in result.stdout


def test_a_slug_that_cannot_be_a_package_is_refused(tmp_path: Path) -> None:
    from cookiecutter.exceptions import FailedHookException

    with pytest.raises(FailedHookException):
        bake(tmp_path, project_name="Acme", project_slug="modules")
