"""Garbage is collected on the GUI thread: a worker that collects it deletes widgets off it.

The GUI tests run inside ``garbage_collected_on_gui_thread`` as the app does (tests/gui/conftest.py).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import weakref
from typing import Any

from bertdesk.core import CancelToken, ProgressCallback
from bertdesk.gui.common.jobs import BackgroundJob


def test_garbage_left_while_a_worker_allocates_is_collected_on_the_gui_thread(qtbot: Any) -> None:
    collected_on: list[int] = []

    class Cycle:
        itself: object

    garbage = Cycle()
    garbage.itself = garbage  # only the cycle collector frees it
    weakref.finalize(garbage, lambda: collected_on.append(threading.get_ident()))
    del garbage

    def allocate(progress: ProgressCallback, cancel: CancelToken) -> list[list[int]]:
        # The collector counts the lists made and kept: these pass every generation's threshold,
        # as loading a model does, and an automatic collector would run here, on the worker.
        return [[number] for number in range(300_000)]

    job = BackgroundJob("allocate", allocate)
    job.start()
    qtbot.waitUntil(lambda: bool(collected_on), timeout=10_000)
    assert job.wait(10)
    assert collected_on == [threading.get_ident()]


# Leaves the context again and again with cycles of connected QObjects as garbage, collection on
# at every allocation once it is back: what a GUI test's teardown does, made certain to collect.
LEAVING_CHILD = """
import gc
from PySide6.QtCore import QObject, Signal
from PySide6.QtWidgets import QApplication, QWidget
from bertdesk.gui.common.jobs import garbage_collected_on_gui_thread

class Sender(QObject):
    ping = Signal()

app = QApplication([])
for _ in range(300):
    with garbage_collected_on_gui_thread():
        for _ in range(20):
            sender, widget = Sender(), QWidget()
            sender.ping.connect(widget.update)
            sender.partner, widget.partner = widget, sender
            del sender, widget
        gc.set_threshold(1)
    gc.set_threshold(700, 10, 10)
    gc.collect()
print("left 300 times")
"""


def test_leaving_the_gui_thread_collection_never_deadlocks() -> None:
    """The collector's timer must go while automatic collection is still off: PySide disconnects
    a dying slot's owner from a weakref callback, and a collection inside that disconnect which
    deletes a QObject waits forever on the lock the disconnect holds."""
    child = subprocess.run([sys.executable, "-c", LEAVING_CHILD], capture_output=True, text=True, timeout=120,
                           env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))
    assert child.returncode == 0 and "left 300 times" in child.stdout, child.stderr
