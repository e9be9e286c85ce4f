"""A listener that only the consumer process of the broker tests loads.

It appends each event it receives to the file named by ``PROBE_FILE``, so the
test can see what reached the consumer, and how often.
"""

import json
import os

from modular_monolith.events import listens_to

from .sample import SampleAnnounced


@listens_to(SampleAnnounced)
def record_sample_announced(event: SampleAnnounced) -> None:
    with open(os.environ["PROBE_FILE"], "a", encoding="utf-8") as probe:
        probe.write(json.dumps({"number": event.number}) + "\n")
