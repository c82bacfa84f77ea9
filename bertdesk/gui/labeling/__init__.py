"""The labeling view, its label manager and the statistics beside it."""
