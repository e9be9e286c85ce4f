"""A module's api as a remote contract: its functions and errors, encoded by their hints."""

import json
from typing import Any

import pytest

from modular_monolith.remote.contract import (
    contract_of,
    decode_call,
    decode_error,
    encode_call,
    encode_error,
)
from modules.notes import api as notes


def over_the_wire(body: Any) -> Any:
    return json.loads(json.dumps(body))


def test_the_contract_is_what_the_api_exports() -> None:
    contract = contract_of("notes")

    assert sorted(contract.functions) == ["get_note", "write_note"]
    assert contract.errors == {"NoteNotFound": notes.NoteNotFound}


def test_an_error_travels_with_its_class_message_and_details() -> None:
    contract = contract_of("notes")
    sent = notes.NoteNotFound("No note 7.", details={"note_id": 7, "asked": ["a", "b"]})

    received = decode_error(over_the_wire(encode_error(sent, contract)), contract)

    assert type(received) is notes.NoteNotFound
    assert (received.message, received.details) == (
        "No note 7.",
        {"note_id": 7, "asked": ["a", "b"]},
    )


def test_a_subclass_the_api_does_not_export_travels_as_the_exported_class_it_extends() -> None:
    class NoteDeleted(notes.NoteNotFound):
        pass

    contract = contract_of("notes")

    received = decode_error(over_the_wire(encode_error(NoteDeleted("Gone."), contract)), contract)

    assert type(received) is notes.NoteNotFound


def test_an_exception_the_api_does_not_export_is_not_part_of_the_contract() -> None:
    contract = contract_of("notes")

    assert encode_error(RuntimeError("a bug"), contract) is None
    assert decode_error({"error": {"type": "RuntimeError", "message": "x"}}, contract) is None


def test_arguments_are_sent_by_name_and_decoded_by_the_signatures_hints() -> None:
    body = over_the_wire(encode_call(notes.get_note, (7,), {}))

    assert body == {"arguments": {"note_id": 7}}
    assert decode_call(notes.get_note, body) == {"note_id": 7}


def test_arguments_that_do_not_fit_the_signature_are_refused_on_both_sides() -> None:
    with pytest.raises(TypeError):
        encode_call(notes.write_note, ("positional",), {})
    with pytest.raises(TypeError):
        decode_call(notes.write_note, {"arguments": {"text": "hi", "extra": 1}})
