"""Ids of the accounts feature's Block Kit elements."""

# The account picker's external select (in the log-call and ask-for-a-grade modals);
# handlers/accounts.py serves its options.
ACCOUNT_PICKER = "account"

# The page buttons of `/account list`; their value carries the filters and an offset
# (bot/accounts/listing.py).
LIST_PREVIOUS = "account_list_previous"
LIST_NEXT = "account_list_next"
