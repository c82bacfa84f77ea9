"""The connections of one project file, which every part of the store writes through.

Every write is its own short transaction, committed before the method returns, so whatever
a caller shows as saved is on disk. Methods may be called from any thread: each checks out
its own connection. Everything returned is plain data (records.py).
"""

from __future__ import annotations

import sqlite3
import threading
import time
import weakref
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any, Optional

from sqlalchemy import Connection, Engine, select, text
from sqlalchemy.exc import OperationalError

from bertdesk.store.database import disk_full, is_busy, is_disk_full, project_busy
from bertdesk.store.models import Meta

IN_CHUNK = 900  # ids per "IN (...)": below SQLite's old limit of 999 bound values


class ProjectFile:
    """The engine, the read and write transactions and the settings of a project file.

    The parts of ``Project`` (examples, labels, search index, scores, runs, bulk writing)
    are mixins over this class: one object, one set of connections, and the public
    methods stay where callers have always found them, on ``Project``.
    """

    def __init__(self, path: Path, engine: Engine) -> None:
        self.path = path
        self._engine = engine
        # A project dropped without close() (a script, a test) closes its connections when it
        # is collected, not at the interpreter's exit; Python 3.13 warns of each one left open.
        self._close_connections = weakref.finalize(self, engine.dispose)
        # Writes of this process waiting for SQLite's write lock: the search index, which
        # takes the lock again at once after each chunk, lets them go first (a waiting label
        # set would otherwise lose to it for seconds, and fail at the busy timeout).
        self._writes_waiting = 0
        self._waiting_lock = threading.Lock()
        self._has_fts = self._table_exists("examples_fts")
        self.multi_label = self.get_setting("multi_label") == "1"

    def close(self) -> None:
        self._close_connections()  # engine.dispose, once

    @property
    def runs_dir(self) -> Path:
        """Trained models live beside the project file, in ``<project>.runs/<run-id>/``."""
        return self.path.with_name(self.path.name + ".runs")

    @contextmanager
    def _read(self) -> Iterator[Connection]:
        with self._engine.connect() as conn:
            yield conn

    @contextmanager
    def _write(self) -> Iterator[Connection]:
        """A committed transaction; a lock held past the busy timeout becomes ProjectBusyError."""
        waiting = self._note_waiting_write(True)
        try:
            with self._engine.connect().execution_options(sqlite_write=True) as conn, conn.begin():
                waiting = self._note_waiting_write(False)  # BEGIN IMMEDIATE has the lock
                yield conn
        except (OperationalError, sqlite3.OperationalError) as error:  # the latter: bulk writes
            if is_busy(error):
                raise project_busy(self.path) from error
            if is_disk_full(error):
                raise disk_full(self.path) from error
            raise
        finally:
            if waiting:
                self._note_waiting_write(False)

    def _note_waiting_write(self, waiting: bool) -> bool:
        """Count a write of this process in (True) or out of (False) the wait for the lock."""
        with self._waiting_lock:
            self._writes_waiting += 1 if waiting else -1
        return waiting

    def _let_waiting_writes_go_first(self) -> None:
        while self._writes_waiting:
            time.sleep(0.005)

    def _table_exists(self, name: str) -> bool:
        with self._read() as conn:
            found = conn.execute(
                text("SELECT 1 FROM sqlite_master WHERE name = :n"), {"n": name}
            ).first()
        return found is not None

    def get_setting(self, key: str, default: Optional[str] = None) -> Optional[str]:
        with self._read() as conn:
            value = read_setting(conn, key)
        return default if value is None else value

    def set_setting(self, key: str, value: str) -> None:
        with self._write() as conn:
            write_setting(conn, key, value)


def read_setting(conn: Connection, key: str) -> Optional[str]:
    value: Optional[str] = conn.execute(select(Meta.value).where(Meta.key == key)).scalar_one_or_none()
    return value


def write_setting(conn: Connection, key: str, value: object) -> None:
    conn.execute(
        text("INSERT INTO meta(key, value) VALUES (:k, :v) "
             "ON CONFLICT(key) DO UPDATE SET value = excluded.value"),
        {"k": key, "v": str(value)},
    )


def driver_connection(conn: Connection) -> Any:
    """The sqlite3 connection under ``conn``: its executemany skips SQLAlchemy's per-row work."""
    raw = conn.connection.driver_connection
    assert raw is not None
    return raw


def inserted_id(result: Any) -> int:
    """The id SQLite gave the row one INSERT added."""
    key = result.inserted_primary_key
    assert key is not None
    return int(key[0])


def chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
