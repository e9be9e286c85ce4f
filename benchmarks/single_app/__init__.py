"""The shop's place-order contract as a single-app Django project, for ``place_order.py``.

What a team without module boundaries would write: one app, foreign keys between its
tables, the ORM called straight from the views, and the order's notification stored
(and emailed) in the request that places the order. Same HTTP contract as the modular
project for the calls the benchmark makes (register, token, place an order: request
and reply bodies, status codes, the error body), same framework (django-ninja) and
the same Django settings that matter to speed: middleware, connection reuse, health checks.
"""
