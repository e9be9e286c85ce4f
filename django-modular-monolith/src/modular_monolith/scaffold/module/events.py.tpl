"""Events published by the ${module} module."""

from dataclasses import dataclass

from modular_monolith.events import event


@event("${module}.ItemCreated", version=1, external=True)
@dataclass(frozen=True, kw_only=True)
class ItemCreated:
    """An item was created."""

    item_id: int
