"""Client accounts: naming and finding them, their fields, and `/account`'s use cases."""
