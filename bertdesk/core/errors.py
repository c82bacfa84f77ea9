"""Errors a person can act on: each says what happened and what to do."""

from __future__ import annotations


class BertdeskError(Exception):
    """An error shown to the user as one clear message (CLI line or GUI dialog).

    ``hint`` says what to do about it; it is kept apart so the GUI can lay it out.
    """

    def __init__(self, message: str, hint: str = "") -> None:
        super().__init__(message)
        self.message = message
        self.hint = hint

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class UserInputError(BertdeskError):
    """Bad input from the user: a broken file, a wrong column name, an empty label name."""


class ProjectBusyError(BertdeskError):
    """The project file is locked by another program for longer than we wait."""
