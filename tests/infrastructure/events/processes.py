"""Child processes of the project for the process tests: same code, same test database."""

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.db import connection

ROOT = Path(__file__).resolve().parents[3]


def database_url() -> str:
    """The URL of the test database this test runs on (PostgreSQL)."""
    settings = connection.settings_dict
    return f"postgres://{settings['USER']}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def start(*args: str, **env: str) -> subprocess.Popen[str]:
    """Start ``python -m tests.infrastructure.events.run ARGS`` on the test database."""
    environment = {**os.environ, "DEBUG": "true", "DATABASE_URL": database_url(), **env}
    return subprocess.Popen(
        [sys.executable, "-m", "tests.infrastructure.events.run", *args],
        cwd=ROOT,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def finish(process: subprocess.Popen[str], timeout: float = 60) -> str:
    """Wait for a child to exit on its own; return its output; fail if it failed."""
    out, err = process.communicate(timeout=timeout)
    assert process.returncode == 0, out + err
    return out


def wait_until(
    condition: Callable[[], bool], *, timeout: float = 30, what: str = "condition"
) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise TimeoutError(f"Timed out after {timeout} s waiting for {what}")
        time.sleep(0.05)
