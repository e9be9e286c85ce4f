from modular_monolith.errors import DomainError, NotFound


class ${Module}Error(DomainError):
    """Base class for the errors of the ${module} module."""


class ItemNotFound(${Module}Error, NotFound):
    """No item has this id."""
