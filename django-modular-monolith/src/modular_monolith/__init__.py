"""Modular monolith: enforced module boundaries and a transactional event outbox for Django.

A *module* is a Django app whose public surface is its ``api`` and ``events``
submodules; everything else in it is private. This package gives such a
project, whatever its domain:

    events       ``@event``, ``publish()``, ``@listens_to``: a transactional outbox,
                 a worker with retries, a RabbitMQ relay and consumer
    boundaries   system checks and runtime guards that catch every reach-in,
                 and a baseline for adopting them gradually
    modules      which apps are modules, and the graph of their imports
    moduledocs   the module documentation, generated from the code
    errors       the error types a module raises, for the project to map to HTTP
    testing      helpers for a module's tests

Add ``"modular_monolith"`` to ``INSTALLED_APPS``; settings are listed in ``conf``.
"""

__version__ = "0.1.0"
