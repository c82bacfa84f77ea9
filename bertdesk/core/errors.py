"""Errors a person can act on: each says what happened and what to do.

A message is a template with named values, ``UserInputError("{file} is empty.", "Choose a
file that holds texts.", file=path.name)``, so the GUI can show it in the user's language.
Message and hint are ``Sentence``s: the English text the CLI prints and the log keeps, which
also remember their template and values; ``translated(translate)`` passes the template
through ``translate`` (the GUI's is Qt's, context "Errors") before it fills in the values.
scripts/build_translations.py collects every template of bertdesk/{core,store,io,ml} for the
translators, so a template must be a string literal where the error or sentence is made.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

Translate = Callable[[str], str]


class Sentence(str):
    """English text that keeps its template and named values, to be shown translated.

    ``Sentence("has {count} fields where the header has {width}", count=3, width=2)`` is that
    English sentence wherever a ``str`` goes (a CLI line, a log, a comparison); a reason in an
    import report, say, which the GUI shows with ``translated``. Without values a template is
    taken as it is, braces and all (e.g. an f-string of the CLI's).
    """

    template: str
    values: dict[str, object]

    def __new__(cls, template: str, **values: object) -> Sentence:
        sentence = super().__new__(cls, _fill(template, values))
        sentence.template, sentence.values = template, values
        return sentence

    def translated(self, translate: Translate) -> str:
        """The template passed through ``translate``, then filled in; a value that is itself a
        Sentence is translated too. A translation that names a value the template lacks falls
        back to the English."""
        if not self.template:
            return ""
        values = {name: value.translated(translate) if isinstance(value, Sentence) else value
                  for name, value in self.values.items()}
        try:
            return _fill(translate(self.template), values)
        except (KeyError, IndexError, ValueError):
            return _fill(self.template, values)


def quoted_names(names: Sequence[str], shown: int = 5) -> str:
    """A few names (labels, columns) as a sentence's value: "'a', 'b', 'c' …" past ``shown``."""
    quoted = ", ".join(f"'{name}'" for name in names[:shown])
    return quoted + (" …" if len(names) > shown else "")


def _fill(template: str, values: dict[str, object]) -> str:
    return template.format(**values) if values else template


class BertdeskError(Exception):
    """An error shown to the user as one clear message (CLI line or GUI dialog).

    ``hint`` says what to do about it; it is kept apart so the GUI can lay it out.
    """

    def __init__(self, message: str, hint: str = "", **values: object) -> None:
        self.message = Sentence(message, **values)
        self.hint = Sentence(hint, **values)
        super().__init__(self.message)

    def translated(self, translate: Translate) -> tuple[str, str]:
        """The message and hint in the language of ``translate`` (see ``Sentence``)."""
        return self.message.translated(translate), self.hint.translated(translate)

    def __str__(self) -> str:
        return f"{self.message} {self.hint}".strip()


class UserInputError(BertdeskError):
    """Bad input from the user: a broken file, a wrong column name, an empty label name."""


class ProjectBusyError(BertdeskError):
    """The project file is locked by another program for longer than we wait."""


def log_failure(logger: logging.Logger, what: str, error: BaseException) -> None:
    """A failed job's traceback goes to the log, where it helps to find a bug. A
    ``UserInputError`` (a missing model folder, fp16 without a GPU, a file that does not fit
    the project) is the user's to fix and its message says how: its traceback is only for
    --debug, not printed above that message."""
    logger.log(logging.DEBUG if isinstance(error, UserInputError) else logging.ERROR,
               "%s failed", what, exc_info=error)
