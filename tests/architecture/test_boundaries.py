"""Each kind of reach-in, planted in a copy of the project, is caught with a message that
says where and how to fix it; the untouched project passes.

The reach-ins go from the scratch module (made by ``startmodule``) into users, the
one module every project has. Adding a check means adding one ``Plant`` to ``STATIC`` or
``RUNTIME``.
"""

from dataclasses import dataclass
from pathlib import Path

import pytest

from .sandbox import SCRATCH, free_module_name, plant, run_manage


@dataclass(frozen=True)
class Plant:
    file: str
    code: str
    expected: tuple[str, ...]  # every one must appear in the output


STATIC = {
    # 1. Importing another module's private code, in any form
    "import-top-level": Plant(
        f"modules/{SCRATCH}/services.py",
        "from modules.users.models import User",
        (
            "(boundaries.E001)",
            f"modules/{SCRATCH}/services.py:",
            "modules.users.models, which is private to users",
            "Call modules.users.api",
        ),
    ),
    "import-in-function": Plant(
        f"modules/{SCRATCH}/services.py",
        "def planted():\n    from modules.users import services\n    return services",
        ("(boundaries.E001)", f"{SCRATCH} imports modules.users.services"),
    ),
    "import-type-checking": Plant(
        f"modules/{SCRATCH}/selectors.py",
        "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from modules.users.models import User",
        ("(boundaries.E001)", f"{SCRATCH} imports modules.users.models"),
    ),
    "import-package-then-attribute": Plant(
        f"modules/{SCRATCH}/selectors.py",
        "from modules import users\n\ndef planted():\n    return users.models.User",
        ("(boundaries.E001)", f"{SCRATCH} imports modules.users.models"),
    ),
    "import-relative": Plant(
        f"modules/{SCRATCH}/selectors.py",
        "from ..users import selectors as user_selectors",
        ("(boundaries.E001)", f"{SCRATCH} imports modules.users.selectors"),
    ),
    "import-relative-from-a-private-file": Plant(
        f"modules/{SCRATCH}/selectors.py",
        "from ..users.models import User",
        ("(boundaries.E001)", f"{SCRATCH} imports modules.users.models", "Call modules.users.api"),
    ),
    # ... or a name another module's api or events does not export: api.py imports its own
    # model, so the import works, and it is a reach-in all the same.
    "model-from-the-api": Plant(
        f"modules/{SCRATCH}/services.py",
        "from modules.users.api import User",
        (
            "(boundaries.E001)",
            f"{SCRATCH} imports User from modules.users.api, a model of users",
            "Import only what modules.users.api exports (its __all__) and never a model",
        ),
    ),
    "name-outside-the-api-all": Plant(
        f"modules/{SCRATCH}/services.py",
        "from modules.users.api import selectors",
        (
            "(boundaries.E001)",
            f"{SCRATCH} imports selectors from modules.users.api, which it does not export",
        ),
    ),
    "model-from-the-api-by-attribute": Plant(
        f"modules/{SCRATCH}/selectors.py",
        "from modules.users import api as users_api\n\n"
        "def planted():\n    return users_api.User.objects.all()",
        ("(boundaries.E001)", f"{SCRATCH} imports User from modules.users.api"),
    ),
    "model-from-the-api-relative": Plant(
        f"modules/{SCRATCH}/selectors.py",
        "from ..users.api import User",
        ("(boundaries.E001)", f"{SCRATCH} imports User from modules.users.api"),
    ),
    "model-from-the-api-through-the-package": Plant(
        f"modules/{SCRATCH}/selectors.py",
        "import modules.users.api\n\ndef planted():\n    return modules.users.api.User",
        ("(boundaries.E001)", f"{SCRATCH} imports User from modules.users.api"),
    ),
    "name-events-does-not-define": Plant(
        # users' events.py has no __all__: it exports the names it defines, not its imports.
        f"modules/{SCRATCH}/listeners.py",
        "from modules.users.events import UserRegistered, event",
        ("(boundaries.E001)", f"{SCRATCH} imports event from modules.users.events"),
    ),
    # 2. Importing by string
    "import-module-by-string": Plant(
        f"modules/{SCRATCH}/services.py",
        "import importlib\n\ndef planted():\n    return importlib.import_module('modules.users.models')",
        ("(boundaries.E002)", "'modules.users.models' by string"),
    ),
    "dunder-import-by-string": Plant(
        f"modules/{SCRATCH}/services.py",
        "def planted():\n    return __import__('modules.users.services')",
        ("(boundaries.E002)", "'modules.users.services' by string"),
    ),
    "import-string": Plant(
        f"modules/{SCRATCH}/services.py",
        "from django.utils.module_loading import import_string\n\n"
        "def planted():\n    return import_string('modules.users.models.User')",
        ("(boundaries.E002)", "'modules.users.models.User' by string"),
    ),
    # 3. The app registry
    "get-model-two-arguments": Plant(
        f"modules/{SCRATCH}/services.py",
        "from django.apps import apps\n\ndef planted():\n    return apps.get_model('users', 'User')",
        ("(boundaries.E003)", f"{SCRATCH} fetches users.User from the app registry"),
    ),
    "get-model-dotted": Plant(
        f"modules/{SCRATCH}/services.py",
        "from django.apps import apps\n\ndef planted():\n    return apps.get_model('users.User')",
        ("(boundaries.E003)", "users.User"),
    ),
    "get-app-config-get-model": Plant(
        f"modules/{SCRATCH}/selectors.py",
        "from django.apps import apps\n\n"
        "def planted():\n    return apps.get_app_config('users').get_model('User')",
        ("(boundaries.E003)", f"{SCRATCH} fetches users.User"),
    ),
    # 4. Relation fields
    "foreign-key-by-string": Plant(
        f"modules/{SCRATCH}/models.py",
        "class PlantedLink(models.Model):\n"
        "    owner = models.ForeignKey('users.User', on_delete=models.CASCADE)",
        (
            "(boundaries.E004)",
            f"{SCRATCH}.models.PlantedLink.owner points at users.User",
            "Store owner_id",
        ),
    ),
    "one-to-one-to-the-user-model": Plant(
        f"modules/{SCRATCH}/models.py",
        "from django.conf import settings\n\n"
        "class PlantedProfile(models.Model):\n"
        "    customer = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)",
        ("(boundaries.E004)", "PlantedProfile.customer points at users.User, a table of users"),
    ),
    "many-to-many": Plant(
        f"modules/{SCRATCH}/models.py",
        "class PlantedDigest(models.Model):\n    recipients = models.ManyToManyField('users.User')",
        ("(boundaries.E004)", "PlantedDigest.recipients points at users.User"),
    ),
    "many-to-many-through": Plant(
        f"modules/{SCRATCH}/models.py",
        "class PlantedTeam(models.Model):\n"
        "    members = models.ManyToManyField('users.User', through='PlantedMembership')\n\n"
        "class PlantedMembership(models.Model):\n"
        "    team = models.ForeignKey(PlantedTeam, on_delete=models.CASCADE)\n"
        "    member = models.ForeignKey('users.User', on_delete=models.CASCADE)",
        (
            "(boundaries.E004)",
            "PlantedTeam.members points at users.User",
            f"Keep the users ids in a table of {SCRATCH}",
            "PlantedMembership.member",
        ),
    ),
    # 5. Migration dependencies
    "migration-dependency": Plant(
        f"modules/{SCRATCH}/migrations/0999_planted.py",
        "from django.db import migrations\n\n"
        "class Migration(migrations.Migration):\n"
        f"    dependencies = [('{SCRATCH}', '0001_initial'), ('users', '0001_initial')]\n"
        "    operations = []",
        (
            "(boundaries.E005)",
            f"modules/{SCRATCH}/migrations/0999_planted.py:",
            "depends on migration users.0001_initial",
        ),
    ),
    # 6. Model signal receivers
    "signal-receiver-lazy-string": Plant(
        f"modules/{SCRATCH}/listeners.py",
        "from django.db.models.signals import post_save\nfrom django.dispatch import receiver\n\n"
        "@receiver(post_save, sender='users.User')\n"
        "def planted(sender, **kwargs):\n    pass",
        (
            "(boundaries.E006)",
            f"{SCRATCH} receives post_save of users.User",
            "modules.users.events",
        ),
    ),
    "signal-receiver-by-class": Plant(
        f"modules/{SCRATCH}/listeners.py",
        "from django.db.models.signals import pre_delete\n"
        "from modules.users.models import User\n\n"
        "def planted(sender, **kwargs):\n    pass\n\n"
        "pre_delete.connect(planted, sender=User)",
        ("(boundaries.E006)", f"{SCRATCH} receives pre_delete of users.User"),
    ),
    "m2m-changed-receiver": Plant(
        f"modules/{SCRATCH}/listeners.py",
        "from django.apps import apps as registry\nfrom django.db.models.signals import m2m_changed\n\n"
        "def planted(sender, **kwargs):\n    pass\n\n"
        "m2m_changed.connect(planted, sender=registry.get_model('users', 'User').groups.through)",
        ("(boundaries.E006)", f"{SCRATCH} receives m2m_changed of users.User_groups"),
    ),
    # 7. Admin registrations. Each plant imports from users, so the scratch module depends
    # on users, and users' admin has registered User (loaded first) by the time it unregisters it.
    "admin-class": Plant(
        f"modules/{SCRATCH}/admin.py",
        "from django.contrib.auth import get_user_model\n"
        "from modules.users import api as users\n\n"
        "User = get_user_model()\nadmin.site.unregister(User)\n\n"
        "@admin.register(User)\nclass PlantedUserAdmin(admin.ModelAdmin):\n    pass",
        (
            "(boundaries.E007)",
            f"The {SCRATCH} admin registers users.User",
            "modules/users/admin.py",
        ),
    ),
    "admin-default-class": Plant(
        f"modules/{SCRATCH}/admin.py",
        "from modules.users.models import User\n\n"
        "admin.site.unregister(User)\nadmin.site.register(User)",
        ("(boundaries.E007)", f"modules/{SCRATCH}/admin.py:", "registers users.User"),
    ),
}

