"""MONOLITH_MODULES as a list: apps that live outside modules/ are modules, and checked.

A copy of the project gains apps the way an existing Django project has them: ``polls``
at the top level, ``site_apps.blog`` and ``site_apps.wiki`` in a package of their own,
and ``site_apps.notes``, installed but not listed, so not a module. The list names them
by label (``polls``, ``wiki``) and by app name (``site_apps.blog``).
"""

from pathlib import Path

import pytest

from .sandbox import plant, run_manage

SETTINGS = "explicit_settings"  # beside manage.py
APPS = {
    "polls": "Question",
    "site_apps.blog": "Post",
    "site_apps.wiki": "Page",
    "site_apps.notes": "Note",
}
EXPLICIT_SETTINGS = """
from shop.settings import *  # noqa: F403

INSTALLED_APPS = [*INSTALLED_APPS, *{apps}]  # noqa: F405
MONOLITH_MODULES = ["polls", "site_apps.blog", "wiki"]
"""
# blog's own code: its own relative imports, a public API of another module, and private
# code of an app that is not a module. None of it is a reach-in.
BLOG_SERVICES = """
from polls import api as polls
from site_apps.notes.models import Note

from . import api
from .models import Post


def post_count() -> int:
    return Post.objects.count() + polls.question_count() + api.VERSION + Note.objects.count()
"""


def add_app(project: Path, name: str, model: str) -> None:
    folder = project.joinpath(*name.split("."))
    folder.mkdir(parents=True)
    (folder.parent / "__init__.py").touch()
    (folder / "__init__.py").touch()
    (folder / "apps.py").write_text(
        "from django.apps import AppConfig\n\n\n"
        f"class Config(AppConfig):\n    name = {name!r}\n"
        '    default_auto_field = "django.db.models.BigAutoField"\n'
    )
    (folder / "models.py").write_text(
        "from django.db import models\n\n\n"
        f"class {model}(models.Model):\n    title = models.CharField(max_length=100)\n"
    )
    (folder / "api.py").write_text(
        f"from .models import {model}\n\nVERSION = 1\n\n\n"
        f"def {model.lower()}_count() -> int:\n    return {model}.objects.count()\n"
    )


@pytest.fixture
def explicit_project(project_copy: Path) -> Path:
    for name, model in APPS.items():
        add_app(project_copy, name, model)
    plant(project_copy, "site_apps/blog/services.py", BLOG_SERVICES)
    plant(project_copy, "explicit_settings.py", EXPLICIT_SETTINGS.format(apps=list(APPS)))
    return project_copy


def check(project: Path) -> tuple[int, str]:
    """Run ``manage.py check`` with the explicit list; return its exit code and output."""
    result = run_manage(
        project, "check", "--fail-level", "WARNING", DJANGO_SETTINGS_MODULE=SETTINGS
    )
    return result.returncode, result.stdout + result.stderr


def test_the_listed_apps_pass_when_they_keep_their_boundaries(explicit_project: Path) -> None:
    returncode, output = check(explicit_project)
    assert returncode == 0, output
    assert "boundaries.E" not in output and "boundaries.W" not in output


REACH_INS = {
    "import-between-apps-outside-modules": (
        "from polls.models import Question",
        (
            "(boundaries.E001)",
            "site_apps/blog/selectors.py:",
            "blog imports polls.models, which is private to polls",
            "HINT: Call polls.api or listen to polls.events instead.",
        ),
    ),
    "relative-import-into-a-sibling-app": (
        "from ..wiki import models as wiki_models",
        (
            "(boundaries.E001)",
            "blog imports site_apps.wiki.models, which is private to wiki",
            "HINT: Call site_apps.wiki.api or listen to site_apps.wiki.events instead.",
        ),
    ),
    "package-then-attribute": (
        "import polls\n\n\ndef planted():\n    return polls.models.Question",
        ("(boundaries.E001)", "blog imports polls.models, which is private to polls"),
    ),
    "import-by-string": (
        "from django.utils.module_loading import import_string\n\n\n"
        "def planted():\n    return import_string('site_apps.wiki.models.Page')",
        ("(boundaries.E002)", "'site_apps.wiki.models.Page' by string", "Call site_apps.wiki.api"),
    ),
    "app-registry": (
        "from django.apps import apps\n\n\ndef planted():\n    return apps.get_model('polls', 'Question')",
        ("(boundaries.E003)", "blog fetches polls.Question", "Call polls.api for the data"),
    ),
}


@pytest.mark.parametrize("code, expected", REACH_INS.values(), ids=REACH_INS.keys())
def test_a_reach_in_between_listed_apps_is_reported(
    explicit_project: Path, code: str, expected: tuple[str, ...]
) -> None:
    plant(explicit_project, "site_apps/blog/selectors.py", code)

    returncode, output = check(explicit_project)

    assert returncode != 0, output
    for text in expected:
        assert text in output, output


def test_a_relation_into_a_listed_app_is_reported(explicit_project: Path) -> None:
    plant(
        explicit_project,
        "site_apps/blog/models.py",
        "class PlantedLink(models.Model):\n"
        "    question = models.ForeignKey('polls.Question', on_delete=models.CASCADE)",
    )

    returncode, output = check(explicit_project)

    assert returncode != 0, output
    assert "(boundaries.E004)" in output
    assert "blog.models.PlantedLink.question points at polls.Question" in output
    assert "call polls.api for the data" in output


def test_sql_on_a_listed_apps_table_is_refused_at_run_time(explicit_project: Path) -> None:
    plant(
        explicit_project,
        "site_apps/wiki/services.py",
        "def planted():\n    from django.apps import apps\n"
        "    return apps.get_model('polls', 'Question').objects.count()",
    )

    result = run_manage(
        explicit_project,
        "shell",
        "-c",
        "from site_apps.wiki import services; services.planted()",
        DJANGO_SETTINGS_MODULE=SETTINGS,
        BOUNDARY_GUARDS="true",
    )

    output = result.stdout + result.stderr
    assert result.returncode != 0, output
    assert "BoundaryViolation" in output
    assert "wiki code at site_apps/wiki/services.py:" in output
    assert "polls_question, a table of polls" in output
    assert "Call polls.api instead." in output


def test_a_listed_name_that_is_not_an_installed_app_is_refused(explicit_project: Path) -> None:
    plant(explicit_project, "explicit_settings.py", 'MONOLITH_MODULES = ["polls", "pols"]')

    returncode, output = check(explicit_project)

    assert returncode != 0, output
    assert "MONOLITH_MODULES lists 'pols', which is neither the label nor the name" in output
