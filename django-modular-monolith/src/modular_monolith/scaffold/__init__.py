"""The files ``manage.py startmodule`` writes for a new module: ``module/`` becomes
``modules/<name>/`` and ``tests/`` becomes ``tests/<name>/``.

Templates end in ``.tpl`` and use ``string.Template`` placeholders: ``${module}``
(the module's name, e.g. ``inventory``) and ``${Module}`` (``Inventory``).
"""
