"""Ids of the accounts feature's Block Kit elements."""

# The account picker's external select (in the log-call and ask-for-a-grade modals);
# handlers/accounts.py serves its options.
ACCOUNT_PICKER = "account"
