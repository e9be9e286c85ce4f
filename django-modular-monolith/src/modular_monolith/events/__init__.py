"""Domain events: published with the change that caused them, delivered at least once,
applied once.

A module declares the facts it announces in its ``events.py``::

    @event("orders.OrderPlaced", version=1, external=True)
    @dataclass(frozen=True, kw_only=True)
    class OrderPlaced:
        order_id: int

publishes one from a service with ``publish(OrderPlaced(order_id=order.pk))``, and
another module reacts with ``@listens_to(OrderPlaced)``. How it travels:

    service ──publish()──▶ outbox tables ──(commit)──▶ each listener, isolated (a savepoint)
      (same transaction)     one row per event,          in a batch's transaction, right
                             one per (event, listener)    after the commit, or in
                                                          `manage.py process_events`
                                    │
                                    └──(external events)──▶ RabbitMQ ──▶ `consume_events`

See ``outbox`` (publishing), ``delivery`` (running listeners in batches, retries),
``wakeup`` (LISTEN/NOTIFY) and ``broker`` (RabbitMQ).
"""

from .outbox import event_published, publish
from .registry import event, listener_name, listens_to, stop_listening

__all__ = ["event", "event_published", "listener_name", "listens_to", "publish", "stop_listening"]
