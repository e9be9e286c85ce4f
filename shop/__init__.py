"""The Django project: settings, URL and API composition, and the shared infrastructure.

Domain code lives in ``modules/``. Modules may import only ``modular_monolith``
from this package; everything else here wires the modules together.
"""
