"""The domain modules. Each is a Django app that owns its tables.

A module's public surface is its ``api.py`` (functions, DTOs, errors) and its
``events.py`` (the facts it publishes). Everything else is private to it.
"""
