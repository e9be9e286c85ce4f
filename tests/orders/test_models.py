"""orders.models: how an order is known to payments."""

import pytest

from modules.orders.models import Order


def test_payment_reference_names_the_order() -> None:
    assert Order(pk=42).payment_reference == "order-42"


@pytest.mark.parametrize(
    ("reference", "order_id"),
    [
        ("order-42", 42),
        ("order-007", 7),
        ("invoice-42", None),
        ("order42", None),
        ("order-", None),
        ("order-abc", None),
        ("order-4 2", None),
        ("order--42", None),
        ("order-\N{SUPERSCRIPT TWO}", None),
        ("order-\N{ARABIC-INDIC DIGIT THREE}", None),
    ],
)
def test_id_from_payment_reference_reads_only_order_references(
    reference: str, order_id: int | None
) -> None:
    assert Order.id_from_payment_reference(reference) == order_id


def test_id_from_payment_reference_reads_back_the_payment_reference() -> None:
    assert Order.id_from_payment_reference(Order(pk=1234).payment_reference) == 1234
