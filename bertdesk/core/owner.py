"""Which process does a long job, so that a job whose process died is told from one still at work.

A run is recorded as running when it starts and as finished, stopped or failed when it ends;
a process that is killed, crashes or loses its power never writes the end. Its record then
said "running" for ever: the run could be neither deleted ("stop it first") nor resumed. The
record keeps its owner (host, process id and the process's start time, as a process id is
reused), and a reader on the same host sees whether that process still lives. A job owned
by another computer (a project on a shared drive) is taken to be running: nothing here can
tell.
"""

from __future__ import annotations

import os
import socket
from collections.abc import Mapping
from typing import Any

from bertdesk.core.errors import Sentence

# What a job whose process ended without a word reads as: stopped, with this reason.
INTERRUPTED = Sentence("The program stopped while this ran (it was closed, killed or crashed). "
                       "Resume it if it saved a checkpoint, or delete it.")
# psutil rounds start times differently on some platforms; a reused pid starts seconds later.
START_TIME_TOLERANCE_S = 1.0


def this_process() -> dict[str, Any]:
    """The owner record of the calling process."""
    import psutil

    return {"host": socket.gethostname(), "pid": os.getpid(), "started": psutil.Process().create_time()}


def has_ended(owner: Mapping[str, Any] | None) -> bool:
    """Whether the owning process is known to be gone: False where it lives, or cannot be told."""
    import psutil

    if not owner or owner.get("host") != socket.gethostname():
        return False
    try:
        process = psutil.Process(int(owner["pid"]))
        if process.status() == psutil.STATUS_ZOMBIE:  # killed, not yet reaped by its parent
            return True
        return abs(process.create_time() - float(owner["started"])) > START_TIME_TOLERANCE_S
    except psutil.NoSuchProcess:
        return True
    except (psutil.Error, KeyError, TypeError, ValueError):
        return False
