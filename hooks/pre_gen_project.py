"""Refuse a project slug that cannot be the Django project's package name."""

import keyword
import sys

SLUG = "{{ cookiecutter.project_slug }}"
TAKEN = {"modules", "tests", "hooks", "docs", "benchmarks", "django", "ninja", "test"}

if (
    not SLUG.isidentifier()
    or keyword.iskeyword(SLUG)
    or any(c.isupper() for c in SLUG)
    or SLUG in TAKEN
):
    sys.exit(
        f"ERROR: project_slug {SLUG!r} must be a lowercase Python identifier, not a keyword "
        f"and not one of {', '.join(sorted(TAKEN))}."
    )
