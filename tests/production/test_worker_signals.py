"""The worker and the consumers stop cleanly on SIGTERM (a deploy, a scale-down) and SIGINT.

Each runs as the Procfile starts it; the test waits until the process has installed
its handler (Linux tells, in /proc), sends the signal, and expects a prompt exit 0.
"""

import re
import signal
import socket
import sys
import uuid
from pathlib import Path

import pytest
from kombu import Connection, Queue

from tests.production.processes import (
    manage_command,
    production_env,
    started,
    wait_for_sigterm_handler,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")

BROKER = "amqp://guest:guest@127.0.0.1:5672//"
STOP_TIMEOUT = 10.0  # seconds: one wait for work (1 s) and a delivery under way, with room


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT], ids=["SIGTERM", "SIGINT"])
def test_the_event_worker_stops_cleanly(
    sqlite_database: Path, tmp_path: Path, signum: signal.Signals
) -> None:
    env = production_env(f"sqlite:///{sqlite_database}")
    with started(manage_command("process_events"), env=env, log=tmp_path / "worker.log") as worker:
        wait_for_sigterm_handler(worker)
        worker.popen.send_signal(signum)

        assert worker.popen.wait(STOP_TIMEOUT) == 0, worker.output()
    assert re.search(r"^Delivered \d+, relayed 0\.$", worker.output(), re.MULTILINE)


def test_the_consumer_stops_cleanly(sqlite_database: Path, tmp_path: Path) -> None:
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", 5672)) != 0:
            pytest.skip("no RabbitMQ on 127.0.0.1:5672")
    queue = f"test-stop-{uuid.uuid4().hex}"
    env = production_env(f"sqlite:///{sqlite_database}", EVENTS_BROKER_URL=BROKER)
    command = manage_command("consume_events", "users.UserRegistered", "--queue", queue)
    try:
        with started(command, env=env, log=tmp_path / "consumer.log") as consumer:
            wait_for_sigterm_handler(consumer)
            consumer.popen.send_signal(signal.SIGTERM)

            assert consumer.popen.wait(STOP_TIMEOUT) == 0, consumer.output()
        assert f"from queue {queue}" in consumer.output()
    finally:
        with Connection(BROKER) as connection:
            Queue(queue).bind(connection.default_channel).delete()
