"""Modules served by another process, behind the same ``api`` (the strangler fig).

A process serves the public API of the modules installed in it at
``/internal/modules/<module>/<function>`` (``modular_monolith.remote.urls``). A
process that lists a module in ``MONOLITH_REMOTE_MODULES`` calls it there: at
startup its ``api`` functions are replaced by remote calls with the same
signatures, DTOs and errors (``client``), its tables are not migrated here
(``RemoteModulesRouter``), and this process does not serve it, run its listeners,
mount its routes or show it in the admin (``local``). Calls are signed
with ``MONOLITH_REMOTE_SECRET`` (``signing``), time out, are retried only if
``@idempotent``, and fail with ``ModuleUnavailable``. See docs/remote-modules.md.
"""

from .errors import ModuleUnavailable
from .idempotent import idempotent, is_idempotent
from .local import is_remote, unregister_remote_models
from .routing import RemoteModulesRouter

__all__ = [
    "ModuleUnavailable",
    "RemoteModulesRouter",
    "idempotent",
    "is_idempotent",
    "is_remote",
    "unregister_remote_models",
]
