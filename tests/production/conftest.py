from pathlib import Path

import pytest

from tests.production.processes import manage, production_env


@pytest.fixture(scope="package")
def sqlite_database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A migrated SQLite file in a folder of its own, for processes started by the tests."""
    database = tmp_path_factory.mktemp("production") / "data" / "db.sqlite3"
    database.parent.mkdir()
    manage("migrate", "--no-input", env=production_env(f"sqlite:///{database}"))
    return database
