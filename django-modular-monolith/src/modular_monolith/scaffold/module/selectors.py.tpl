from django.db.models import QuerySet

from .errors import ItemNotFound
from .models import Item


def item_list() -> QuerySet[Item]:
    return Item.objects.order_by("id")


def item_get(*, item_id: int) -> Item:
    try:
        return Item.objects.get(pk=item_id)
    except Item.DoesNotExist:
        raise ItemNotFound(f"Item {item_id} does not exist.") from None
