"""HTTP endpoints of the ${module} module, mounted at /api/${module} by the project's API."""

from django.http import HttpRequest
from modular_monolith.http import ErrorOut
from ninja import Router, Schema

from . import api

router = Router(tags=["${module}"])


class ItemOut(Schema):
    id: int
    name: str


@router.get("/items", response=list[ItemOut])
def list_items(request: HttpRequest) -> list[api.ItemDTO]:
    return api.list_items()


@router.get("/items/{item_id}", response={200: ItemOut, 404: ErrorOut})
def get_item(request: HttpRequest, item_id: int) -> api.ItemDTO:
    return api.get_item(item_id)
