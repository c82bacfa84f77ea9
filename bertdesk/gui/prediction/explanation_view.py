"""The "why" view: the typed text with each word tinted by how it moved the prediction.

Green marks words that pushed toward the shown label, red those that pushed away from it; the
stronger the push, the stronger the colour, scaled to the strongest word of this text. The
scores come from ``bertdesk.ml.explain`` (integrated gradients), computed off the GUI thread by
the prediction tab; this widget only paints them.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Optional

from PySide6.QtCore import QRectF, QSize
from PySide6.QtGui import (
    QColor,
    QLinearGradient,
    QPainter,
    QPalette,
    QTextCharFormat,
    QTextCursor,
)
from PySide6.QtWidgets import QHBoxLayout, QLabel, QTextEdit, QVBoxLayout, QWidget

from bertdesk.ml.explain import Explanation, TokenAttribution

TOWARD_COLOUR = QColor(34, 160, 70)
AWAY_COLOUR = QColor(214, 48, 49)
STRONGEST_ALPHA = 0.75  # the strongest word keeps a little of the background so text stays legible


def attribution_colour(score: float, strongest: float, background: QColor) -> QColor:
    """The tint for a word: green toward, red away, its strength relative to the strongest word."""
    if strongest <= 0.0:
        return QColor(background)
    share = min(abs(score) / strongest, 1.0) * STRONGEST_ALPHA
    hue = TOWARD_COLOUR if score > 0 else AWAY_COLOUR
    return QColor(
        round(background.red() + (hue.red() - background.red()) * share),
        round(background.green() + (hue.green() - background.green()) * share),
        round(background.blue() + (hue.blue() - background.blue()) * share),
    )


def utf16_offsets(text: str) -> list[int]:
    """Qt counts UTF-16 units; Python counts code points. Entry i is Qt's position of text[i]."""
    offsets = [0]
    for character in text:
        offsets.append(offsets[-1] + (2 if ord(character) > 0xFFFF else 1))
    return offsets


class AttributionLegend(QWidget):
    """A red → neutral → green strip with its meaning written at both ends."""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.away_label = QLabel(self.tr("pushed away"))
        self.toward_label = QLabel(self.tr("pushed toward"))
        self.strip = _GradientStrip()
        layout = QHBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.away_label)
        layout.addWidget(self.strip, 1)
        layout.addWidget(self.toward_label)


class _GradientStrip(QWidget):
    def sizeHint(self) -> QSize:
        return QSize(160, 14)

    def paintEvent(self, event: object) -> None:
        background = self.palette().color(QPalette.ColorRole.Base)
        gradient = QLinearGradient(0, 0, self.width(), 0)
        gradient.setColorAt(0.0, attribution_colour(-1.0, 1.0, background))
        gradient.setColorAt(0.5, background)
        gradient.setColorAt(1.0, attribution_colour(1.0, 1.0, background))
        painter = QPainter(self)
        rect = QRectF(0.5, 0.5, self.width() - 1.0, self.height() - 1.0)
        painter.fillRect(rect, gradient)
        painter.setPen(self.palette().color(QPalette.ColorRole.Mid))
        painter.drawRect(rect)
        painter.end()


class ExplanationView(QWidget):
    """Shows one ``Explanation`` over its text, or a one-line state (working, off, error)."""

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.caption = QLabel()
        self.caption.setWordWrap(True)
        self.text_view = QTextEdit()
        self.text_view.setReadOnly(True)
        self.text_view.setMinimumHeight(60)
        font = self.text_view.font()
        font.setPointSizeF(font.pointSizeF() * 1.25)
        self.text_view.setFont(font)
        self.legend = AttributionLegend()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.caption)
        layout.addWidget(self.text_view, 1)
        layout.addWidget(self.legend)
        self.explanation: Optional[Explanation] = None
        self.show_message("")

    def show_message(self, message: str) -> None:
        """Replace the highlighted text by a state such as "Working out why…"."""
        self.explanation = None
        self.caption.setText(message)
        self.text_view.clear()
        self.text_view.setVisible(False)
        self.legend.setVisible(False)

    def show_explanation(self, text: str, explanation: Explanation) -> None:
        """Tint each word of ``text`` (the text the explanation was computed for)."""
        self.explanation = explanation
        caption = self.tr(
            "Why “{label}”: green words pushed the model toward it, red words away from it; "
            "the stronger the colour, the stronger the push."
        ).format(label=explanation.label)
        if explanation.truncated:
            caption += " " + self.tr("Only the first part of this long text is explained.")
        self.caption.setText(caption)
        # The edit would carry the format under its cursor (the last text's first tint) over
        # to the new text: start from a plain format.
        self.text_view.setCurrentCharFormat(QTextCharFormat())
        self.text_view.setPlainText(text)
        self._paint(text, explanation.attributions)
        self.text_view.setVisible(True)
        self.legend.setVisible(True)

    def _paint(self, text: str, attributions: Sequence[TokenAttribution]) -> None:
        background = self.text_view.palette().color(QPalette.ColorRole.Base)
        strongest = max((abs(a.score) for a in attributions), default=0.0)
        positions = utf16_offsets(text)
        cursor = QTextCursor(self.text_view.document())
        for attribution in attributions:
            if attribution.end > len(text) or attribution.start >= attribution.end:
                continue
            cursor.setPosition(positions[attribution.start])
            cursor.setPosition(positions[attribution.end], QTextCursor.MoveMode.KeepAnchor)
            tint = QTextCharFormat()
            tint.setBackground(attribution_colour(attribution.score, strongest, background))
            tint.setToolTip(self.tr("{word}: {score:+.2f}").format(
                word=attribution.text, score=attribution.score
            ))
            cursor.mergeCharFormat(tint)
        self.text_view.moveCursor(QTextCursor.MoveOperation.Start)

    def sizeHint(self) -> QSize:
        return QSize(400, 140)
