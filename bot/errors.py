"""Errors whose message is meant for the person who typed the request."""


class UserError(Exception):
    """Bad input or a refused request; `str(error)` is shown to the user as is (mrkdwn)."""
