"""Events that leave the process, through a real RabbitMQ on 127.0.0.1:5672."""

import json
import os
import uuid
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from kombu import Connection
from pytest_django.fixtures import Settings

from modules.orders import api as orders
from modules.orders.events import OrderPlaced
from modules.products.models import Product
from modules.users import api as users

from shop.infrastructure.events.broker import exchange
from shop.infrastructure.events.envelope import encode_payload, envelope
from shop.infrastructure.events.registry import event_type_of
from shop.infrastructure.models import Delivery, StoredEvent

from .processes import start, wait_until

BROKER_URL = os.environ.get("TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
UNREACHABLE_BROKER_URL = "amqp://guest:guest@127.0.0.1:5999//"  # nothing listens there
PROBE = "tests.infrastructure.events.probe.record_order_placed"

pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def broker(settings: Settings) -> str:
    """The broker URL, in the settings; skipped without RabbitMQ, except in CI where it must run."""
    try:
        with Connection(BROKER_URL, connect_timeout=2) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as error:
        if os.environ.get("CI"):
            pytest.fail(f"RabbitMQ is not reachable at {BROKER_URL}: {error}")
        pytest.skip(f"RabbitMQ is not reachable at {BROKER_URL}")
    settings.EVENTS_BROKER_URL = BROKER_URL
    return BROKER_URL


@pytest.fixture
def consumer(broker: str, tmp_path: Path) -> Iterator[Path]:
    """A `consume_events orders.OrderPlaced` process with a probe listener; yields the probe file."""
    probe = tmp_path / "probe.jsonl"
    probe.touch()
    queue = f"test-{uuid.uuid4()}"
    process = start(
        "--import", "tests.infrastructure.events.probe", "--",
        "consume_events", "orders.OrderPlaced", "--queue", queue,
        EVENTS_BROKER_URL=broker, PROBE_FILE=str(probe),
    )  # fmt: skip
    try:
        assert process.stdout is not None
        wait_until(lambda: "Consuming" in process.stdout.readline(), what="the consumer")
        yield probe
    finally:
        process.terminate()
        process.communicate(timeout=10)
        with Connection(broker) as connection:
            connection.default_channel.queue_delete(queue)


def received(probe: Path) -> list[int]:
    return [json.loads(line)["order_id"] for line in probe.read_text().splitlines()]


def place_order() -> orders.OrderDTO:
    customer = users.register_user(
        email=f"{uuid.uuid4().hex}@example.com", password="a long test passphrase"
    )
    product = Product.objects.create(
        sku=uuid.uuid4().hex, name="Mug", price=Decimal("5.00"), stock=3
    )
    return orders.place_order(
        customer_id=customer.id, lines=[orders.RequestedLine(product_id=product.pk, quantity=1)]
    )


def test_an_order_placed_here_reaches_a_consumer_process(consumer: Path) -> None:
    order = place_order()
    assert StoredEvent.objects.get(type="orders.OrderPlaced").relay_pending

    call_command("process_events", "--once")

    wait_until(lambda: received(consumer) == [order.id], what="the consumer's listener")
    assert Delivery.objects.get(listener=PROBE).status == "succeeded"
    assert StoredEvent.objects.get(type="orders.OrderPlaced").relayed_at is not None


def order_placed_message(event_id: uuid.UUID, order_id: int) -> dict[str, object]:
    event = OrderPlaced(order_id=order_id, customer_id=1, total=Decimal("3.00"))
    return envelope(
        event_id=event_id,
        event_type=event_type_of(OrderPlaced),
        occurred_at=timezone.now(),
        data=encode_payload(event),
    )


def test_a_message_the_broker_delivers_twice_is_applied_once(consumer: Path, broker: str) -> None:
    event_id = uuid.uuid4()
    copies = [order_placed_message(event_id, 424242)] * 2
    marker = order_placed_message(uuid.uuid4(), 434343)  # once it is in, both copies were handled
    with Connection(broker) as connection:
        producer = connection.Producer(exchange=exchange())
        for document in [*copies, marker]:
            producer.publish(document, serializer="json", routing_key="orders.OrderPlaced")

    wait_until(lambda: 434343 in received(consumer), what="the marker message")
    assert received(consumer).count(424242) == 1
    assert Delivery.objects.filter(event_id=event_id, listener=PROBE).count() == 1


def test_with_the_broker_down_orders_go_through_and_the_relay_catches_up(
    broker: str, settings: Settings
) -> None:
    settings.EVENTS_BROKER_URL = UNREACHABLE_BROKER_URL
    order = place_order()
    call_command("process_events", "--once")  # the relay fails and leaves the event in the outbox
    stored = StoredEvent.objects.get(type="orders.OrderPlaced", payload__order_id=order.id)
    assert stored.relay_pending

    settings.EVENTS_BROKER_URL = broker
    call_command("process_events", "--once")

    stored.refresh_from_db()
    assert not stored.relay_pending
    assert stored.relayed_at is not None
