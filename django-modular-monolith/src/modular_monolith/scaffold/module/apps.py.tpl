from django.apps import AppConfig


class ${Module}Config(AppConfig):
    name = "modules.${module}"
    label = "${module}"

    def ready(self) -> None:
        from . import listeners  # noqa: F401  (connects the event listeners)
