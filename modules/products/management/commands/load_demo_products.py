from typing import Any

from django.core.management.base import BaseCommand

from modules.products.demo import DEMO_PRODUCTS, demo_products_load


class Command(BaseCommand):
    help = "Load the demo catalogue. Products that exist already (by SKU) are left as they are."

    def handle(self, *args: Any, **options: Any) -> None:
        created = demo_products_load()
        self.stdout.write(
            f"Demo products: {created} created, {len(DEMO_PRODUCTS) - created} existed."
        )
