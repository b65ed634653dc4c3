"""Client calls: logged with /logcall, a DM, the modal or the message shortcut; undone."""
