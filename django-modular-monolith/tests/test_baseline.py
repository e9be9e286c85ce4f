"""The baseline's shared transactions: counted by the checks, listed and kept by the command."""

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from pytest_django.fixtures import Settings

from modular_monolith.boundaries.checks import check_boundaries

SHARED = {"notes+tally": "counted as written"}


@pytest.fixture
def baseline(settings: Settings, tmp_path: Path) -> Path:
    """A baseline file of the test project, recording one shared transaction."""
    path = tmp_path / "boundaries-baseline.json"
    path.write_text(json.dumps({"violations": [], "shared_transactions": SHARED}))
    settings.MONOLITH_BASELINE = str(path)
    return path


def test_the_checks_count_the_recorded_shared_transactions(baseline: Path) -> None:
    messages = check_boundaries()

    assert [(message.id, message.msg) for message in messages] == [
        (
            "boundaries.I002",
            f"1 shared transaction(s) recorded in {baseline}: notes+tally.",
        )
    ]


@pytest.mark.parametrize("key", ["tally+notes", "notes", "notes+notes", "notes+tally+users"])
def test_a_shared_transaction_that_does_not_name_two_modules_is_an_error(
    baseline: Path, key: str
) -> None:
    baseline.write_text(json.dumps({"violations": [], "shared_transactions": {key: "why"}}))

    assert [message.id for message in check_boundaries()] == [
        "boundaries.E009",
        "boundaries.I002",
    ]


def test_a_baseline_written_before_shared_transactions_existed_still_loads(
    baseline: Path,
) -> None:
    baseline.write_text(json.dumps({"violations": []}))

    assert check_boundaries() == []


def test_the_command_lists_the_shared_transactions(baseline: Path) -> None:
    out = StringIO()
    call_command("boundaries", stdout=out)

    assert "shared   notes+tally: counted as written" in out.getvalue()
    assert "1 shared transaction(s) recorded." in out.getvalue()


def test_writing_the_baseline_keeps_the_shared_transactions(baseline: Path) -> None:
    out = StringIO()
    call_command("boundaries", "--write-baseline", stdout=out)

    assert "and kept 1 shared transaction(s)" in out.getvalue()
    assert json.loads(baseline.read_text())["shared_transactions"] == SHARED
