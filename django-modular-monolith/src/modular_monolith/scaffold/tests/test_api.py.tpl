"""The ${module} module through its public API and its HTTP endpoints."""

from collections.abc import Callable

import pytest
from django.test import Client

from modules.${module} import api
from modules.${module}.events import ItemCreated

pytestmark = pytest.mark.django_db


def test_create_item_returns_it_and_publishes_item_created(
    deliver_events: Callable, published: list[object]
) -> None:
    with deliver_events():
        item = api.create_item(name="First")

    assert api.get_item(item.id) == item
    assert published == [ItemCreated(item_id=item.id)]


def test_get_item_of_an_unknown_id_raises_item_not_found() -> None:
    with pytest.raises(api.ItemNotFound):
        api.get_item(424242)


def test_the_items_endpoint_needs_a_token(client: Client) -> None:
    assert client.get("/api/${module}/items").status_code == 401


def test_the_items_endpoint_lists_items(client: Client, make_user: Callable, auth: Callable) -> None:
    item = api.create_item(name="Listed")

    response = client.get("/api/${module}/items", headers=auth(make_user()))

    assert response.status_code == 200
    assert response.json() == [{"id": item.id, "name": "Listed"}]
