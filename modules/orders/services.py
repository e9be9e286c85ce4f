from collections import Counter
from collections.abc import Iterable
from decimal import Decimal

from django.db import transaction
from modular_monolith.events import publish

from modules.products import api as products

from .errors import InsufficientStock, InvalidOrder, OrderNotCancellable
from .events import OrderCancelled, OrderPlaced
from .models import Order, OrderLine
from .paying import payment_claim_abandoned
from .selectors import order_get

MAX_QUANTITY = 1000  # units of one product in one order
MAX_TOTAL = Decimal("9999999999.99")  # what Order.total can hold


@transaction.atomic
def order_place(
    *, customer_id: int, quantities: Iterable[tuple[int, int]]
) -> tuple[Order, list[OrderLine]]:
    """Reserve stock for (product id, quantity) pairs and store a pending order.

    Lines for the same product are merged. If anything is refused, nothing is
    reserved and no order exists: the reservation is part of this transaction.
    Return the order and its lines as written, so that nobody reads them back.
    """
    wanted = _merge_quantities(quantities)
    try:
        reserved = products.reserve_stock(
            products.StockLine(product_id=product_id, quantity=quantity)
            for product_id, quantity in wanted.items()
        )
    except products.InsufficientStock as error:
        raise InsufficientStock(error.message, details=error.details) from error
    except (products.ProductNotFound, products.InvalidStockLines) as error:
        raise InvalidOrder(error.message, details=error.details) from error

    lines = [
        OrderLine(
            product_id=product.id,
            name=product.name,
            unit_price=product.price,
            quantity=wanted[product.id],
        )
        for product in reserved
    ]
    total = sum(line.unit_price * line.quantity for line in lines)
    if total > MAX_TOTAL:
        raise InvalidOrder(f"An order can total at most {MAX_TOTAL}.")
    order = Order.objects.create(customer_id=customer_id, total=total)
    for line in lines:
        line.order = order
    OrderLine.objects.bulk_create(lines)
    publish(OrderPlaced(order_id=order.pk, customer_id=customer_id, total=order.total))
    return order, lines


@transaction.atomic
def order_cancel(*, order_id: int, customer_id: int) -> Order:
    """Cancel an order that awaits payment and give its stock back.

    An order with a payment under way waits for its outcome, unless the request
    that set it off died before charging (``paying.payment_claim_abandoned``).
    """
    order = order_get(order_id=order_id, customer_id=customer_id, lock=True)
    if order.status == Order.Status.PAYMENT_IN_PROGRESS and not payment_claim_abandoned(order):
        raise OrderNotCancellable(
            f"Order {order.pk} has a payment under way and cannot be cancelled now."
        )
    if order.status not in (Order.Status.PENDING_PAYMENT, Order.Status.PAYMENT_IN_PROGRESS):
        raise OrderNotCancellable(f"Order {order.pk} is {order.status} and cannot be cancelled.")
    products.release_stock(
        products.StockLine(product_id=line.product_id, quantity=line.quantity)
        for line in order.lines.all()
    )
    order.status = Order.Status.CANCELLED
    order.save(update_fields=["status", "updated_at"])
    publish(OrderCancelled(order_id=order.pk, customer_id=customer_id))
    return order


def _merge_quantities(quantities: Iterable[tuple[int, int]]) -> Counter[int]:
    merged: Counter[int] = Counter()
    for product_id, quantity in quantities:
        if quantity < 1:
            raise InvalidOrder("Each line needs a quantity of at least 1.")
        merged[product_id] += quantity
        if merged[product_id] > MAX_QUANTITY:
            raise InvalidOrder(f"An order can hold at most {MAX_QUANTITY} units of a product.")
    if not merged:
        raise InvalidOrder("An order needs at least one line.")
    return merged
