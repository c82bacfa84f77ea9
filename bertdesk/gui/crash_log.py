"""A crash leaves a trace: fatal errors go into the log, and the next start knows the app died.

A fatal error in Python or a C extension (``Fatal Python error: deallocating None``, a
segfault) ends the process at once: no ``except`` and no ``sys.excepthook`` runs, and a window
started from a desktop icon has no terminal to print to. So, while the app runs:

- ``faulthandler`` writes the Python traceback of every thread into the log on a crash signal;
- the C-level standard error (file descriptor 2) is the log too, because ``Py_FatalError``
  writes its message there and turns ``faulthandler`` off before aborting; Python's own
  ``sys.stderr`` keeps writing to the terminal the app was started from;
- a marker file per running process says "running"; a clean exit removes it. A marker whose
  process is gone, found at the next start, is a run that ended abnormally.
"""

from __future__ import annotations

import faulthandler
import json
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Optional, TextIO

import psutil

LOG_TAIL_LINES = 40
LOG_TAIL_BYTES = 64 * 1024


@dataclass(frozen=True)
class AbnormalEnd:
    """A run of the app that did not reach its clean exit."""

    started: float  # seconds since the epoch
    log_tail: str  # the end of the log as that run left it, for the user's bug report


class CrashRecorder:
    """Routes fatal errors into ``log_file`` and keeps a "running" marker in ``folder``."""

    def __init__(self, folder: Path, log_file: Path) -> None:
        self.folder = folder
        self.log_file = log_file
        self.marker = folder / f"{os.getpid()}.json"
        self._log: Optional[IO[str]] = None
        self._terminal_fd: Optional[int] = None
        self._python_stderr: Optional[TextIO] = None

    def start(self) -> list[AbnormalEnd]:
        """Begin recording; returns the earlier runs that ended abnormally (and forgets them)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        ended = self._abnormal_ends()
        started = time.time()
        self.marker.write_text(
            json.dumps({"pid": os.getpid(), "started": started, "process_created": _created(os.getpid())}),
            encoding="utf-8")
        self._log = open(self.log_file, "a", encoding="utf-8", buffering=1)
        faulthandler.enable(file=self._log, all_threads=True)
        self._route_c_stderr_to_log()
        return ended

    def stop(self) -> None:
        """A clean exit: stop routing and remove the marker."""
        if self._log is None:
            return
        faulthandler.disable()
        self._restore_c_stderr()
        self._log.close()
        self._log = None
        self.marker.unlink(missing_ok=True)

    def _route_c_stderr_to_log(self) -> None:
        assert self._log is not None
        if sys.stderr is not None:
            sys.stderr.flush()
        try:
            self._terminal_fd = os.dup(2)
        except OSError:  # no standard error at all (pythonw, some desktop launchers)
            self._terminal_fd = None
        os.dup2(self._log.fileno(), 2)
        if self._terminal_fd is not None:
            self._python_stderr = sys.stderr
            sys.stderr = open(os.dup(self._terminal_fd), "w", encoding="utf-8", errors="backslashreplace",
                              buffering=1)

    def _restore_c_stderr(self) -> None:
        if self._terminal_fd is None:
            return
        if self._python_stderr is not None:
            sys.stderr.close()
            sys.stderr = self._python_stderr
            self._python_stderr = None
        os.dup2(self._terminal_fd, 2)
        os.close(self._terminal_fd)
        self._terminal_fd = None

    def _abnormal_ends(self) -> list[AbnormalEnd]:
        """Markers left by processes that are gone (or whose pid now belongs to another program)."""
        ended = []
        markers = sorted(self.folder.glob("*.json"))
        log_tail = self._log_tail() if markers else ""  # what the log says now, once for all of them
        for marker in markers:
            try:
                record = json.loads(marker.read_text(encoding="utf-8"))
                pid, started = int(record["pid"]), float(record["started"])
            except (OSError, ValueError, KeyError, TypeError):  # half-written as the app died
                ended.append(AbnormalEnd(started=_modified(marker), log_tail=log_tail))
                marker.unlink(missing_ok=True)
                continue
            if pid != os.getpid() and _created(pid) == record.get("process_created"):
                continue  # another window of the app, still running
            ended.append(AbnormalEnd(started=started, log_tail=log_tail))
            marker.unlink(missing_ok=True)
        return ended

    def _log_tail(self) -> str:
        try:
            with open(self.log_file, "rb") as log:
                log.seek(max(0, log.seek(0, os.SEEK_END) - LOG_TAIL_BYTES))
                tail = log.read().decode("utf-8", errors="replace")
        except OSError:
            return ""
        return "\n".join(tail.splitlines()[-LOG_TAIL_LINES:])


def _modified(path: Path) -> float:
    try:
        return path.stat().st_mtime
    except OSError:
        return 0.0


def _created(pid: int) -> Optional[float]:
    """When the process ``pid`` started, or None where there is none: tells a reused pid apart."""
    try:
        return psutil.Process(pid).create_time()
    except (psutil.NoSuchProcess, psutil.AccessDenied):
        return None
