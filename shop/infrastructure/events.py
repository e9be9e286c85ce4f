"""In-process domain events, delivered after the publishing transaction commits.

A module announces a fact with ``publish(OrderPlaced(...))``; a listener in another
module subscribes with ``@listens_to(OrderPlaced)``. The rules:

* Nothing is delivered unless the publishing transaction commits, so a
  rolled-back change never announces itself (``transaction.on_commit``).
* Each listener runs in its own transaction. A listener that raises is logged
  with the event and rolled back; the publisher and the other listeners go on.

Events travel on one Django signal whose sender is the event class, so any
Django tooling for signals (and ``Signal.connect`` in tests) works with them.
"""

import logging
from collections.abc import Callable
from typing import Any, TypeVar

from django.db import transaction
from django.dispatch import Signal

logger = logging.getLogger(__name__)

event_published = Signal()  # sender: the event class; keyword argument ``event``: the event

EventT = TypeVar("EventT")
Listener = Callable[[EventT], None]


def publish(event: object) -> None:
    """Deliver ``event`` to its listeners once the current transaction commits.

    Outside a transaction (autocommit) the event is delivered at once.
    """
    transaction.on_commit(lambda: event_published.send(sender=type(event), event=event))


def listens_to(event_type: type[EventT]) -> Callable[[Listener[EventT]], Listener[EventT]]:
    """Register the decorated function as a listener for ``event_type``.

    Listener modules are imported from their app's ``AppConfig.ready()``, so a
    module that is not installed has no listeners connected.
    """

    def register(listener: Listener[EventT]) -> Listener[EventT]:
        name = listener_name(listener)

        def receiver(sender: type, event: EventT, **kwargs: Any) -> None:
            try:
                with transaction.atomic():
                    listener(event)
            except Exception:
                logger.exception("Listener %s failed on %r", name, event)

        event_published.connect(receiver, sender=event_type, weak=False, dispatch_uid=name)
        return listener

    return register


def listener_name(listener: Callable[..., Any]) -> str:
    """Return the dotted path that identifies a listener, e.g. ``modules.orders.listeners.on_x``."""
    return f"{listener.__module__}.{listener.__qualname__}"
