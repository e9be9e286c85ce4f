"""The facts notifications tells customers about, and what it says.

Each listener takes the events in batches (``batch=True``): one insert, which also
reads the addresses from notifications' own copy, for all the events the worker
claimed at once.
"""

from modular_monolith.events import listens_to

from modules.orders.events import OrderCancelled, OrderPaid, OrderPlaced
from modules.users.events import UserEmailChanged, UserRegistered

from .models import Notification
from .services import Draft, notifications_send, recipients_remember


@listens_to(UserRegistered, batch=True)
def on_user_registered(events: list[UserRegistered]) -> None:
    recipients_remember({event.user_id: event.email for event in events})
    notifications_send(
        Draft(
            recipient_id=event.user_id,
            kind=Notification.Kind.WELCOME,
            about_id=event.user_id,
            subject="Welcome to the shop",
            body=f"Your account {event.email} is ready.",
        )
        for event in events
    )


@listens_to(UserEmailChanged, batch=True)
def on_user_email_changed(events: list[UserEmailChanged]) -> None:
    # In the order the worker claimed them: a later change in the batch wins.
    recipients_remember({event.user_id: event.email for event in events})


@listens_to(OrderPlaced, batch=True)
def on_order_placed(events: list[OrderPlaced]) -> None:
    notifications_send(
        Draft(
            recipient_id=event.customer_id,
            kind=Notification.Kind.ORDER_PLACED,
            about_id=event.order_id,
            subject=f"Order {event.order_id} placed",
            body=f"We have reserved your items. Total to pay: {event.total}.",
        )
        for event in events
    )


@listens_to(OrderPaid, batch=True)
def on_order_paid(events: list[OrderPaid]) -> None:
    notifications_send(
        Draft(
            recipient_id=event.customer_id,
            kind=Notification.Kind.ORDER_PAID,
            about_id=event.order_id,
            subject=f"Order {event.order_id} paid",
            body=f"Thank you: we received {event.total}.",
        )
        for event in events
    )


@listens_to(OrderCancelled, batch=True)
def on_order_cancelled(events: list[OrderCancelled]) -> None:
    notifications_send(
        Draft(
            recipient_id=event.customer_id,
            kind=Notification.Kind.ORDER_CANCELLED,
            about_id=event.order_id,
            subject=f"Order {event.order_id} cancelled",
            body="Your order is cancelled; nothing was charged.",
        )
        for event in events
    )
