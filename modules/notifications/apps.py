from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "modules.notifications"
    label = "notifications"

    def ready(self) -> None:
        from . import listeners  # noqa: F401  (connects the event listeners)
