"""The extraction readiness report: what would cross the network if a module left.

The test project's ``notes`` publishes ``NoteWritten`` and ``tally`` listens to it.
A file planted in ``tally`` for one test adds calls of ``notes.api`` (read from the
source, never imported), reached from an entry point through private functions.
"""

from collections.abc import Iterator
from io import StringIO
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import CommandError, call_command
from pytest_django.fixtures import Settings

from modular_monolith import readiness as readiness_module
from modular_monolith.readiness import readiness, readiness_reports, render

PLANTED = """\
from datetime import timedelta

from modular_monolith.events import listens_to
from modular_monolith.jobs import every
from modules.notes import api as notes
from modules.notes.api import write_note
from modules.notes.events import NoteWritten


def _text(note_id):
    return notes.get_note(note_id).text


def _length(note_id):
    return len(_text(note_id))


@every(timedelta(minutes=1))
def measure():
    return _length(1)


@listens_to(NoteWritten)
def on_note_written(event):
    _text(event.note_id)


class Copier:
    def copy(self, note_id):
        write_note(text=_text(note_id))
        return notes.NoteNotFound  # an error class: not a call
"""


@pytest.fixture
def planted_calls() -> Iterator[Path]:
    path = Path(apps.get_app_config("tally").path) / "planted_calls.py"
    path.write_text(PLANTED)
    yield path
    path.unlink()


def report(*modules: str) -> str:
    out = StringIO()
    call_command("extraction_readiness", *modules, stdout=out)
    return out.getvalue()


def test_a_module_nobody_calls_has_its_events_tables_and_no_blocker() -> None:
    notes = readiness("notes")
    assert notes.called_by == []
    assert notes.publishes == {"notes.NoteWritten": ["tally"]}
    assert notes.tables == ["notes_note"]
    assert notes.blockers == []
    assert readiness("tally").listens_to == ["notes.NoteWritten"]


def test_calls_of_a_modules_api_are_found_with_the_entry_points_that_reach_them(
    planted_calls: Path,
) -> None:
    calls = {(call.function, call.where): call for call in readiness("notes").called_by}

    where = "modules/tally/planted_calls.py"
    assert set(calls) == {
        ("get_note", f"in `_text` ({where})"),
        ("write_note", f"in `Copier.copy` ({where})"),
    }
    assert calls["get_note", f"in `_text` ({where})"].entry_points == (
        f"`Copier.copy` in {where}",
        f"periodic job (`measure` in {where})",
        f"listener of NoteWritten (`on_note_written` in {where})",
    )
    assert all(call.caller == "tally" for call in calls.values())
    assert readiness("tally").calls == readiness("notes").called_by


def test_reports_on_several_modules_read_the_sources_once(
    planted_calls: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[None] = []
    api_calls = readiness_module.api_calls

    def counted() -> Iterator[readiness_module.ApiCall]:
        reads.append(None)
        return api_calls()

    monkeypatch.setattr(readiness_module, "api_calls", counted)

    notes, tally = readiness_reports(["notes", "tally"])

    assert len(reads) == 1
    assert (notes.module, tally.module) == ("notes", "tally")
    assert notes.called_by == tally.calls != []


def test_a_shared_transaction_is_what_must_change_before_leaving(
    settings: Settings, tmp_path: Path
) -> None:
    baseline = tmp_path / "baseline.json"
    baseline.write_text(
        '{"violations": [], "shared_transactions": {"notes+tally": "counted as written"}}'
    )
    settings.MONOLITH_BASELINE = str(baseline)

    assert readiness("tally").blockers == ["shares a transaction (notes+tally): counted as written"]
    assert "- shares a transaction (notes+tally): counted as written" in render(readiness("notes"))


def test_the_command_reports_the_modules_named_or_all(planted_calls: Path) -> None:
    assert report("notes").startswith("### notes\n")
    assert "- tally: `notes.get_note`, in `_text` (modules/tally/planted_calls.py)" in report(
        "notes"
    )
    assert "### notes" in report() and "### tally" in report()
    with pytest.raises(CommandError, match="Not an installed module: nope"):
        report("nope")
