"""A fatal error leaves a trace in bertdesk.log, and the next start says the app ended abnormally."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path

import psutil

from bertdesk.gui.crash_log import CrashRecorder

# The real start-up path; once the window is up, Python dies as it did with PySide6 6.12.0.
CRASHING_CHILD = """
import ctypes, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication
from bertdesk.gui.app import run_app

def die_in_a_slot():
    ctypes.pythonapi.Py_FatalError(b"none_dealloc: deallocating None")

app = QApplication(sys.argv[:1])
QTimer.singleShot(300, die_in_a_slot)
sys.exit(run_app([]))
"""

# Starts the app, prints the text of every message box it shows, answers it, then closes
# (and prints whether Python's collector runs by itself, as the app has it while it runs).
LOOKING_CHILD = """
import gc, sys
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication, QMessageBox
from bertdesk.gui.app import run_app
from bertdesk.gui.main_window import MainWindow

def look():
    boxes = [w for w in QApplication.topLevelWidgets() if isinstance(w, QMessageBox) and w.isVisible()]
    for box in boxes:
        print("BOX", box.text(), box.informativeText(), box.detailedText().replace("\\n", " | "), flush=True)
        box.done(0)
    if not boxes:
        print("AUTOMATIC GC", gc.isenabled(), flush=True)
        for window in QApplication.topLevelWidgets():
            if isinstance(window, MainWindow):
                window.close()

app = QApplication(sys.argv[:1])
timer = QTimer()
timer.timeout.connect(look)
timer.start(200)
sys.exit(run_app([]))
"""


def run_child(script: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, QT_QPA_PLATFORM="offscreen"))


def test_a_fatal_error_is_logged_and_the_next_start_says_so(isolated_config: Path) -> None:
    log = isolated_config / "data" / "bertdesk.log"
    crashed = run_child(CRASHING_CHILD)
    assert crashed.returncode == -signal.SIGABRT, crashed.stderr
    written = log.read_text(encoding="utf-8")
    assert "Fatal Python error" in written and "deallocating None" in written
    assert "die_in_a_slot" in written  # the Python traceback of the thread that died

    after_crash = run_child(LOOKING_CHILD)
    assert after_crash.returncode == 0, after_crash.stderr
    told = [line for line in after_crash.stdout.splitlines() if "ended abnormally" in line]
    assert len(told) == 1, after_crash.stdout
    assert str(log) in told[0] and "deallocating None" in told[0]

    clean_again = run_child(LOOKING_CHILD)
    assert clean_again.returncode == 0, clean_again.stderr
    assert "ended abnormally" not in clean_again.stdout
    assert "AUTOMATIC GC False" in clean_again.stdout  # collected on the GUI thread only


def write_marker(folder: Path, pid: int, process_created: float | None) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{pid}.json").write_text(
        json.dumps({"pid": pid, "started": 1_700_000_000.0, "process_created": process_created}))


def test_markers_of_gone_or_reused_processes_are_abnormal_ends_and_a_running_window_is_not(tmp_path: Path) -> None:
    folder, log = tmp_path / "running", tmp_path / "bertdesk.log"
    log.write_text("Fatal Python error: Segmentation fault\n", encoding="utf-8")
    parent = os.getppid()  # a process that is alive: another window of the app, say
    write_marker(folder, parent, psutil.Process(parent).create_time())
    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    write_marker(folder, gone.pid, 1.0)
    write_marker(folder, 1, 1.0)  # pid 1 exists, but it is not the process that wrote this
    (folder / "99999999.json").write_text('{"pid": 999')  # cut short as the app died
    recorder = CrashRecorder(folder, log)
    ended = recorder.start()
    try:
        assert len(ended) == 3
        assert all("Segmentation fault" in end.log_tail for end in ended)
        assert sorted(path.name for path in folder.iterdir()) == sorted([f"{parent}.json", f"{os.getpid()}.json"])
    finally:
        recorder.stop()
    assert not (folder / f"{os.getpid()}.json").exists()
    assert CrashRecorder(folder, log)._abnormal_ends() == []


def test_standard_error_goes_to_the_log_while_recording_and_back_after(tmp_path: Path, capfd) -> None:  # type: ignore[no-untyped-def]
    log = tmp_path / "bertdesk.log"
    recorder = CrashRecorder(tmp_path / "running", log)
    recorder.start()
    try:
        os.write(2, b"written by C code\n")
        print("written by Python", file=sys.stderr)
    finally:
        recorder.stop()
    os.write(2, b"after the app\n")
    assert log.read_text(encoding="utf-8") == "written by C code\n"
    captured = capfd.readouterr().err
    assert "written by Python" in captured and "after the app" in captured


def test_the_installed_qt_binding_keeps_none_alive() -> None:
    """The start-up check that refuses a binding like PySide6 6.12.0 on Python 3.10/3.11."""
    from bertdesk.gui.app import binding_wears_none_away

    assert not binding_wears_none_away()
