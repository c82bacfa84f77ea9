"""Errors in the user's words: what happened and what to do, in the interface language."""

from __future__ import annotations

from typing import Optional

from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from bertdesk.core import BertdeskError, Sentence


def user_error_text(error: BaseException) -> tuple[str, str]:
    """What happened and what to do, in the UI's language: a BertdeskError's templates are
    translated (context "Errors", see scripts/build_translations.py) before its values fill them."""
    if isinstance(error, BertdeskError):
        return error.translated(_translate_engine_text)
    return str(error), ""


def error_text(error: BaseException) -> str:
    """A BertdeskError's message and hint on two lines, translated; anything else as Python says it."""
    if isinstance(error, BertdeskError):
        return "\n\n".join(user_error_text(error)).strip()
    return str(error) or type(error).__name__


def translated_text(text: str) -> str:
    """An engine's ``Sentence`` (why a row cannot be read, say) in the UI's language; other text as it is."""
    return text.translated(_translate_engine_text) if isinstance(text, Sentence) else text


FULL_WIDTH_ENDS = ("。", "！", "？", "；", "：", "）", "」", "』")  # Chinese puts no space after these


def joined_sentences(*sentences: str) -> str:
    """Sentences run on as one paragraph: a space after an English one, none after a Chinese one."""
    text = ""
    for sentence in filter(None, sentences):
        if text and not text.endswith(FULL_WIDTH_ENDS):
            text += " "
        text += sentence
    return text


def _translate_engine_text(template: str) -> str:
    return QApplication.translate("Errors", template)


def show_user_error(parent: Optional[QWidget], error: BaseException) -> None:
    """A BertdeskError says what happened and what to do: show both, no traceback."""
    message, hint = user_error_text(error)
    box = QMessageBox(QMessageBox.Icon.Warning, "bertdesk", message, parent=parent)
    if hint:
        box.setInformativeText(hint)
    box.exec()


def delete_anyway_question(unsure: str) -> str:
    """A delete's question about a job recorded as running that this computer cannot check
    (``bertdesk.core.owner.unsure``): the user can tell, and is asked to."""
    return joined_sentences(translated_text(unsure), QApplication.translate(
        "Errors", "Delete it only if no bertdesk runs it any more (its window was closed, or its computer restarted)."))
