"""The Django project: settings, URL and API composition, authentication, error responses.

Domain code lives in ``modules/`` and imports nothing from this package; what
every module shares (events, errors, the boundary checks) comes from the
``modular_monolith`` library.
"""
