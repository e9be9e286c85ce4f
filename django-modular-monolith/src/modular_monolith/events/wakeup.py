"""Waking the worker: a publishing transaction notifies this PostgreSQL channel on commit,
and the worker listens on it instead of polling.

``LISTEN`` is issued on the worker's own database connection (again whenever Django
opens a new one), so waiting costs no second connection. A notification that arrives
while the worker delivers is kept by psycopg until the next wait, which then returns at
once: none is lost between "nothing is due" and the wait. Other databases have no
such channel; there the wait is a plain sleep, and the worker polls.
"""

import time
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections

CHANNEL = "modular_monolith_events"


class Wakeup:
    """Waits for news of the outbox on ``CHANNEL``, or until a timeout, whichever comes first."""

    def __init__(self, using: str = DEFAULT_DB_ALIAS) -> None:
        self.using = using
        self._listening_on: Any = None  # the driver connection LISTEN was issued on

    def wait(self, timeout: float) -> bool:
        """Return True as soon as a notification arrives, False after ``timeout`` seconds."""
        connection = connections[self.using]
        if connection.vendor != "postgresql":
            time.sleep(timeout)
            return False
        driver_connection = self.listen()
        notified = False
        for _notification in driver_connection.notifies(timeout=timeout, stop_after=1):
            notified = True
        if notified:  # take the others that came in the same breath, so the next wait waits
            for _notification in driver_connection.notifies(timeout=0):
                pass
        return notified

    def listen(self) -> Any:
        """Issue ``LISTEN`` unless this connection already did; return the driver connection.

        Call it before looking for work the first time, so that a notification sent
        between that look and the first wait is not missed.
        """
        connection = connections[self.using]
        if connection.vendor != "postgresql":
            return None
        connection.ensure_connection()
        driver_connection = connection.connection
        if driver_connection is not self._listening_on:
            with connection.cursor() as cursor:
                cursor.execute(f"LISTEN {CHANNEL}")
            self._listening_on = driver_connection
        return driver_connection
