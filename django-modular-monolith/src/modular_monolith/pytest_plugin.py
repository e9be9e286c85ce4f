"""The library's pytest plugin, loaded by pytest wherever the library is installed.

    published               fixture: the events published during the test, in order
    deliver_events          fixture: ``with deliver_events(): ...`` delivers the events of
                            the block when it ends, as a commit would
    traced                  fixture: tracing on for the test; the in-memory exporter of its
                            spans (``.get_finished_spans()``); needs opentelemetry-sdk
    boundary guards         on for the whole session, whatever ``MONOLITH_GUARDS`` says
    @pytest.mark.postgres   the test needs PostgreSQL: skipped on any other database

The fixtures and guards need a configured Django (pytest-django with a settings
module); a test run without one is left alone, but for skipping the ``postgres``
tests. See ``modular_monolith.testing`` for the helpers behind the fixtures.
"""

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest

if TYPE_CHECKING:  # the helpers import Django models: only once Django is set up
    from .testing import DeliverEvents


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line("markers", "postgres: needs PostgreSQL (skipped on other databases)")


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Skip tests marked ``postgres`` unless the default database is PostgreSQL."""
    if item.get_closest_marker("postgres") and _database_vendor() != "postgresql":
        pytest.skip("needs PostgreSQL: run with DATABASE_URL=postgres://...")


@pytest.fixture(autouse=True, scope="session")
def boundary_guards() -> None:
    """The runtime boundary guards are on in every test, whatever ``MONOLITH_GUARDS`` says."""
    if _django_ready():
        from .testing import install_boundary_guards

        install_boundary_guards()


@pytest.fixture
def published() -> Iterator[list[object]]:
    """Collect every event published (and committed) during the test, in order."""
    from .testing import capture_events

    with capture_events() as events:
        yield events


@pytest.fixture
def deliver_events() -> "DeliverEvents":
    """Return a context manager that runs the block's on-commit callbacks when it ends.

    Tests run inside a transaction that never commits, so events would never be
    delivered; ``with deliver_events(): ...`` delivers them as a commit would.
    """
    from .testing import deliver_on_commit

    return deliver_on_commit


@pytest.fixture
def traced() -> Iterator[Any]:
    """Turn tracing on for the test; yield the in-memory exporter its spans go to."""
    pytest.importorskip("opentelemetry.sdk", reason="needs opentelemetry-sdk")
    from .testing import tracing_on

    with tracing_on() as exporter:
        yield exporter


def _django_ready() -> bool:
    from django.apps import apps

    return apps.ready


def _database_vendor() -> str | None:
    if not _django_ready():
        return None
    from django.db import connection

    return connection.vendor
