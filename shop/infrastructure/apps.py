from django.apps import AppConfig
from django.conf import settings
from django.core import checks


class InfrastructureConfig(AppConfig):
    name = "shop.infrastructure"
    label = "infrastructure"
    verbose_name = "Shared infrastructure"

    def ready(self) -> None:
        from .boundaries import guards
        from .boundaries.checks import check_boundaries

        checks.register(check_boundaries, "boundaries")
        if settings.BOUNDARY_GUARDS:
            guards.install()
