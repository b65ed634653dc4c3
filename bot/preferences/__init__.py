"""Each person's own settings in Rapport: for now, the language it writes to them in."""
