"""Start the project's production processes (the Procfile's commands) for a test, and stop them.

Each process runs from the project's root with production settings (``DEBUG=false``)
and the database the test gives it; the helpers wait for it to be ready rather
than sleeping, and stop it with SIGTERM, as a platform does.
"""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
SECRET_KEY = "a-production-secret-that-is-long-and-random-enough-0123456789abcdef"
HOST = "www.example.com"
STARTUP_TIMEOUT = 60.0  # seconds; a loaded 2-core machine is slow to import Django


def production_env(database_url: str, **overrides: str) -> dict[str, str]:
    """The environment of a production process: the variables the settings read, all set."""
    return {
        **os.environ,
        "DEBUG": "false",
        "SECRET_KEY": SECRET_KEY,
        "ALLOWED_HOSTS": HOST,
        "DATABASE_URL": database_url,
        "LOG_FORMAT": "json",
        "EVENTS_BROKER_URL": "",
        "EVENTS_DELIVERY": "immediate",
        "INSTALL_MODULES": "",
        "BOUNDARY_GUARDS": "false",
        "EMAIL_URL": "consolemail://",  # no mail server here
        **overrides,
    }


def manage_command(*args: str) -> list[str]:
    """``python manage.py ...`` with this interpreter (the virtualenv's)."""
    return [sys.executable, "manage.py", *args]


def manage(*args: str, env: dict[str, str]) -> str:
    """Run ``manage.py`` to completion; return its output, or fail the test with it."""
    result = subprocess.run(
        manage_command(*args),
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Process:
    popen: subprocess.Popen[str]
    log: Path
    group: bool = False  # it leads a process group of its own: stop the whole group

    def output(self) -> str:
        return self.log.read_text(encoding="utf-8")

    def stop(self, timeout: float = 30.0) -> int:
        """Send SIGTERM and wait; return the exit code (killed if it does not stop in time)."""
        if self.popen.poll() is None:
            self._signal(signal.SIGTERM)
        try:
            return self.popen.wait(timeout)
        except subprocess.TimeoutExpired:
            self._signal(signal.SIGKILL)
            self.popen.wait()
            raise
        finally:
            if self.group:  # what it started and left behind (a gunicorn worker)
                with suppress(ProcessLookupError):
                    os.killpg(self.popen.pid, signal.SIGKILL)

    def _signal(self, signum: int) -> None:
        if self.group:
            os.killpg(self.popen.pid, signum)
        else:
            self.popen.send_signal(signum)


@contextmanager
def started(
    command: list[str], *, env: dict[str, str], log: Path, group: bool = False
) -> Iterator[Process]:
    """Run ``command`` from the project root, its output in ``log``; stop it on the way out.

    With ``group``, it runs in a process group of its own, stopped as a whole.
    """
    with log.open("w") as output:
        popen = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=output,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=group,
        )
    process = Process(popen, log, group)
    try:
        yield process
    finally:
        if popen.poll() is None:
            process.stop()


def gunicorn_command(port: int, *, workers: int = 1) -> list[str]:
    """The Procfile's web command (gunicorn.conf.py read), on ``port`` with ``workers`` processes."""
    gunicorn = Path(sys.executable).parent / "gunicorn"
    return [
        str(gunicorn),
        "shop.wsgi",
        *("--bind", f"127.0.0.1:{port}"),
        *("--workers", str(workers)),
    ]


@dataclass(frozen=True)
class Answer:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def json(self) -> Any:
        return json.loads(self.body)


def request(
    port: int, method: str, path: str, *, body: Any = None, headers: dict[str, str] | None = None
) -> Answer:
    """Send one HTTP request to 127.0.0.1:``port``, as a proxy would (Host: www.example.com)."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    sent_headers = {"Host": HOST, **(headers or {})}
    payload = None
    if body is not None:
        payload = json.dumps(body).encode()
        sent_headers["Content-Type"] = "application/json"
    try:
        connection.request(method, path, body=payload, headers=sent_headers)
        response = connection.getresponse()
        return Answer(response.status, response.headers, response.read())
    finally:
        connection.close()


def wait_until_listening(port: int, process: Process) -> None:
    """Wait until ``GET /health/live`` answers on ``port``; fail if the process exits first."""
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while time.monotonic() < deadline:
        assert process.popen.poll() is None, process.output()
        try:
            if request(port, "GET", "/health/live").status == 200:
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError(f"nothing listens on port {port}:\n{process.output()}")


def handles_sigterm(pid: int) -> bool:
    """Whether the process has installed a SIGTERM handler (Linux: /proc/<pid>/status)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("SigCgt:"):
            return bool(int(line.split()[1], 16) & (1 << (signal.SIGTERM - 1)))
    return False


def wait_for_sigterm_handler(process: Process) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while not handles_sigterm(process.popen.pid):
        assert process.popen.poll() is None, process.output()
        assert time.monotonic() < deadline, process.output()
        time.sleep(0.1)
