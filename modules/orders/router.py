"""HTTP endpoints of the orders module, mounted at /api/orders by ``shop/api.py``."""

from datetime import datetime
from decimal import Decimal

from django.http import HttpRequest
from modular_monolith.http import ErrorOut, caller_id
from ninja import Header, Router, Schema, Status

from . import api

router = Router(tags=["orders"])


class LineIn(Schema):
    product_id: int
    quantity: int


class OrderIn(Schema):
    lines: list[LineIn]


class LineOut(Schema):
    product_id: int
    name: str
    unit_price: Decimal
    quantity: int


class OrderOut(Schema):
    id: int
    status: str
    total: Decimal
    created_at: datetime
    lines: list[LineOut]


class PayIn(Schema):
    payment_method: str


class PaymentOut(Schema):
    id: int
    status: str
    failure_reason: str


@router.post("", response={201: OrderOut, 400: ErrorOut, 409: ErrorOut})
def place_order(request: HttpRequest, payload: OrderIn) -> Status[api.OrderDTO]:
    lines = [
        api.RequestedLine(product_id=line.product_id, quantity=line.quantity)
        for line in payload.lines
    ]
    return Status(201, api.place_order(customer_id=caller_id(request), lines=lines))


@router.get("", response=list[OrderOut])
def list_orders(request: HttpRequest) -> list[api.OrderDTO]:
    return api.list_orders(customer_id=caller_id(request))


@router.get("/{order_id}", response={200: OrderOut, 404: ErrorOut})
def get_order(request: HttpRequest, order_id: int) -> api.OrderDTO:
    return api.get_order(order_id, customer_id=caller_id(request))


@router.post(
    "/{order_id}/pay", response={200: PaymentOut, 400: ErrorOut, 404: ErrorOut, 409: ErrorOut}
)
def pay_order(
    request: HttpRequest,
    order_id: int,
    payload: PayIn,
    idempotency_key: str = Header(..., alias="Idempotency-Key"),
) -> api.PaymentAttemptDTO:
    return api.pay_order(
        order_id,
        customer_id=caller_id(request),
        payment_method=payload.payment_method,
        idempotency_key=idempotency_key,
    )


@router.post("/{order_id}/cancel", response={200: OrderOut, 404: ErrorOut, 409: ErrorOut})
def cancel_order(request: HttpRequest, order_id: int) -> api.OrderDTO:
    return api.cancel_order(order_id, customer_id=caller_id(request))
