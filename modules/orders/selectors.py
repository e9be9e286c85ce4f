from django.db.models import QuerySet

from .errors import OrderNotFound
from .models import Order


def order_list(*, customer_id: int) -> QuerySet[Order]:
    """The customer's orders, newest first, with their lines (two queries)."""
    return Order.objects.filter(customer_id=customer_id).prefetch_related("lines")


def order_get(*, order_id: int, customer_id: int, lock: bool = False) -> Order:
    """Return the customer's order; someone else's order is reported as not found.

    With ``lock=True`` the order row stays locked until the transaction ends. Its
    lines are read when first used (one query), as paying never needs them.
    """
    orders = Order.objects.filter(customer_id=customer_id)
    if lock:
        orders = orders.select_for_update()
    try:
        return orders.get(pk=order_id)
    except Order.DoesNotExist:
        raise OrderNotFound(f"Order {order_id} does not exist.") from None
