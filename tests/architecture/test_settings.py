"""Production settings are safe: `check --deploy` is clean, and secrets must come from the environment.

The settings are documented: `.env.example` names every variable they read.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from .sandbox import ROOT, copy_project

PRODUCTION = {
    "DEBUG": "false",
    "SECRET_KEY": "a-production-secret-that-is-long-and-random-enough-0123456789abcdef",
    "ALLOWED_HOSTS": "www.example.com",
}
# env.bool("DEBUG", ...), env.db_url("DATABASE_URL", ...): the variables the settings read.
READ_FROM_ENVIRONMENT = re.compile(r"\benv\.\w+\(\s*\"([A-Z][A-Z0-9_]*)\"")
# DEBUG=true, or # SECRET_KEY= (documented, commented out).
DOCUMENTED = re.compile(r"(?m)^#? ?([A-Z][A-Z0-9_]*)=")


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A copy of the project without the developer's .env: only the variables a test sets count."""
    return copy_project(tmp_path)


def manage(project: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in {"DEBUG", "SECRET_KEY", "ALLOWED_HOSTS"}
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=project,
        env={**clean, **env},
        capture_output=True,
        text=True,
        check=False,
    )


def test_deploy_checks_pass_with_production_settings(project: Path) -> None:
    result = manage(project, "check", "--deploy", "--fail-level", "WARNING", env=PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    # No message but the count of the shared transactions the baseline records, if any.
    issues = set(re.findall(r"\(([a-z]+\.[EWIC]\d+)\)", result.stdout))
    assert issues <= {"boundaries.I002"}, result.stdout


def test_a_missing_secret_key_outside_debug_stops_with_a_clear_error(project: Path) -> None:
    result = manage(project, "check", env={"DEBUG": "false", "ALLOWED_HOSTS": "www.example.com"})
    assert result.returncode != 0
    assert "SECRET_KEY is not set" in result.stderr


def test_debug_mode_runs_without_a_secret_key(project: Path) -> None:
    result = manage(project, "check", env={"DEBUG": "true"})
    assert result.returncode == 0, result.stderr


def test_env_example_documents_every_variable_the_settings_read() -> None:
    settings = ROOT / "shop" / "settings.py"
    read = set(READ_FROM_ENVIRONMENT.findall(settings.read_text(encoding="utf-8")))
    documented = set(DOCUMENTED.findall((ROOT / ".env.example").read_text(encoding="utf-8")))

    assert "SECRET_KEY" in read  # the pattern finds what it should
    assert read - documented == set(), "add these to .env.example"
    assert documented - read == set(), "the settings no longer read these"


def test_the_pattern_finds_a_variable_over_several_lines() -> None:
    assert READ_FROM_ENVIRONMENT.findall('X = env.int(\n    "NEW_VARIABLE", default=1)') == [
        "NEW_VARIABLE"
    ]
