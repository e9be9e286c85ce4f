"""Fixtures of the payments tests: a recording gateway in place of the active one, and the
binding the contract suite runs against.

The contract suite (``CONTRACT_SUITE``: the tests of ``payments.api``) runs twice,
unchanged: against the module in this process, and against the remote binding
calling it over HTTP, served by Django's live server, as when payments runs as its
own service. A test of what only a call in the same process can do (joining the
caller's transaction) is marked ``in_process_only``.
"""

from collections.abc import Iterator

import pytest
from django.conf import LazySettings
from modular_monolith.testing import remote_binding

from .fakes import UseGateway, gateway, slow_gateway, use_gateway

__all__ = ["UseGateway", "gateway", "payments_binding", "slow_gateway", "use_gateway"]

CONTRACT_SUITE = {"tests.payments.test_api"}
REMOTE_SECRET = "the contract suite's shared secret"


def pytest_configure(config: pytest.Config) -> None:
    config.addinivalue_line(
        "markers", "in_process_only: a payments contract test the remote binding cannot pass"
    )


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    if metafunc.module.__name__ in CONTRACT_SUITE:
        metafunc.parametrize(
            "payments_binding",
            [
                "in-process",
                # The served process commits on its own: the test cannot wrap it in a transaction.
                pytest.param("remote", marks=pytest.mark.django_db(transaction=True)),
            ],
            indirect=True,
        )


@pytest.fixture(autouse=True)
def payments_binding(request: pytest.FixtureRequest, settings: LazySettings) -> Iterator[str]:
    """``in-process`` (the default), or ``remote``: payments.api calls the live server."""
    binding = getattr(request, "param", "in-process")
    if binding == "in-process":
        yield binding
        return
    if request.node.get_closest_marker("in_process_only"):
        pytest.skip("A remote call commits on its own: it cannot join the caller's transaction.")
    settings.MONOLITH_REMOTE_SECRET = REMOTE_SECRET
    live_server = request.getfixturevalue("live_server")
    with remote_binding("payments", live_server.url):
        yield binding
