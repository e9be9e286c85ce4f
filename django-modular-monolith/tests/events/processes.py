"""Child processes of the test project for the process tests: same code, same test database."""

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import quote

from django.db import connection

LIBRARY_DIR = Path(__file__).resolve().parents[2]
# What pytest's ``pythonpath`` gives the test run: the test project's sample modules.
PROJECT_DIR = LIBRARY_DIR / "tests" / "project"


def database_url() -> str:
    """The URL of the test database this test runs on (PostgreSQL)."""
    settings = connection.settings_dict
    user = quote(settings["USER"]) + (
        f":{quote(settings['PASSWORD'])}" if settings["PASSWORD"] else ""
    )
    return f"postgres://{user}@{settings['HOST']}:{settings['PORT']}/{settings['NAME']}"


def start(*args: str, **env: str) -> subprocess.Popen[str]:
    """Start ``python -m tests.events.run ARGS`` on the test database."""
    environment = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "PYTHONPATH": os.pathsep.join(
            filter(None, [str(PROJECT_DIR), os.environ.get("PYTHONPATH")])
        ),
        **env,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "tests.events.run", *args],
        cwd=LIBRARY_DIR,
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
