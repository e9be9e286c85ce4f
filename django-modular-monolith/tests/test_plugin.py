"""The pytest plugin loads in every test run of a project that installs the library."""

import pytest

WITHOUT_DJANGO = """
import pytest

def test_plain():
    pass

@pytest.mark.postgres
def test_needs_postgresql():
    raise AssertionError("a test marked postgres ran without PostgreSQL")
"""


def test_a_run_without_django_is_left_alone(pytester: pytest.Pytester) -> None:
    """No settings: no guards to install, and a ``postgres`` test is skipped, not failed."""
    pytester.makepyfile(WITHOUT_DJANGO)

    result = pytester.runpytest_subprocess("-p", "no:django", "--strict-markers")

    result.assert_outcomes(passed=1, skipped=1)
