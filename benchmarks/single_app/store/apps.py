from django.apps import AppConfig


class StoreConfig(AppConfig):
    name = "benchmarks.single_app.store"
    label = "store"
