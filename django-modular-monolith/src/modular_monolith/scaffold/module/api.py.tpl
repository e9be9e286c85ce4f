"""The public interface of the ${module} module."""

from dataclasses import dataclass

from . import selectors, services
from .errors import ${Module}Error, ItemNotFound
from .models import Item

__all__ = [
    "${Module}Error",
    "ItemDTO",
    "ItemNotFound",
    "create_item",
    "get_item",
    "list_items",
]


@dataclass(frozen=True, kw_only=True)
class ItemDTO:
    id: int
    name: str


def list_items() -> list[ItemDTO]:
    """Return every item, in one query."""
    return [_to_dto(item) for item in selectors.item_list()]


def get_item(item_id: int) -> ItemDTO:
    """Return one item, or raise ``ItemNotFound``."""
    return _to_dto(selectors.item_get(item_id=item_id))


def create_item(*, name: str) -> ItemDTO:
    """Create an item and publish ``ItemCreated``."""
    return _to_dto(services.item_create(name=name))


def _to_dto(item: Item) -> ItemDTO:
    return ItemDTO(id=item.pk, name=item.name)
