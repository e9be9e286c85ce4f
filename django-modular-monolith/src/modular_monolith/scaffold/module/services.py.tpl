from django.db import transaction
from modular_monolith.events import publish

from .events import ItemCreated
from .models import Item


@transaction.atomic
def item_create(*, name: str) -> Item:
    item = Item(name=name)
    item.full_clean()
    item.save()
    publish(ItemCreated(item_id=item.pk))
    return item
