"""Saved means saved: a labeling window killed with SIGKILL loses nothing it showed as saved."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from bertdesk.core import Split
from bertdesk.store import Project

# The child labels through the real widgets and prints "example label" once the row shows it.
CHILD = r"""
import sys
from pathlib import Path
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from bertdesk.gui.labeling.label_view import LabelView
from bertdesk.gui.common.session import ProjectSession
from bertdesk.store import Project

app = QApplication([])
project = Project.open(Path(sys.argv[1]))
view = LabelView(ProjectSession(project))
view.show()
view.table.setFocus()
row = 0
while True:
    key = "12"[row % 2]
    QTest.keyClick(view.table, key)
    shown = view.model.row(row)
    label = view.model.labels[shown.label_ids[0]]
    assert label.shortcut == key
    print(shown.id, label.id, flush=True)
    row = (row + 1) % view.model.rowCount()
    if row == 0:
        view.move_to(0)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="SIGKILL is POSIX only")
def test_labels_shown_as_saved_survive_sigkill(project_path: Path) -> None:
    with Project.create(project_path) as project, project.bulk_writer() as writer:
        writer.label_id("positive")
        writer.label_id("negative")
        for i in range(500):
            writer.add(f"text {i}", Split.TRAIN)
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen")
    child = subprocess.Popen([sys.executable, "-c", CHILD, str(project_path)], env=env,
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    assert child.stdout is not None
    shown: dict[int, int] = {}
    watchdog = threading.Timer(120, child.kill)  # a hung child ends the test instead of blocking it
    watchdog.start()
    try:
        while len(shown) < 40:
            line = child.stdout.readline()
            if not line:
                pytest.fail(f"the child stopped early: {child.stderr.read() if child.stderr else ''}")
            example_id, label_id = map(int, line.split())
            shown[example_id] = label_id
    finally:
        watchdog.cancel()
        watchdog.join()
        os.kill(child.pid, signal.SIGKILL)
        child.wait()
        child.stdout.close()
        if child.stderr:
            child.stderr.close()
    assert child.returncode == -signal.SIGKILL
    with Project.open(project_path) as reopened:
        stored = {eid: reopened.example(eid).label_ids for eid in shown}  # type: ignore[union-attr, arg-type]
    assert stored == {eid: (label_id,) for eid, label_id in shown.items()}
