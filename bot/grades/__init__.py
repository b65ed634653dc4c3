"""Grades: asking a client for an A-F grade (and why), answering, reminders and expiry,
cadences, history, and the scale itself."""
