"""Rapport admins: the workspace's Slack admins and owners, and the people an admin names
with `/rapport admins add` (bot/access.py says what admins may do)."""
