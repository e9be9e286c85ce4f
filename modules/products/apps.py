from django.apps import AppConfig


class ProductsConfig(AppConfig):
    name = "modules.products"
    label = "products"
