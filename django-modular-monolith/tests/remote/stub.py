"""An HTTP server that answers calls as told, and counts the calls that reach it.

It stands for a served process that misbehaves: slow, restarting (503), broken
(500), or answering what no API declares.
"""

import json
import socket
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any


@dataclass
class Stub:
    url: str
    answers: list[tuple[int, Any]]  # (status, JSON body) in turn; the last one from then on
    delay: float = 0.0
    calls: list[str] = field(default_factory=list)

    def next_answer(self) -> tuple[int, Any]:
        return self.answers.pop(0) if len(self.answers) > 1 else self.answers[0]


@contextmanager
def stub_server(
    *,
    status: int = 200,
    body: Any = None,
    delay: float = 0.0,
    answers: list[tuple[int, Any]] | None = None,
) -> Iterator[Stub]:
    """Serve on a free port of 127.0.0.1 while the block runs.

    Each call waits ``delay`` seconds, then gets ``status`` and ``body``, or the next of ``answers``.
    """
    stub = Stub(url="", answers=answers or [(status, body)], delay=delay)

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            stub.calls.append(self.path)
            time.sleep(stub.delay)
            status, body = stub.next_answer()
            content = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(content)))
            self.end_headers()
            self.wfile.write(content)

        def log_message(self, format: str, *args: Any) -> None:
            pass  # quiet

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    stub.url = f"http://127.0.0.1:{httpd.server_address[1]}"
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    try:
        yield stub
    finally:
        httpd.shutdown()
        httpd.server_close()


def closed_port_url() -> str:
    """The URL of a port nothing listens on: a service that is down."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}"
