from django.apps import AppConfig
from django.core import checks

from .conf import guards_enabled


class ModularMonolithConfig(AppConfig):
    name = "modular_monolith"
    label = "modular_monolith"  # the outbox tables' prefix: never change it
    verbose_name = "Modular monolith: event outbox"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from .boundaries import guards
        from .boundaries.checks import check_boundaries
        from .checks import check_settings
        from .remote import client as remote_client
        from .remote import server as remote_server
        from .tracing import install_from_settings as install_tracing

        checks.register(check_settings)
        checks.register(check_boundaries, "boundaries")
        if guards_enabled():
            guards.install()
        # After the guards: the remote calls replace the guarded functions, and the served
        # functions are the guarded ones.
        remote_server.serve_local_modules()
        remote_client.bind_remote_modules()
        # Last: the remote stand-ins get their spans too; a served call has its server span.
        install_tracing()
