from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db.models import Count
from django.utils import timezone

from modular_monolith.events.backlog import ListenerBacklog, listener_backlog
from modular_monolith.events.maintenance import prune_completed, resubmit_failed
from modular_monolith.models import Delivery, StoredEvent


class Command(BaseCommand):
    help = "Show the event outbox: deliveries by state and the failed ones; resubmit or prune."

    def add_arguments(self, parser: CommandParser) -> None:
        actions = parser.add_subparsers(dest="action", title="actions")
        actions.add_parser("status", help="Counts by state and failed deliveries (the default).")
        retry = actions.add_parser("retry", help="Resubmit failed deliveries.")
        retry.add_argument("ids", nargs="*", type=int, help="Delivery ids (default: all failed).")
        prune = actions.add_parser("prune", help="Delete completed events older than some days.")
        prune.add_argument("--older-than", type=int, default=30, metavar="DAYS")

    def handle(self, *args: Any, action: str | None = None, **options: Any) -> None:
        if action == "retry":
            count = resubmit_failed(options["ids"] or None)
            self.stdout.write(f"Resubmitted {count} failed deliveries.")
        elif action == "prune":
            if options["older_than"] < 0:
                raise CommandError("--older-than takes a number of days, 0 or more.")
            count = prune_completed(older_than=timedelta(days=options["older_than"]))
            self.stdout.write(f"Pruned {count} completed events.")
        else:
            self._status()

    def _status(self) -> None:
        counts = dict(Delivery.objects.values_list("status").annotate(n=Count("id")).order_by())
        for status in Delivery.Status:
            self.stdout.write(f"{status.value:10} {counts.get(status.value, 0)}")
        behind = [row for row in listener_backlog() if row.due or row.failed]
        self.stdout.write(f"{'due now':10} {sum(row.due for row in behind)}")
        self.stdout.write(
            f"{'to relay':10} {StoredEvent.objects.filter(relay_pending=True).count()}"
        )
        self._behind_per_listener(behind)
        failed = Delivery.objects.filter(status=Delivery.Status.FAILED).select_related("event")
        for delivery in failed.order_by("-completed_at")[:50]:
            last_line = (delivery.last_error.strip().splitlines() or [""])[-1]
            self.stdout.write(
                f"\nFailed delivery {delivery.pk}: {delivery.event.type} {delivery.event_id} "
                f"-> {delivery.listener}, {delivery.attempts} attempts\n  {last_line}"
            )

    def _behind_per_listener(self, behind: list[ListenerBacklog]) -> None:
        """The listeners with deliveries due or failed: which one is behind, and since when."""
        if not behind:
            return
        now = timezone.now()
        self.stdout.write(f"\n{'due':>6} {'waiting':>9} {'failed':>6}  listener")
        for row in behind:
            waiting = (
                f"{(now - row.oldest_due_at).total_seconds():.0f} s" if row.oldest_due_at else ""
            )
            self.stdout.write(f"{row.due:6} {waiting:>9} {row.failed:6}  {row.listener}")
