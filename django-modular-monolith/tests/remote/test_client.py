"""The remote binding: the same functions, DTOs and errors; timeouts; retries only if idempotent."""

import inspect
from collections.abc import Iterator
from typing import Any

import pytest

from modular_monolith.remote import ModuleUnavailable, is_idempotent
from modular_monolith.testing import remote_binding
from modules.notes import api as notes
from modules.notes.models import Note

from .stub import closed_port_url, stub_server

SECRET = "shared by both processes"


@pytest.fixture(autouse=True)
def remote_settings(settings: Any) -> None:
    settings.MONOLITH_REMOTE_SECRET = SECRET
    settings.MONOLITH_REMOTE_TIMEOUT = 1.0
    settings.MONOLITH_REMOTE_RETRIES = 2
    settings.MONOLITH_REMOTE_RETRY_DELAY = 0.0


@pytest.fixture
def notes_served(live_server: Any) -> Iterator[None]:
    """notes.api calls Django's live server: a real HTTP server, serving this process's notes."""
    with remote_binding("notes", live_server.url):
        yield


def test_the_binding_has_the_same_signatures_docstrings_and_marks() -> None:
    local_functions = {name: getattr(notes, name) for name in ("get_note", "write_note")}

    with remote_binding("notes", closed_port_url()):
        for name, local in local_functions.items():
            remote = getattr(notes, name)
            assert remote is not local
            assert inspect.signature(remote) == inspect.signature(local)
            assert (remote.__name__, remote.__doc__) == (local.__name__, local.__doc__)
            assert is_idempotent(remote) == is_idempotent(local)

    # Put back after the block.
    assert {name: getattr(notes, name) for name in local_functions} == local_functions


def test_a_remote_call_returns_the_apis_own_dto(notes_served: None) -> None:
    note = notes.write_note(text="hello")

    assert type(note) is notes.NoteDTO
    assert note == notes.NoteDTO(id=Note.objects.get().pk, text="hello")
    assert notes.get_note(note.id) == note


def test_a_remote_call_raises_the_apis_own_error_class(notes_served: None) -> None:
    with pytest.raises(notes.NoteNotFound, match=r"No note 404\."):
        notes.get_note(404)


def test_arguments_that_do_not_fit_are_refused_before_any_request(notes_served: None) -> None:
    with pytest.raises(TypeError):
        notes.write_note("positional")  # type: ignore[misc]


def test_a_service_that_is_down_is_module_unavailable() -> None:
    with (
        remote_binding("notes", closed_port_url()),
        pytest.raises(ModuleUnavailable, match="ConnectError") as unavailable,
    ):
        notes.write_note(text="hello")

    assert unavailable.value.module == "notes"
    assert unavailable.value.message == "The notes module is unavailable; try again later."
    assert unavailable.value.reached is False  # refused: the call ran nowhere


@pytest.mark.parametrize(
    ("status", "body", "reason"),
    [
        (403, {"refused": "The signature does not match."}, "answered 403: The signature"),
        (401, {"refused": "Unsigned call."}, "answered 401"),
        (404, {"refused": "No function."}, "answered 404"),
        (500, None, "answered 500"),
        (422, {"error": {"type": "KeyError", "message": "x", "details": {}}}, "answered 422"),
        (200, {"no result": 1}, "answered 200"),
    ],
    ids=["refused", "unsigned", "unknown", "server-error", "undeclared-error", "no-result"],
)
def test_an_answer_that_is_no_result_nor_a_declared_error_is_module_unavailable_at_once(
    status: int, body: Any, reason: str
) -> None:
    with (
        stub_server(status=status, body=body) as stub,
        remote_binding("notes", stub.url),
        pytest.raises(ModuleUnavailable, match=reason) as unavailable,
    ):
        notes.get_note(1)  # idempotent, yet not retried: asking again would get the same

    assert unavailable.value.reached is True
    assert stub.calls == ["/internal/modules/notes/get_note"]


@pytest.mark.parametrize(
    ("stub_options", "reason"),
    [({"status": 503}, "answered 503"), ({"delay": 0.3}, "ReadTimeout")],
    ids=["restarting", "timeout"],
)
def test_an_idempotent_function_is_retried_then_module_unavailable(
    stub_options: dict[str, Any], reason: str, settings: Any
) -> None:
    settings.MONOLITH_REMOTE_TIMEOUT = 0.1

    with (
        stub_server(**stub_options) as stub,
        remote_binding("notes", stub.url),
        pytest.raises(ModuleUnavailable, match=reason) as unavailable,
    ):
        notes.get_note(1)

    assert unavailable.value.reached is True  # it may have run
    assert len(stub.calls) == 3  # one call, two retries (MONOLITH_REMOTE_RETRIES)


@pytest.mark.parametrize(
    "stub_options", [{"status": 503}, {"delay": 0.3}], ids=["restarting", "timeout"]
)
def test_a_function_not_marked_idempotent_is_never_retried(
    stub_options: dict[str, Any], settings: Any
) -> None:
    settings.MONOLITH_REMOTE_TIMEOUT = 0.1

    with (
        stub_server(**stub_options) as stub,
        remote_binding("notes", stub.url),
        pytest.raises(ModuleUnavailable) as unavailable,
    ):
        notes.write_note(text="maybe written already")

    assert unavailable.value.reached is True
    assert stub.calls == ["/internal/modules/notes/write_note"]


def test_a_retry_that_finds_the_service_back_returns_its_answer() -> None:
    back = (200, {"result": {"id": 1, "text": "hello"}})

    with (
        stub_server(answers=[(503, None), back]) as stub,
        remote_binding("notes", stub.url),
    ):
        note = notes.get_note(1)

    assert note == notes.NoteDTO(id=1, text="hello")
    assert len(stub.calls) == 2
