"""Bringing texts into a project: the import wizard."""
