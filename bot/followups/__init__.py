"""Follow-ups that come to their owner: the morning DM of what is due, and its buttons."""
