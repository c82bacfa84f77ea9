"""Spin boxes, combo boxes and sliders take the mouse wheel only once they have the focus.

Scrolling a long form used to change whatever field passed under the pointer (Epochs went
from 1.0 to 0.1 without a word). One event filter on the application covers every such field
in every window: an unfocused field lets the wheel through to the scroll area around it, and
a click or Tab (not the wheel) gives it the focus.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication, QEvent, QObject, Qt
from PySide6.QtWidgets import QAbstractSpinBox, QApplication, QComboBox, QSlider, QWidget

GUARDED = (QAbstractSpinBox, QComboBox, QSlider)  # not scroll bars: they are what the wheel is for


def _focus_without_wheel(widget: QWidget) -> None:
    if widget.focusPolicy() == Qt.FocusPolicy.WheelFocus:
        widget.setFocusPolicy(Qt.FocusPolicy.StrongFocus)


class WheelGuard(QObject):
    """The application-wide filter; see the module docstring."""

    def eventFilter(self, watched: QObject, event: QEvent) -> bool:  # noqa: N802 (Qt override)
        if not isinstance(watched, GUARDED):
            return False
        if event.type() == QEvent.Type.Polish:
            _focus_without_wheel(watched)  # the wheel no longer gives it the focus
        elif event.type() == QEvent.Type.Wheel and not watched.hasFocus():
            _pass_to_ancestors(watched, event)
            return True
        return False


def _pass_to_ancestors(widget: QWidget, event: QEvent) -> None:
    """Offer the wheel to the widgets around ``widget`` until one takes it (the scroll area).

    Done here rather than left to Qt, which passes on only the wheel events of the system:
    this way a scroll the app itself sends goes the same way.
    """
    parent = widget.parentWidget()
    while parent is not None:
        event.ignore()
        QApplication.sendEvent(parent, event)
        if event.isAccepted() or parent.isWindow():
            break
        parent = parent.parentWidget()
    event.accept()  # taken, or nobody wants it: either way Qt need not pass it on again


def install_wheel_guard(app: QCoreApplication) -> WheelGuard:
    """Install the guard once on the application (again is a no-op); returns it."""
    existing = app.findChild(WheelGuard)
    if existing is not None:
        return existing
    guard = WheelGuard(app)
    app.installEventFilter(guard)
    for widget in QApplication.allWidgets():  # fields made before the guard was installed
        if isinstance(widget, GUARDED):
            _focus_without_wheel(widget)
    return guard

