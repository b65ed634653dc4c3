"""Every SQL statement of the app, one module per feature.

Query functions take the session as their first argument and everything else by
keyword; they never commit: the use case that calls them owns the transaction.
"""
