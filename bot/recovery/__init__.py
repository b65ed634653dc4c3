"""Recovery plans: what a grade below B turns into (a realistic target and a dated
follow-up call), planned or dismissed by the account's owner."""
