"""An account's contacts: `/account contact add|list|edit|remove`, who was on a call,
the teams no call reached lately, and grade requests to a contact."""
