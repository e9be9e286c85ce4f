"""Each kind of reach-in, planted in a copy of the project, is caught with a message that
says where and how to fix it; the untouched project passes.

Adding a check means adding one ``Plant`` to ``STATIC`` or ``RUNTIME``.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest

from .sandbox import plant, run_manage


@dataclass(frozen=True)
class Plant:
    file: str
    code: str
    expected: tuple[str, ...]  # every one must appear in the output


STATIC = {
    # 1. Importing another module's private code, in any form
    "import-top-level": Plant(
        "modules/orders/services.py",
        "from modules.products.models import Product",
        (
            "(boundaries.E001)",
            "modules/orders/services.py:",
            "modules.products.models, which is private to products",
            "Call modules.products.api",
        ),
    ),
    "import-in-function": Plant(
        "modules/orders/services.py",
        "def planted():\n    from modules.payments import services\n    return services",
        ("(boundaries.E001)", "orders imports modules.payments.services"),
    ),
    "import-type-checking": Plant(
        "modules/notifications/services.py",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from modules.users.models import User",
        ("(boundaries.E001)", "notifications imports modules.users.models"),
    ),
    "import-package-then-attribute": Plant(
        "modules/orders/selectors.py",
        "from modules import products\n\ndef planted():\n    return products.models.Product",
        ("(boundaries.E001)", "orders imports modules.products.models"),
    ),
    "import-relative": Plant(
        "modules/orders/selectors.py",
        "from ..products import selectors as product_selectors",
        ("(boundaries.E001)", "orders imports modules.products.selectors"),
    ),
    # 2. Importing by string
    "import-module-by-string": Plant(
        "modules/orders/services.py",
        "import importlib\n\ndef planted():\n    return importlib.import_module('modules.products.models')",
        ("(boundaries.E002)", "'modules.products.models' by string"),
    ),
    "dunder-import-by-string": Plant(
        "modules/orders/services.py",
        "def planted():\n    return __import__('modules.payments.services')",
        ("(boundaries.E002)", "'modules.payments.services' by string"),
    ),
    "import-string": Plant(
        "modules/orders/services.py",
        "from django.utils.module_loading import import_string\n\n"
        "def planted():\n    return import_string('modules.products.models.Product')",
        ("(boundaries.E002)", "'modules.products.models.Product' by string"),
    ),
    # 3. The app registry
    "get-model-two-arguments": Plant(
        "modules/orders/services.py",
        "from django.apps import apps\n\ndef planted():\n    return apps.get_model('products', 'Product')",
        ("(boundaries.E003)", "orders fetches products.Product from the app registry"),
    ),
    "get-model-dotted": Plant(
        "modules/orders/services.py",
        "from django.apps import apps\n\ndef planted():\n    return apps.get_model('products.Product')",
        ("(boundaries.E003)", "products.Product"),
    ),
    "get-app-config-get-model": Plant(
        "modules/notifications/services.py",
        "from django.apps import apps\n\n"
        "def planted():\n    return apps.get_app_config('users').get_model('User')",
        ("(boundaries.E003)", "notifications fetches users.User"),
    ),
    # 4. Relation fields
    "foreign-key-by-string": Plant(
        "modules/orders/models.py",
        "class PlantedLink(models.Model):\n"
        "    product = models.ForeignKey('products.Product', on_delete=models.CASCADE)",
        (
            "(boundaries.E004)",
            "orders.models.PlantedLink.product points at products.Product",
            "Store product_id",
        ),
    ),
    "one-to-one-to-the-user-model": Plant(
        "modules/orders/models.py",
        "from django.conf import settings\n\n"
        "class PlantedProfile(models.Model):\n"
        "    customer = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)",
        ("(boundaries.E004)", "PlantedProfile.customer points at users.User, a table of users"),
    ),
    "many-to-many": Plant(
        "modules/notifications/models.py",
        "class PlantedDigest(models.Model):\n    orders = models.ManyToManyField('orders.Order')",
        ("(boundaries.E004)", "PlantedDigest.orders points at orders.Order"),
    ),
    "many-to-many-through": Plant(
        "modules/orders/models.py",
        "class PlantedBundle(models.Model):\n"
        "    products = models.ManyToManyField('products.Product', through='PlantedBundleItem')\n\n"
        "class PlantedBundleItem(models.Model):\n"
        "    bundle = models.ForeignKey(PlantedBundle, on_delete=models.CASCADE)\n"
        "    product = models.ForeignKey('products.Product', on_delete=models.CASCADE)",
        (
            "(boundaries.E004)",
            "PlantedBundle.products points at products.Product",
            "Keep the products ids in a table of orders",
            "PlantedBundleItem.product",
        ),
    ),
    # 5. Migration dependencies
    "migration-dependency": Plant(
        "modules/orders/migrations/0999_planted.py",
        "from django.db import migrations\n\n"
        "class Migration(migrations.Migration):\n"
        "    dependencies = [('orders', '0001_initial'), ('products', '0001_initial')]\n"
        "    operations = []",
        (
            "(boundaries.E005)",
            "modules/orders/migrations/0999_planted.py:",
            "depends on migration products.0001_initial",
        ),
    ),
    # 6. Model signal receivers
    "signal-receiver-lazy-string": Plant(
        "modules/orders/listeners.py",
        "from django.db.models.signals import post_save\nfrom django.dispatch import receiver\n\n"
        "@receiver(post_save, sender='products.Product')\n"
        "def planted(sender, **kwargs):\n    pass",
        (
            "(boundaries.E006)",
            "orders receives post_save of products.Product",
            "modules.products.events",
        ),
    ),
    "signal-receiver-by-class": Plant(
        "modules/notifications/listeners.py",
        "from django.db.models.signals import pre_delete\n"
        "from modules.users.models import User\n\n"
        "def planted(sender, **kwargs):\n    pass\n\n"
        "pre_delete.connect(planted, sender=User)",
        ("(boundaries.E006)", "notifications receives pre_delete of users.User"),
    ),
    "m2m-changed-receiver": Plant(
        "modules/orders/listeners.py",
        "from django.apps import apps as registry\nfrom django.db.models.signals import m2m_changed\n\n"
        "def planted(sender, **kwargs):\n    pass\n\n"
        "m2m_changed.connect(planted, sender=registry.get_model('users', 'User').groups.through)",
        ("(boundaries.E006)", "orders receives m2m_changed of users.User_groups"),
    ),
    # 7. Admin registrations
    "admin-class": Plant(
        "modules/orders/admin.py",
        "from django.apps import apps as registry\n\n"
        "Product = registry.get_model('products', 'Product')\nadmin.site.unregister(Product)\n\n"
        "@admin.register(Product)\nclass PlantedProductAdmin(admin.ModelAdmin):\n    pass",
        (
            "(boundaries.E007)",
            "The orders admin registers products.Product",
            "modules/products/admin.py",
        ),
    ),
    "admin-default-class": Plant(
        "modules/orders/admin.py",
        "from modules.payments.models import Payment\n\n"
        "admin.site.unregister(Payment)\nadmin.site.register(Payment)",
        ("(boundaries.E007)", "modules/orders/admin.py:", "registers payments.Payment"),
    ),
}

RUNTIME = {
    # 8. SQL on another module's tables
    "raw-sql": Plant(
        "modules/orders/services.py",
        "def planted():\n    from django.db import connection\n"
        "    with connection.cursor() as cursor:\n"
        "        cursor.execute('SELECT COUNT(*) FROM products_product')",
        (
            "BoundaryViolation",
            "orders code at modules/orders/services.py:",
            "products_product, a table of products",
            "Call modules.products.api",
        ),
    ),
    "orm-query": Plant(
        "modules/orders/services.py",
        "def planted():\n    from django.db.models import Model\n"
        "    product_model = next(m for m in Model.__subclasses__() if m.__name__ == 'Product')\n"
        "    return product_model.objects.count()",
        ("BoundaryViolation", "products_product, a table of products"),
    ),
    # 9. A public API handing out model instances or QuerySets
    "api-returns-model": Plant(
        "modules/products/api.py",
        "def planted() -> object:\n    return Product(sku='X', name='X', price=1, stock=1)",
        (
            "BoundaryViolation",
            "products.api.planted() returned a Product model instance",
            "Return a frozen dataclass",
        ),
    ),
    "api-returns-queryset-in-a-list": Plant(
        "modules/products/api.py",
        "def planted() -> object:\n    return [selectors.product_list()]",
        ("BoundaryViolation", "products.api.planted() returned a QuerySet of Product"),
    ),
}

# What each runtime plant calls, as `manage.py shell -c` would.
RUNTIME_CALLS = {
    "modules/orders/services.py": "from modules.orders import services; services.planted()",
    "modules/products/api.py": "from modules.products import api; api.planted()",
}


def test_the_untouched_project_has_no_boundary_violations(project_copy: Path) -> None:
    result = run_manage(project_copy, "check", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "boundaries." not in result.stdout + result.stderr


@pytest.mark.parametrize("case", STATIC.values(), ids=STATIC.keys())
def test_the_system_checks_catch(project_copy: Path, case: Plant) -> None:
    plant(project_copy, case.file, case.code)

    result = run_manage(project_copy, "check")

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for text in case.expected:
        assert text in output


@pytest.mark.parametrize("case", RUNTIME.values(), ids=RUNTIME.keys())
def test_the_runtime_guards_catch(project_copy: Path, case: Plant) -> None:
    plant(project_copy, case.file, case.code)
    if case.file == "modules/products/api.py":
        plant(project_copy, case.file, '__all__ = [*__all__, "planted"]')

    result = run_manage(
        project_copy, "shell", "-c", RUNTIME_CALLS[case.file], BOUNDARY_GUARDS="true"
    )

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for text in case.expected:
        assert text in output
