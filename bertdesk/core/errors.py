"""Errors a person can act on: each says what happened and what to do.

A message is a template with named values, ``UserInputError("{name} is empty.", "Choose a
file that holds texts.", name=path.name)``, so the GUI can show it in the user's language:
``error.translated(translate)`` fills in the values after ``translate`` (the GUI passes Qt's
translator, context "Errors") has translated both templates. ``message`` and ``hint`` are the
English text the CLI prints and the log keeps. scripts/build_translations.py collects every
template of bertdesk/{core,store,io,ml} for the translators, so a template must be a string
literal at the raise site.
"""

from __future__ import annotations

from collections.abc import Callable


class BertdeskError(Exception):
    """An error shown to the user as one clear message (CLI line or GUI dialog).

    ``hint`` says what to do about it; it is kept apart so the GUI can lay it out.
    """

    def __init__(self, message: str, hint: str = "", **values: object) -> None:
        self.message_template = message
        self.hint_template = hint
        self.values = values
        self.message, self.hint = self.translated(lambda template: template)
        super().__init__(self.message)

    def translated(self, translate: Callable[[str], str]) -> tuple[str, str]:
        """The message and hint with each template passed through ``translate``, then filled in.

        Without values a message is taken as it is, braces and all (e.g. an f-string of the CLI's).
        A translation that names a value the template lacks falls back to the English.
        """
        texts = []
        for template in (self.message_template, self.hint_template):
            try:
                texts.append(self._fill(translate(template)) if template else "")
            except (KeyError, IndexError, ValueError):
                texts.append(self._fill(template))
        return texts[0], texts[1]

    def _fill(self, template: str) -> str:
        return template.format(**self.values) if self.values else template

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class UserInputError(BertdeskError):
    """Bad input from the user: a broken file, a wrong column name, an empty label name."""


class ProjectBusyError(BertdeskError):
    """The project file is locked by another program for longer than we wait."""
