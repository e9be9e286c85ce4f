"""Products: the catalogue, with prices and stock.

Public: ``api.get_products`` (one query for many ids), ``api.reserve_stock`` and
``api.release_stock``. Reserving locks the product rows, so two customers
racing for the last unit cannot both get it.
"""
