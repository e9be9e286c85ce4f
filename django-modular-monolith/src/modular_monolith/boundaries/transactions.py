"""The transaction guard: a transaction writes the tables of one module only.

A transaction that writes two modules' tables ties them together: neither can
commit without the other, and the day one of them leaves the process that
transaction can no longer exist. A module hands the other its part through an
event, delivered after the commit, or calls it before or after its own
transaction.

The guard is an execute wrapper installed with the other runtime guards
(``guards.install``). It watches every INSERT, UPDATE and DELETE that a module's
code makes inside a transaction, raw SQL included, and attributes it to the
module that owns the table: products' stock update is products' write, even when
orders calls it. When a second module's table is written, it reports both
modules, their tables and where in the modules' code each first wrote (the
innermost module on the stack, as the query guard says), unless the baseline
records the pair (``baseline.load_shared_transactions``). Tables that no module
owns (the outbox, Django's own) never count, and neither do writes with no
module's code on the stack: Django's own work on the database (``flush``,
``loaddata``, migrations) writes every module's tables at once.

A transaction, here, is the outermost atomic block the running code opened.
Django's TestCase (and so pytest-django) wraps each test in blocks of its own,
marked ``_from_testcase``: what a fixture writes in them is not a transaction of
the code under test, and a block the code opens inside them is one, though the
database sees a savepoint. A savepoint the code opens inside its own transaction
is part of it; writes rolled back to such a savepoint still count. The event worker
runs many listener calls in one database transaction, each isolated by a savepoint and
committing its own delivery's mark: each call is a unit of its own (``unit_of_work``),
checked alone, for it would commit alone if the batch were split.
"""

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import Any
from weakref import WeakKeyDictionary

from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.transaction import Atomic

from .baseline import baseline_path, load_shared_transactions, shared_transaction_key
from .ownership import calling_module, relative, table_owners, tables_in
from .violations import report

WRITES = ("INSERT", "UPDATE", "DELETE")


def transaction_guard(
    execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
) -> Any:
    """Record a write to a module's table; report a transaction that writes two modules'."""
    if sql.lstrip().upper().startswith(WRITES):
        # The written table comes first: INSERT INTO t, UPDATE t, DELETE FROM t.
        table = next(iter(tables_in(sql)), None)
        caller = calling_module() if table else None
        transaction = _current_unit(context["connection"]) if caller else None
        if table and caller and transaction:
            transaction.record(owner=table_owners()[table], table=table, location=caller[1])
    return execute(sql, params, many, context)


@dataclass
class _FirstWrite:
    location: str  # file:line of the code that wrote first
    tables: set[str]  # every table of the module written so far


@dataclass(eq=False)
class _Transaction:
    """The writes of one transaction, by the module that owns the tables written."""

    block: Atomic | None  # the outermost atomic block the code opened (None: a unit of work)
    savepoint: str | None  # its savepoint, when it runs inside a test case's transaction
    writes: dict[str, _FirstWrite] = field(default_factory=dict)
    # An on-commit callback that does nothing: Django drops it when the transaction commits or
    # rolls back, so finding it still registered means the transaction is still the same one.
    marker: Callable[[], None] = field(default_factory=lambda: lambda: None)

    def is_open(
        self, connection: BaseDatabaseWrapper, block: Atomic, savepoint: str | None
    ) -> bool:
        if block is not self.block or savepoint != self.savepoint:
            return False
        if savepoint is not None:  # no id is used twice inside the transaction around it
            return True
        # run_on_commit holds (savepoint ids, callback, robust); Django empties it as it ends.
        return any(hook[1] is self.marker for hook in connection.run_on_commit)

    def record(self, *, owner: str, table: str, location: str) -> None:
        if owner in self.writes:
            self.writes[owner].tables.add(table)
            return
        self.writes[owner] = _FirstWrite(location=location, tables={table})
        for other in sorted(self.writes.keys() - {owner}):
            if shared_transaction_key({owner, other}) not in load_shared_transactions():
                report(self._describe(other, owner))

    def _describe(self, first: str, second: str) -> str:
        writes = " and ".join(
            f"{module} ({', '.join(sorted(self.writes[module].tables))}, "
            f"first at {self.writes[module].location})"
            for module in (first, second)
        )
        return (
            f"One transaction writes the tables of {writes}. Let one module react to the "
            f"other's event after the commit, or record "
            f'"{shared_transaction_key({first, second})}" under "shared_transactions" '
            f"in {relative(baseline_path())}, with the reason."
        )


_transactions: "WeakKeyDictionary[BaseDatabaseWrapper, _Transaction]" = WeakKeyDictionary()
_unit: ContextVar[_Transaction | None] = ContextVar("unit_of_work", default=None)


@contextmanager
def unit_of_work() -> Iterator[None]:
    """Check the writes of the block as a transaction of their own, inside a shared one."""
    token = _unit.set(_Transaction(block=None, savepoint=None))
    try:
        yield
    finally:
        _unit.reset(token)


def _current_unit(connection: BaseDatabaseWrapper) -> _Transaction | None:
    if connection.in_atomic_block and (unit := _unit.get()) is not None:
        return unit
    return _current_transaction(connection)


def _current_transaction(connection: BaseDatabaseWrapper) -> _Transaction | None:
    """The transaction the running code opened on ``connection``; None outside one."""
    if not connection.in_atomic_block:
        return None
    blocks = connection.atomic_blocks
    # Django's TestCase marks the blocks it opens around a test (since Django 4.2).
    depth = next(
        (i for i, block in enumerate(blocks) if not getattr(block, "_from_testcase", False)), None
    )
    if depth is None:  # only a test case's own blocks: a fixture, or the test itself, writes
        return None
    # Every block but a transaction's first holds a savepoint: the ids line up from the end.
    offset = len(blocks) - len(connection.savepoint_ids)
    savepoint = connection.savepoint_ids[depth - offset] if depth >= offset else None
    transaction = _transactions.get(connection)
    if transaction is None or not transaction.is_open(connection, blocks[depth], savepoint):
        transaction = _Transaction(block=blocks[depth], savepoint=savepoint)
        if savepoint is None:
            connection.on_commit(transaction.marker)
        _transactions[connection] = transaction
    return transaction
