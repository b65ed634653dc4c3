"""Account reports a lead opens in a spreadsheet: `/account report` and `/account export`."""
