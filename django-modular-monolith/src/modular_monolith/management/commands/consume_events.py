import contextlib
import signal
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from modular_monolith.conf import setting
from modular_monolith.events.broker import connect, handle_message, subscription


class Command(BaseCommand):
    help = (
        "Subscribe to event types on the broker (EVENTS_BROKER_URL) and hand them to this "
        "process's listeners, de-duplicated by event id. The path an extracted module uses."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "event_types", nargs="+", help='Event type names, e.g. "orders.OrderPlaced".'
        )
        parser.add_argument(
            "--queue",
            default="events",
            help="Durable queue name; processes sharing a queue share the work (default: events).",
        )

    def handle(self, *args: Any, event_types: list[str], queue: str, **options: Any) -> None:
        if not setting("EVENTS_BROKER_URL"):
            raise CommandError("Set EVENTS_BROKER_URL, e.g. amqp://guest:guest@127.0.0.1:5672//")
        try:
            queue_ = subscription(queue, event_types)
        except LookupError as error:
            raise CommandError(str(error)) from error
        self._stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        with (
            connect() as connection,
            connection.Consumer(
                queue_, callbacks=[handle_message], accept=["json"], prefetch_count=10
            ),
        ):
            self.stdout.write(f"Consuming {', '.join(event_types)} from queue {queue}.")
            self.stdout.flush()
            while not self._stopping:
                with contextlib.suppress(TimeoutError):
                    connection.drain_events(timeout=1)

    def _stop(self, signum: int, frame: Any) -> None:
        self._stopping = True
