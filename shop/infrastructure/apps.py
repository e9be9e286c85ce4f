from django.apps import AppConfig


class InfrastructureConfig(AppConfig):
    name = "shop.infrastructure"
    label = "infrastructure"
    verbose_name = "Shared infrastructure"
