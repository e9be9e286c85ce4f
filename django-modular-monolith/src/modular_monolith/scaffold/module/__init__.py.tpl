"""${Module}: one paragraph on what this module owns and offers.

Public: ``api.list_items``, ``api.get_item``, ``api.create_item``; event ``ItemCreated``.
Everything else here is private to the module.
"""
