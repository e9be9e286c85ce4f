"""Fixtures of the payments tests: a recording gateway in place of the active one."""

import pytest

from modules.payments import gateways

from .fakes import RecordingGateway


@pytest.fixture
def gateway(monkeypatch: pytest.MonkeyPatch) -> RecordingGateway:
    """The gateway every charge of the test goes through."""
    recording = RecordingGateway()
    monkeypatch.setattr(gateways, "active_gateway", lambda: recording)
    return recording


@pytest.fixture
def slow_gateway(monkeypatch: pytest.MonkeyPatch) -> RecordingGateway:
    """Like ``gateway``, but each charge takes 0.2 s: long enough for racing requests to meet."""
    recording = RecordingGateway(delay=0.2)
    monkeypatch.setattr(gateways, "active_gateway", lambda: recording)
    return recording
