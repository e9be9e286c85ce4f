from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "modules.payments"
    label = "payments"

    def ready(self) -> None:
        from . import jobs  # noqa: F401  (schedules reconciliation in the event worker)
