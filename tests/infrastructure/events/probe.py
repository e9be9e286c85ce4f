"""A listener that only the consumer process of the broker tests loads.

It appends each event it receives to the file named by ``PROBE_FILE``, so the
test can see what reached the consumer, and how often.
"""

import json
import os

from modules.orders.events import OrderPlaced

from shop.infrastructure.events import listens_to


@listens_to(OrderPlaced)
def record_order_placed(event: OrderPlaced) -> None:
    with open(os.environ["PROBE_FILE"], "a", encoding="utf-8") as probe:
        probe.write(json.dumps({"order_id": event.order_id}) + "\n")
