"""Every model in the admin opens for a superuser: each module's admin is wired correctly."""

from typing import Any

import pytest
from django.conf import settings
from django.contrib import admin
from django.test import Client, RequestFactory
from django.urls import reverse

REGISTERED = sorted(admin.site._registry, key=lambda model: model._meta.label)


@pytest.mark.parametrize("model", REGISTERED, ids=lambda model: model._meta.label)
def test_the_changelist_and_add_page_open(
    admin_client: Client, admin_user: Any, model: Any
) -> None:
    opts = model._meta
    request = RequestFactory().get("/")
    request.user = admin_user
    can_add = admin.site._registry[model].has_add_permission(request)

    changelist = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist"))
    add = admin_client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_add"))

    assert changelist.status_code == 200
    assert add.status_code == (200 if can_add else 403)  # 403: read-only ledgers (payments, outbox)


def test_every_installed_module_has_its_models_in_the_admin() -> None:
    labels = {model._meta.app_label for model in REGISTERED}
    assert {module.rsplit(".", 1)[1] for module in settings.MODULES} <= labels