RUNTIME = {
    # 8. SQL on another module's tables
    "raw-sql": Plant(
        f"modules/{SCRATCH}/services.py",
        "def planted():\n    from django.db import connection\n"
        "    with connection.cursor() as cursor:\n"
        "        cursor.execute('SELECT COUNT(*) FROM users_user')",
        (
            "BoundaryViolation",
            f"{SCRATCH} code at modules/{SCRATCH}/services.py:",
            "users_user, a table of users",
            "Call modules.users.api",
        ),
    ),
    "orm-query": Plant(
        f"modules/{SCRATCH}/services.py",
        # No import of users, so no static check sees it: only the query guard can.
        "def planted():\n    from django.contrib.auth import get_user_model\n"
        "    return get_user_model().objects.count()",
        ("BoundaryViolation", "users_user, a table of users"),
    ),
    # 9. A public API handing out model instances or QuerySets
    "api-returns-model": Plant(
        f"modules/{SCRATCH}/api.py",
        "def planted() -> object:\n    return Item(name='X')",
        (
            "BoundaryViolation",
            f"{SCRATCH}.api.planted() returned a Item model instance",
            "Return a frozen dataclass",
        ),
    ),
    "api-returns-queryset-in-a-list": Plant(
        f"modules/{SCRATCH}/api.py",
        "def planted() -> object:\n    return [selectors.item_list()]",
        ("BoundaryViolation", f"{SCRATCH}.api.planted() returned a QuerySet of Item"),
    ),
}

