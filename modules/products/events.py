"""Events published by the products module: none yet.

Stock changes are requested through ``api.reserve_stock`` and ``api.release_stock``
by the module that needs them, which announces its own facts.
"""
