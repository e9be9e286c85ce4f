"""Events that leave the process, through a real RabbitMQ on 127.0.0.1:5672."""

import json
import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone
from kombu import Connection
from pytest_django.fixtures import Settings

from modular_monolith.events import publish
from modular_monolith.events.broker import exchange
from modular_monolith.events.envelope import encode_payload, envelope
from modular_monolith.events.registry import event_type_of
from modular_monolith.models import Delivery, StoredEvent

from .processes import start, wait_until
from .sample import SampleAnnounced

BROKER_URL = os.environ.get("TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
UNREACHABLE_BROKER_URL = "amqp://guest:guest@127.0.0.1:5999//"  # nothing listens there
ANNOUNCED = "tests.SampleAnnounced"  # external: relayed to the broker
PROBE = "tests.events.probe.record_sample_announced"

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
    settings.MONOLITH_EVENTS_BROKER_URL = BROKER_URL
    return BROKER_URL


@pytest.fixture
def consumer(broker: str, tmp_path: Path) -> Iterator[Path]:
    """A `consume_events tests.SampleAnnounced` process with a probe listener; yields its file."""
    probe = tmp_path / "probe.jsonl"
    probe.touch()
    queue = f"test-{uuid.uuid4()}"
    process = start(
        "--import", "tests.events.probe", "--",
        "consume_events", ANNOUNCED, "--queue", queue,
        MONOLITH_EVENTS_BROKER_URL=broker, PROBE_FILE=str(probe),
    )  # fmt: skip
    try:
        output = process.stdout
        assert output is not None
        wait_until(lambda: "Consuming" in output.readline(), what="the consumer")
        yield probe
    finally:
        process.terminate()
        process.communicate(timeout=10)
        with Connection(broker) as connection:
            connection.default_channel.queue_delete(queue)


def received(probe: Path) -> list[int]:
    return [json.loads(line)["number"] for line in probe.read_text().splitlines()]


def test_an_event_published_here_reaches_a_consumer_process(consumer: Path) -> None:
    publish(SampleAnnounced(number=7))
    stored = StoredEvent.objects.get(type=ANNOUNCED)
    assert stored.relay_pending
    assert not stored.deliveries.exists()  # nobody listens to it in this process

    call_command("process_events", "--once")

    # The listener writes the probe inside its delivery's transaction: wait for the commit.
    delivered = Delivery.objects.filter(listener=PROBE, event=stored, status="succeeded")
    wait_until(delivered.exists, what="the consumer's delivery")
    assert received(consumer) == [7]
    stored.refresh_from_db()
    assert stored.relayed_at is not None


def announced_message(event_id: uuid.UUID, number: int) -> dict[str, object]:
    return envelope(
        event_id=event_id,
        event_type=event_type_of(SampleAnnounced),
        occurred_at=timezone.now(),
        data=encode_payload(SampleAnnounced(number=number)),
    )


def test_a_message_the_broker_delivers_twice_is_applied_once(consumer: Path, broker: str) -> None:
    event_id = uuid.uuid4()
    copies = [announced_message(event_id, 424242)] * 2
    marker = announced_message(uuid.uuid4(), 434343)  # once it is in, both copies were handled
    with Connection(broker) as connection:
        producer = connection.Producer(exchange=exchange())
        for document in [*copies, marker]:
            producer.publish(document, serializer="json", routing_key=ANNOUNCED)

    wait_until(lambda: 434343 in received(consumer), what="the marker message")
    assert received(consumer).count(424242) == 1
    assert Delivery.objects.filter(event_id=event_id, listener=PROBE).count() == 1


def test_with_the_broker_down_publishing_succeeds_and_the_relay_catches_up(
    broker: str, settings: Settings
) -> None:
    settings.MONOLITH_EVENTS_BROKER_URL = UNREACHABLE_BROKER_URL
    publish(SampleAnnounced(number=8))
    call_command("process_events", "--once")  # the relay fails and leaves the event in the outbox
    stored = StoredEvent.objects.get(type=ANNOUNCED, payload__number=8)
    assert stored.relay_pending

    settings.MONOLITH_EVENTS_BROKER_URL = broker
    call_command("process_events", "--once")

    stored.refresh_from_db()
    assert not stored.relay_pending
    assert stored.relayed_at is not None
