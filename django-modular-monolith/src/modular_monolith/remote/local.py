"""What a process leaves to the modules' own processes: their routes, admin and listeners.

A module listed in ``MONOLITH_REMOTE_MODULES`` stays installed, so that its ``api``
and ``events`` import as before, but this process runs none of it: its listeners
are not registered (its process listens), its models leave the admin site, and
the project mounts no route of it.
"""

from typing import TYPE_CHECKING

from ..conf import setting
from ..modules import module_labels, module_package

if TYPE_CHECKING:  # the event registry imports this file: no admin (nor its models) at import
    from django.contrib.admin import AdminSite


def is_remote(label: str) -> bool:
    """Whether the module ``label`` is served by another process (``MONOLITH_REMOTE_MODULES``)."""
    return label in setting("REMOTE_MODULES")


def remote_module_of(dotted_name: str) -> str | None:
    """The remote module whose package holds ``dotted_name`` (a module path), if any."""
    for label in setting("REMOTE_MODULES"):
        package = module_package(label) if label in module_labels() else None
        if package and (dotted_name == package or dotted_name.startswith(package + ".")):
            return label
    return None


def unregister_remote_models(site: "AdminSite") -> None:
    """Take the remote modules' models off ``site``: their tables are in another database."""
    for model in list(site._registry):
        if is_remote(model._meta.app_label):
            site.unregister(model)
