"""HTTP endpoints of the products module, mounted at /api/products by ``shop/api.py``."""

from decimal import Decimal

from django.http import HttpRequest
from modular_monolith.http import ErrorOut
from ninja import Router, Schema

from . import api

router = Router(tags=["products"], auth=None)  # the catalogue is public


class ProductOut(Schema):
    id: int
    sku: str
    name: str
    price: Decimal
    stock: int


@router.get("", response=list[ProductOut])
def list_products(request: HttpRequest) -> list[api.ProductDTO]:
    return api.list_products()


@router.get("/{product_id}", response={200: ProductOut, 404: ErrorOut})
def get_product(request: HttpRequest, product_id: int) -> api.ProductDTO:
    return api.get_product(product_id)
