"""The database router that keeps a remote module's tables out of this process's database."""

from typing import Any

from ..conf import setting


class RemoteModulesRouter:
    """Do not migrate the modules of ``MONOLITH_REMOTE_MODULES``: their process owns the tables.

    Add it to ``DATABASE_ROUTERS``. ``migrate`` then creates none of their tables
    here (and records their migrations as applied, as it does for any migration a
    router skips). It routes nothing else: reads and writes go where they would.
    """

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool | None:
        return False if app_label in setting("REMOTE_MODULES") else None