# What each runtime plant calls, as `manage.py shell -c` would.
RUNTIME_CALLS = {
    f"modules/{SCRATCH}/services.py": f"from modules.{SCRATCH} import services; services.planted()",
    f"modules/{SCRATCH}/api.py": f"from modules.{SCRATCH} import api; api.planted()",
}


def test_the_untouched_project_has_no_boundary_violations(project_copy: Path) -> None:
    result = run_manage(project_copy, "check", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "boundaries.E" not in output and "boundaries.W" not in output


@pytest.mark.parametrize("case", STATIC.values(), ids=STATIC.keys())
def test_the_system_checks_catch(project_copy: Path, case: Plant) -> None:
    plant(project_copy, case.file, case.code)

    result = run_manage(project_copy, "check")

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for text in case.expected:
        assert text in output


def test_the_api_namespace_reach_in_is_reported_at_its_line(project_copy: Path) -> None:
    plant(project_copy, f"modules/{SCRATCH}/services.py", "from modules.users.api import User")
    lines = (project_copy / f"modules/{SCRATCH}/services.py").read_text().splitlines()

    result = run_manage(project_copy, "check")

    assert f"modules/{SCRATCH}/services.py:{len(lines)}: (boundaries.E001)" in result.stderr


def test_a_model_is_reported_even_when_the_api_exports_it(project_copy: Path) -> None:
    plant(project_copy, "modules/users/api.py", '__all__ = [*__all__, "User"]')
    plant(project_copy, f"modules/{SCRATCH}/services.py", "from modules.users.api import User")

    result = run_manage(project_copy, "check")

    assert f"{SCRATCH} imports User from modules.users.api, a model of users" in result.stderr


def test_names_an_api_or_events_exports_pass(project_copy: Path) -> None:
    plant(
        project_copy,
        f"modules/{SCRATCH}/listeners.py",
        "from modules.users import api as users_api\n"
        "from modules.users.api import UserDTO, UserNotFound\n"
        "from modules.users.events import UserRegistered\n\n"
        "def planted(event: UserRegistered) -> UserDTO:\n"
        "    return users_api.get_user(event.user_id)",
    )

    result = run_manage(project_copy, "check", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr


def test_modules_may_each_register_their_own_model_of_the_same_name(project_copy: Path) -> None:
    # The scratch module and another, both made by startmodule, each own a model named Item.
    other = free_module_name(project_copy, "beta")
    assert run_manage(project_copy, "startmodule", other).returncode == 0
    for module in (SCRATCH, other):
        (project_copy / f"modules/{module}/admin.py").write_text(
            "from django.contrib import admin\n\n"
            "from .models import Item\n\n"
            "admin.site.register(Item)\n"
        )

    result = run_manage(project_copy, "check", "--fail-level", "WARNING")

    assert result.returncode == 0, result.stdout + result.stderr
    output = result.stdout + result.stderr
    assert "boundaries.E" not in output and "boundaries.W" not in output


def test_one_import_statement_is_one_violation(project_copy: Path) -> None:
    plant(
        project_copy,
        f"modules/{SCRATCH}/services.py",
        "def planted():\n    from modules.users.models import (\n        User,\n        UserManager,\n    )",
    )

    result = run_manage(project_copy, "check")

    assert result.stderr.count(f"{SCRATCH} imports modules.users.models") == 1, result.stderr


def test_files_python_cannot_parse_are_skipped_and_others_still_checked(project_copy: Path) -> None:
    # A Python 2 script or a code template ending in .py cannot be imported, so it reaches nowhere.
    plant(project_copy, f"modules/{SCRATCH}/legacy_script.py", 'print "Python 2"')
    # A coding declaration other than UTF-8 is read as Python reads it.
    (project_copy / f"modules/{SCRATCH}/latin.py").write_bytes(
        b"# -*- coding: latin-1 -*-\nfrom modules.users.selectors import user_get\nCAFE = 'caf\xe9'\n"
    )

    result = run_manage(project_copy, "check")

    assert f"modules/{SCRATCH}/latin.py:2: (boundaries.E001)" in result.stderr, result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize("case", RUNTIME.values(), ids=RUNTIME.keys())
def test_the_runtime_guards_catch(project_copy: Path, case: Plant) -> None:
    plant(project_copy, case.file, case.code)
    if case.file == f"modules/{SCRATCH}/api.py":
        plant(project_copy, case.file, '__all__ = [*__all__, "planted"]')

    result = run_manage(
        project_copy, "shell", "-c", RUNTIME_CALLS[case.file], BOUNDARY_GUARDS="true"
    )

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    for text in case.expected:
        assert text in output
