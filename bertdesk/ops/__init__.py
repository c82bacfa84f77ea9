"""User operations over a project (no Qt): each returns what it changed, so every front end refreshes alike."""
