"""Logging helpers: which module a log record comes from.

Add ``ModuleFilter`` to a handler and every record it handles carries
``module_label``: the label of the module whose code logged it, read from the
logger's name (``logging.getLogger(__name__)`` in ``modules/orders/services.py``
is ``modules.orders.services``: ``orders``), or ``""`` outside every module.
"""

import logging

from django.apps import apps

from .modules import module_labels, module_package


def module_of(logger_name: str) -> str:
    """The label of the installed module that ``logger_name`` lives in, or ``""``."""
    if not apps.ready:  # logging starts before the app registry: nothing is a module yet
        return ""
    for label in module_labels():
        package = module_package(label)
        if logger_name == package or logger_name.startswith(package + "."):
            return label
    return ""


class ModuleFilter(logging.Filter):
    """Set ``record.module_label`` to the module that logged the record; keep every record."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "module_label", ""):  # a caller's extra={"module_label": ...} wins
            record.module_label = module_of(record.name)
        return True
