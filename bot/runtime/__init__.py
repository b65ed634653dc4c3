"""What runs the app, knowing nothing of its features: settings, the clock, the context
handed to use cases, the Slack client, the HTTP server, the scheduler and its claims,
and the local console that plays Slack in a terminal."""
