from django.apps import AppConfig


class TallyConfig(AppConfig):
    name = "modules.tally"
    label = "tally"

    def ready(self) -> None:
        from . import listeners  # noqa: F401  (registers them)
