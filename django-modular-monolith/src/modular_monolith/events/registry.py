"""The event types the project knows, by stable name and version, and who listens to them."""

import dataclasses
from collections import defaultdict
from collections.abc import Callable
from typing import Any, TypeVar

from django.core.exceptions import ImproperlyConfigured

from ..remote.local import remote_module_of

EventClass = TypeVar("EventClass", bound=type)
Listener = Callable[[Any], None]  # one event; a batch listener takes a list of events


@dataclasses.dataclass(frozen=True)
class EventType:
    name: str  # stable across refactorings: "orders.OrderPlaced"
    version: int  # bumped when the payload changes incompatibly
    external: bool  # also relayed to the message broker
    cls: type


_by_name: dict[str, EventType] = {}
_by_class: dict[type, EventType] = {}
_listeners: dict[str, dict[str, Listener]] = defaultdict(dict)
_batch_listeners: set[str] = set()  # names of the listeners that take a list of events


def event(
    name: str, *, version: int = 1, external: bool = False
) -> Callable[[EventClass], EventClass]:
    """Register a frozen dataclass as an event type, under a name that never changes.

    ``external=True`` marks events that other processes may consume: the worker
    relays them to the message broker when ``EVENTS_BROKER_URL`` is set.
    """

    def register(cls: EventClass) -> EventClass:
        if not (dataclasses.is_dataclass(cls) and cls.__dataclass_params__.frozen):  # type: ignore[attr-defined]
            raise ImproperlyConfigured(f"Event {cls.__qualname__} must be a frozen dataclass.")
        known = _by_name.get(name)
        if known is not None and known.cls.__qualname__ != cls.__qualname__:
            raise ImproperlyConfigured(f"Event name {name!r} is taken by {known.cls.__qualname__}.")
        event_type = EventType(name=name, version=version, external=external, cls=cls)
        _by_name[name] = _by_class[cls] = event_type
        return cls

    return register


def event_type_of(cls: type) -> EventType:
    try:
        return _by_class[cls]
    except KeyError:
        raise ImproperlyConfigured(
            f"{cls.__qualname__} is not an event type: decorate it with @event(name, version=...)."
        ) from None


def event_type_named(name: str) -> EventType:
    try:
        return _by_name[name]
    except KeyError:
        raise LookupError(f"No event type is registered as {name!r}.") from None


def event_types() -> list[EventType]:
    return sorted(_by_name.values(), key=lambda event_type: event_type.name)


def listens_to(event_class: type, *, batch: bool = False) -> Callable[[Listener], Listener]:
    """Register the decorated function as a listener of ``event_class``.

    A listener is known by its dotted path, which the outbox stores for each
    delivery: renaming it leaves earlier deliveries without a listener. Listener
    modules are imported from their app's ``AppConfig.ready()``, so a module
    that is not installed listens to nothing, nor does a module served by
    another process (``MONOLITH_REMOTE_MODULES``) in this one: that process does.

    ``batch=True``: the function takes a list of events, all that the worker
    claimed for it at once (one, right after a commit), and handles them in one go
    (one query for many events). If it raises, it is called again with one event at a
    time, so that one bad event fails alone.
    """
    event_type = event_type_of(event_class)

    def register(listener: Listener) -> Listener:
        if remote_module_of(listener.__module__) is not None:
            return listener  # its own process listens
        name = listener_name(listener)
        _listeners[event_type.name][name] = listener
        if batch:
            _batch_listeners.add(name)
        else:
            _batch_listeners.discard(name)
        return listener

    return register


def stop_listening(event_class: type, listener: Listener) -> None:
    """Unregister a listener, as ``Signal.disconnect`` does (tests use it for temporary ones)."""
    name = listener_name(listener)
    _listeners[event_type_of(event_class).name].pop(name, None)
    if listener_named(name) is None:
        _batch_listeners.discard(name)


def listeners_of(event_name: str) -> dict[str, Listener]:
    """The listeners of an event type in this process, by name."""
    return dict(_listeners.get(event_name, {}))


def listener_named(name: str) -> Listener | None:
    return next((found[name] for found in _listeners.values() if name in found), None)


def listeners_by_name() -> dict[str, Listener]:
    """Every listener of this process, by name."""
    return {name: listener for found in _listeners.values() for name, listener in found.items()}


def takes_batches(name: str) -> bool:
    """Whether the listener of this name takes a list of events (``listens_to(..., batch=True)``)."""
    return name in _batch_listeners


def listener_names() -> set[str]:
    return {name for found in _listeners.values() for name in found}


def listener_name(listener: Callable[..., Any]) -> str:
    """The dotted path that identifies a listener, e.g. ``modules.orders.listeners.on_x``."""
    return f"{listener.__module__}.{listener.__qualname__}"
