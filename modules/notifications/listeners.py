"""The facts notifications tells customers about, and what it says."""

from modular_monolith.events import listens_to

from modules.orders.events import OrderCancelled, OrderPaid, OrderPlaced
from modules.users.events import UserRegistered

from .models import Notification
from .services import notification_send


@listens_to(UserRegistered)
def on_user_registered(event: UserRegistered) -> None:
    notification_send(
        recipient_id=event.user_id,
        kind=Notification.Kind.WELCOME,
        about_id=event.user_id,
        subject="Welcome to the shop",
        body=f"Your account {event.email} is ready.",
    )


@listens_to(OrderPlaced)
def on_order_placed(event: OrderPlaced) -> None:
    notification_send(
        recipient_id=event.customer_id,
        kind=Notification.Kind.ORDER_PLACED,
        about_id=event.order_id,
        subject=f"Order {event.order_id} placed",
        body=f"We have reserved your items. Total to pay: {event.total}.",
    )


@listens_to(OrderPaid)
def on_order_paid(event: OrderPaid) -> None:
    notification_send(
        recipient_id=event.customer_id,
        kind=Notification.Kind.ORDER_PAID,
        about_id=event.order_id,
        subject=f"Order {event.order_id} paid",
        body=f"Thank you: we received {event.total}.",
    )


@listens_to(OrderCancelled)
def on_order_cancelled(event: OrderCancelled) -> None:
    notification_send(
        recipient_id=event.customer_id,
        kind=Notification.Kind.ORDER_CANCELLED,
        about_id=event.order_id,
        subject=f"Order {event.order_id} cancelled",
        body="Your order is cancelled; nothing was charged.",
    )
