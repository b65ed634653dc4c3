"""Rapport: keep every client account in Slack."""
