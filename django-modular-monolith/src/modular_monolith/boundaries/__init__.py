"""Boundary checks: catch every way a module can reach into another's code or data.

import-linter sees import statements. These checks see the rest:

    static (Django system checks, run by ``manage.py check`` and ``runserver``)
      E001  importing another module's private code, in any form, or a name its
            api or events does not export (``from modules.orders.api import Order``)
      E002  importing it by string (importlib, __import__, import_string)
      E003  fetching another module's model from the app registry
      E004  a relation field pointing into another module
      E005  a migration depending on another module's migrations
      E006  a model signal receiver on another module's model
      E007  registering another module's model in your admin
      E009  a recorded shared transaction that does not name two modules
    runtime (on in DEBUG and in the test suite; see ``guards``)
      SQL run by one module's code against another module's tables
      a transaction writing the tables of two modules (unless the baseline
      records the pair under ``shared_transactions``; see ``transactions``)
      a public ``api`` function handing out a model instance or a QuerySet

The modules are the apps ``MONOLITH_MODULES`` names (see ``modular_monolith.modules``).
A module's public surface is ``<package>.api`` and ``<package>.events``, its package
being its app's name (``modules.orders``); everything else in the package is private.
"""
