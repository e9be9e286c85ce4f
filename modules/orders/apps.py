from django.apps import AppConfig


class OrdersConfig(AppConfig):
    name = "modules.orders"
    label = "orders"

    def ready(self) -> None:
        from . import listeners  # noqa: F401  (connects the event listeners)
