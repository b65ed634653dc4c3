"""Importing a book of accounts from a CSV or .xlsx file: accounts, their contacts and past
calls. Read (reading.py), checked against what is stored (checking.py), previewed, and
stored in one transaction when the importer says so (importing.py)."""
