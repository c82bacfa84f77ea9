"""The delimiters a user may choose for a file, one wording wherever the window offers them."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication


def delimiter_choices() -> list[tuple[str, str]]:
    """(delimiter, its name) in the language of the moment: the import wizard's preview and
    batch prediction offer these."""
    translate = QCoreApplication.translate
    return [
        (",", translate("Delimiters", "Comma  ,")), ("\t", translate("Delimiters", "Tab")),
        (";", translate("Delimiters", "Semicolon  ;")), ("|", translate("Delimiters", "Bar  |")),
        (" ", translate("Delimiters", "Space")),
    ]
