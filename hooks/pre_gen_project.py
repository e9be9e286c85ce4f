"""Refuse a project slug that cannot be the Django project's package name, before anything is written.

The slug becomes a top-level package, so it must not shadow a module that the project
imports: the standard library, a dependency, or anything importable where cookiecutter runs.
"""

import importlib.util
import keyword
import sys

SLUG = "{{ cookiecutter.project_slug }}"

# The project's own top-level folders.
FOLDERS = {"modules", "tests", "docs", "benchmarks", "vendor"}
# What the project installs (import names), whether or not it is installed here.
DEPENDENCIES = {
    "django", "environ", "ninja", "psycopg", "psycopg_binary", "kombu", "amqp", "vine",
    "asgiref", "sqlparse", "pydantic", "modular_monolith", "importlinter", "grimp",
    "pytest", "pytest_django", "pytest_env", "ruff", "mypy", "mypy_django_plugin",
    "django_stubs_ext", "pre_commit", "cookiecutter",
}  # fmt: skip


def problem(slug: str) -> str | None:
    """Say why ``slug`` cannot be the project package, or None if it can."""
    if not slug.isidentifier() or slug != slug.lower():
        return "is not a lowercase Python identifier"
    if keyword.iskeyword(slug) or keyword.issoftkeyword(slug):
        return "is a Python keyword"
    if slug in FOLDERS:
        return "is a folder of the project"
    if slug in sys.stdlib_module_names or slug == "test":  # test: Python's own test suite
        return "is a module of Python's standard library, which the package would shadow"
    if slug in DEPENDENCIES or importlib.util.find_spec(slug) is not None:
        return "is an installed package (or one the project installs), which it would shadow"
    return None


reason = problem(SLUG)
if reason:
    sys.exit(
        f"ERROR: {SLUG!r} cannot be the project's package: it {reason}. "
        "Choose another project_name (or project_slug). Nothing was written."
    )
