"""Users: accounts that log in with an email address, and API tokens for them.

Public: ``api.get_user``, ``api.register_user``, ``api.issue_token``,
``api.authenticate_token``; event ``UserRegistered``. The custom user model is
private like every model: other modules store a user's id, never a relation.
"""
