"""A throwaway copy of the project to plant violations in, and a way to run it."""

import itertools
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PROJECT_FILES = (
    "shop",
    "modules",
    "tests",
    "manage.py",
    "pyproject.toml",
    ".importlinter",
    "boundaries-baseline.json",
    "docs",
    "README.md",
)


def free_module_name(project: Path, wanted: str) -> str:
    """``wanted``, or ``wanted2``, ``wanted3``...: the first name that ``modules/`` does not hold.

    Tests add modules of their own to a copy, and the project's modules may have any name.
    """
    taken = {path.name for path in (project / "modules").iterdir()}
    candidates = itertools.chain([wanted], (f"{wanted}{n}" for n in itertools.count(2)))
    return next(name for name in candidates if name not in taken)


# The module `prepare_project` creates with `startmodule`. Planted reach-ins go from it into
# users, the one module every project has.
SCRATCH = free_module_name(ROOT, "alpha")


def copy_project(destination: Path) -> Path:
    """Copy the code (no virtualenv, no database) to ``destination``, to break at will."""
    for name in PROJECT_FILES:
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(
                source, destination / name, ignore=shutil.ignore_patterns("__pycache__")
            )
        else:
            shutil.copy(source, destination / name)
    return destination


def prepare_project(destination: Path) -> Path:
    """Copy the project and add the scratch module with ``startmodule``, as a developer would."""
    copy_project(destination)
    created = run_manage(destination, "startmodule", SCRATCH)
    if created.returncode != 0:
        raise RuntimeError(f"startmodule {SCRATCH} failed:\n{created.stderr}")
    return destination


def plant(project: Path, file: str, code: str) -> None:
    """Append ``code`` to ``file`` of the project copy (creating the file if needed)."""
    target = project / file
    existing = target.read_text() if target.exists() else ""
    target.write_text(existing + "\n\n" + code.strip() + "\n")


def run_manage(project: Path, *args: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``manage.py`` in a project copy, in debug mode, on its own SQLite file."""
    environment = {
        **os.environ,
        "DEBUG": "true",
        "DATABASE_URL": f"sqlite:///{project / 'db.sqlite3'}",
        **env,
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=project,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
