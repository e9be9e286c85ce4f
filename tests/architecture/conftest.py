from pathlib import Path

import pytest

from .sandbox import copy_project


@pytest.fixture
def project_copy(tmp_path: Path) -> Path:
    """A copy of the project that a test may plant violations in."""
    return copy_project(tmp_path)
