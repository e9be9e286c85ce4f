from django.apps import AppConfig


class PaymentsConfig(AppConfig):
    name = "modules.payments"
    label = "payments"
