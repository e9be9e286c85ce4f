import shutil
from pathlib import Path

import pytest

from .sandbox import prepare_project


@pytest.fixture(scope="session")
def prepared_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the project with the scratch module (``sandbox.SCRATCH``), made once per test session
    (``startmodule`` takes a second; copying the result takes a fraction of one)."""
    return prepare_project(tmp_path_factory.mktemp("prepared"))


@pytest.fixture
def project_copy(prepared_project: Path, tmp_path: Path) -> Path:
    """A copy of the project, with the scratch module, that a test may plant violations in."""
    return Path(shutil.copytree(prepared_project, tmp_path / "project"))
