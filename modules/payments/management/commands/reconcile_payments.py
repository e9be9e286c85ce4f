from datetime import timedelta
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from modules.payments import selectors
from modules.payments.settlement import PENDING_TIMEOUT, payments_reconcile


class Command(BaseCommand):
    help = (
        "Settle payments left pending by a crash or a gateway timeout: ask the gateway "
        "what became of each one's idempotency key, record it and publish its event. "
        "The event worker runs this every minute; --list only shows them."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--list", action="store_true", help="List the stale pending payments; change nothing."
        )
        parser.add_argument(
            "--older-than",
            type=float,
            default=PENDING_TIMEOUT.total_seconds(),
            metavar="SECONDS",
            help="Only payments pending for longer than this (default: %(default)s).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        older_than = timedelta(seconds=options["older_than"])
        if options["list"]:
            for payment in selectors.payments_pending(older_than=older_than):
                self.stdout.write(
                    f"{payment.pk}\t{payment.reference}\t{payment.amount}\t"
                    f"pending since {payment.attempted_at.isoformat()}"
                )
            return
        payments = payments_reconcile(older_than=older_than)
        for payment in payments:
            self.stdout.write(f"{payment.pk}\t{payment.reference}\t{payment.status}")
        self.stdout.write(f"Reconciled {len(payments)} pending payment(s).")
