"""The demo catalogue that ``make run`` loads."""

from decimal import Decimal

from django.db import transaction

from .models import Product

DEMO_PRODUCTS = [
    # (sku, name, price, stock)
    ("MUG-001", "Enamel camping mug", "12.50", 40),
    ("TEE-002", "Organic cotton T-shirt", "24.00", 35),
    ("CAP-003", "Canvas cap", "18.00", 20),
    ("BAG-004", "Waxed tote bag", "39.90", 15),
    ("BTL-005", "Insulated water bottle", "29.00", 30),
    ("NTB-006", "Dot-grid notebook", "9.80", 60),
    ("PEN-007", "Brass pen", "45.00", 12),
    ("SCK-008", "Merino socks", "16.50", 50),
    ("LMP-009", "Desk lamp", "64.00", 10),
    ("PLT-010", "Stoneware plate", "14.20", 25),
    ("BLK-011", "Wool blanket", "89.00", 11),
    ("KEY-012", "Leather key ring", "11.00", 45),
]


@transaction.atomic
def demo_products_load() -> int:
    """Create the demo products that do not exist yet; return how many were created."""
    existing = set(Product.objects.values_list("sku", flat=True))
    new = [
        Product(sku=sku, name=name, price=Decimal(price), stock=stock)
        for sku, name, price, stock in DEMO_PRODUCTS
        if sku not in existing
    ]
    Product.objects.bulk_create(new)
    return len(new)
