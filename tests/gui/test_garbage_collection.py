"""Garbage is collected on the GUI thread: a worker that collects it deletes widgets off it.

The GUI tests run inside ``garbage_collected_on_gui_thread`` as the app does (tests/gui/conftest.py).
"""

from __future__ import annotations

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
