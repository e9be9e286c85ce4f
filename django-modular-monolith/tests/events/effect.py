"""The listener of the worker process tests: an effect in the database, to be counted.

It creates an auth ``Group`` named after the event's number, with a random suffix,
so that an event applied twice leaves two groups (rather than an error that a retry
would hide). Then it takes ``SAMPLE_EFFECT_SECONDS`` seconds, still inside the
delivery's transaction, so that a test can kill a worker in the middle of a delivery.
For the event numbered ``SAMPLE_HANG_AT`` it writes its number to the file
``SAMPLE_HANG_FILE`` and hangs, so that a test can kill a worker mid-batch.

The test process imports it to publish (the deliveries name this listener); the
worker processes load it with ``run.py --import``.
"""

import os
import time
import uuid

from django.contrib.auth.models import Group

from modular_monolith.events import listener_name, listens_to

from .sample import SampleQueued

PREFIX = "sample effect"


@listens_to(SampleQueued)
def create_group(event: SampleQueued) -> None:
    Group.objects.create(name=f"{PREFIX} {event.number} {uuid.uuid4().hex}")
    time.sleep(float(os.environ.get("SAMPLE_EFFECT_SECONDS", "0")))
    if str(event.number) == os.environ.get("SAMPLE_HANG_AT"):
        with open(os.environ["SAMPLE_HANG_FILE"], "w", encoding="utf-8") as hanging:
            hanging.write(str(event.number))
        time.sleep(600)


LISTENER = listener_name(create_group)


def applied() -> list[int]:
    """The number of the event behind each group the listener created, sorted."""
    names = Group.objects.filter(name__startswith=f"{PREFIX} ").values_list("name", flat=True)
    return sorted(int(name.split()[2]) for name in names)
