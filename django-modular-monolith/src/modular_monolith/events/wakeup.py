"""Waking the worker: a publishing transaction notifies this PostgreSQL channel on commit,
and the worker listens on it instead of polling."""

CHANNEL = "modular_monolith_events"
