"""The App Home tab: each account manager's own accounts, what needs attention first."""
