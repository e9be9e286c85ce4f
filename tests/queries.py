"""Reading captured SQL as short summaries, for the tests that count statements."""

import re

from django.db import connection


def summary(sql: str) -> str:
    """'SELECT "products_product"."id", ... FROM "products_product" ...' -> 'SELECT products_product'.

    Savepoints lose their name and transaction control its mode (SQLite's ``BEGIN IMMEDIATE``).
    """
    if sql.startswith(("SAVEPOINT", "RELEASE SAVEPOINT")):
        return sql.rsplit(" ", 1)[0]
    verb = sql.split(" ", 1)[0]
    if verb in ("BEGIN", "COMMIT", "ROLLBACK"):
        return verb
    table = re.search(r'(?:FROM|INTO|UPDATE) "(\w+)"', sql)
    return f"{verb} {table.group(1) if table else '?'}"


def publishing(*, listened: bool) -> list[str]:
    """What ``publish()`` runs: on PostgreSQL one statement (the event, its deliveries and
    the worker's wake-up); elsewhere the event, then its deliveries if anyone listens."""
    if connection.vendor == "postgresql":
        return ["WITH modular_monolith_storedevent"]
    deliveries = ["INSERT modular_monolith_delivery"] if listened else []
    return ["INSERT modular_monolith_storedevent", *deliveries]
