import logging
import signal
import time
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from modular_monolith.conf import setting
from modular_monolith.events.broker import connect, relay_pending
from modular_monolith.events.delivery import BATCH_SIZE, Batches
from modular_monolith.events.wakeup import Wakeup
from modular_monolith.jobs import Schedule

logger = logging.getLogger(__name__)

# Woken by a commit, the worker waits this long for the commits that follow it: under load
# their deliveries share one transaction instead of paying for one each; idle, an event is
# delivered this much later.
GATHER_SECONDS = 0.05


class Command(BaseCommand):
    help = (
        "The event worker: delivers events that are due (retries, and what a crashed process "
        "left behind), runs the modules' periodic jobs and, with EVENTS_BROKER_URL set, relays "
        "external events to the broker. Runs until stopped; several can run at once on "
        "PostgreSQL, where a commit that publishes wakes it (LISTEN/NOTIFY); elsewhere it polls."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--once",
            action="store_true",
            help="Run the periodic jobs that are due and deliver what is due, then exit.",
        )
        parser.add_argument(
            "--interval",
            type=float,
            default=1.0,
            help="Seconds to wait when nothing is due, unless a notification comes first.",
        )
        parser.add_argument(
            "--gather",
            type=float,
            default=GATHER_SECONDS,
            help="Seconds to wait, once woken, for more commits to deliver in the same batch "
            f"({GATHER_SECONDS}).",
        )
        parser.add_argument(
            "--batch-size",
            type=int,
            default=BATCH_SIZE,
            help=f"Deliveries claimed at most per transaction ({BATCH_SIZE}).",
        )

    def handle(
        self,
        *args: Any,
        once: bool = False,
        interval: float = 1.0,
        gather: float = GATHER_SECONDS,
        batch_size: int = BATCH_SIZE,
        **options: Any,
    ) -> None:
        if batch_size < 1:
            raise CommandError("--batch-size must be at least 1.")
        self._stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        relay = _Relay() if setting("EVENTS_BROKER_URL") else None
        jobs = Schedule()
        batches = Batches(batch_size)
        wakeup = Wakeup()
        wakeup.listen()  # before the first look for work: no notification slips in between
        delivered = relayed = 0
        while not self._stopping:
            jobs.run_due()
            delivered_now = batches.deliver_due(limit=10 * batch_size)
            relayed_now = relay.run() if relay else 0
            delivered += delivered_now
            relayed += relayed_now
            if relayed_now or not batches.drained:
                continue  # more may be due: look again at once
            if once:
                break
            next_job = jobs.seconds_until_next()
            if wakeup.wait(interval if next_job is None else min(interval, next_job)):
                time.sleep(gather)  # a busy moment's commits then share one batch
        if relay:
            relay.close()
        self.stdout.write(f"Delivered {delivered}, relayed {relayed}.")

    def _stop(self, signum: int, frame: Any) -> None:
        self._stopping = True  # finish the delivery under way, then exit


class _Relay:
    """Relays the outbox to the broker; when the broker is down, waits and tries again."""

    def __init__(self) -> None:
        self.connection: Any = None
        self.resume_at = 0.0
        self.delay = 1.0

    def run(self) -> int:
        if time.monotonic() < self.resume_at:
            return 0
        try:
            if self.connection is None:
                self.connection = connect()
                self.connection.ensure_connection(max_retries=1)
            sent = relay_pending(self.connection)
        except Exception as error:  # the broker is unreachable: keep the events, retry later
            logger.warning("Relay to the broker failed (%s); retrying in %.0f s", error, self.delay)
            self.close()
            self.resume_at = time.monotonic() + self.delay
            self.delay = min(self.delay * 2, 30.0)
            return 0
        self.delay = 1.0
        return sent

    def close(self) -> None:
        if self.connection is not None:
            self.connection.release()
            self.connection = None
