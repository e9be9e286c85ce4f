"""The endpoint serving the installed modules: signed calls in, results and declared errors out."""

import json
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from modular_monolith.remote import server
from modular_monolith.remote.signing import signed_headers
from modules.notes.models import Note

pytestmark = pytest.mark.django_db

SECRET = "the served process's secret"


@pytest.fixture(autouse=True)
def shared_secret(settings: Any) -> None:
    settings.MONOLITH_REMOTE_SECRET = SECRET


def post(
    path: str, body: Any, *, secret: str = SECRET, client: Client | None = None, **headers: str
) -> Any:
    content = json.dumps(body).encode()
    signed = signed_headers(secret=secret, method="POST", path=path, body=content)
    return (client or Client()).post(
        path, content, content_type="application/json", headers={**signed, **headers}
    )


def test_a_signed_call_runs_the_function_and_answers_its_result() -> None:
    response = post("/internal/modules/notes/write_note", {"arguments": {"text": "hello"}})

    note = Note.objects.get()
    assert (response.status_code, response.json()) == (
        200,
        {"result": {"id": note.pk, "text": "hello"}},
    )


def test_an_error_the_api_exports_answers_422_with_its_class_message_and_details() -> None:
    response = post("/internal/modules/notes/get_note", {"arguments": {"note_id": 404}})

    assert (response.status_code, response.json()) == (
        422,
        {"error": {"type": "NoteNotFound", "message": "No note 404.", "details": {}}},
    )


def test_an_unsigned_call_is_refused_with_401_and_nothing_runs() -> None:
    response = Client().post(
        "/internal/modules/notes/write_note",
        {"arguments": {"text": "hello"}},
        content_type="application/json",
    )

    assert response.status_code == 401
    assert "Unsigned call" in response.json()["refused"]
    assert not Note.objects.exists()


def test_a_call_signed_with_another_secret_is_refused_with_403_and_nothing_runs() -> None:
    response = post(
        "/internal/modules/notes/write_note", {"arguments": {"text": "hi"}}, secret="guessed"
    )

    assert response.status_code == 403
    assert not Note.objects.exists()


def test_a_signature_is_for_one_function_only() -> None:
    content = json.dumps({"arguments": {"text": "hi"}}).encode()
    signed = signed_headers(
        secret=SECRET, method="POST", path="/internal/modules/notes/get_note", body=content
    )

    response = Client().post(
        "/internal/modules/notes/write_note",
        content,
        content_type="application/json",
        headers=signed,
    )

    assert response.status_code == 403
    assert not Note.objects.exists()


@pytest.mark.parametrize(
    "path",
    [
        "/internal/modules/notes/delete_note",  # no such function
        "/internal/modules/notes/NoteDTO",  # exported, but not a function
        "/internal/modules/notes/publish",  # imported by api.py, not exported
        "/internal/modules/nothing/get_note",  # no such module
    ],
)
def test_only_the_functions_an_api_exports_are_served(path: str) -> None:
    response = post(path, {"arguments": {}})

    assert response.status_code == 404


@pytest.mark.parametrize(
    "body",
    [
        {"arguments": {}},  # a required argument missing
        {"arguments": {"text": "hi", "author": "ada"}},  # an argument it does not take
        {"text": "hi"},  # not a call
        ["hi"],
    ],
)
def test_arguments_that_do_not_fit_the_signature_answer_400_and_nothing_runs(body: Any) -> None:
    response = post("/internal/modules/notes/write_note", body)

    assert response.status_code == 400
    assert "do not fit notes.write_note" in response.json()["refused"]
    assert not Note.objects.exists()


def test_only_post_is_served() -> None:
    assert Client().get("/internal/modules/notes/get_note").status_code == 405


def test_an_error_the_api_does_not_export_is_a_server_error(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(Note.objects, "get", broken)

    response = post(
        "/internal/modules/notes/get_note",
        {"arguments": {"note_id": 1}},
        client=Client(raise_request_exception=False),
    )

    assert response.status_code == 500


@pytest.fixture
def notes_served_elsewhere(settings: Any) -> Iterator[None]:
    settings.MONOLITH_REMOTE_MODULES = {"notes": "http://127.0.0.1:9"}
    server.serve_local_modules()
    yield
    settings.MONOLITH_REMOTE_MODULES = {}
    server.serve_local_modules()


def test_a_module_served_by_another_process_is_not_served_here(
    notes_served_elsewhere: None,
) -> None:
    response = post("/internal/modules/notes/get_note", {"arguments": {"note_id": 1}})

    assert response.status_code == 404
    assert server.served_modules() == ["tally"]
