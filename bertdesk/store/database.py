"""Opening a project file: SQLite in WAL mode with foreign keys, schema versions and upgrades."""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Callable

from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.exc import DatabaseError, OperationalError

from bertdesk.core.errors import BertdeskError, ProjectBusyError, UserInputError
from bertdesk.store.models import Base

SCHEMA_VERSION = 9
BUSY_TIMEOUT_MS = 5000


def _annotations_without_rowid(conn: Connection) -> None:
    """Schema 1 -> 2: the annotations table keyed by (example, label) alone, WITHOUT ROWID.

    The DDL is written out, not taken from models.py, so that this step stays what schema 2
    was whatever later versions change.
    """
    for statement in (
        "CREATE TABLE annotations_v2 ("
        " example_id INTEGER NOT NULL REFERENCES examples (id) ON DELETE CASCADE,"
        " label_id INTEGER NOT NULL REFERENCES labels (id) ON DELETE CASCADE,"
        " created_at FLOAT NOT NULL,"
        " PRIMARY KEY (example_id, label_id)) WITHOUT ROWID",
        "INSERT INTO annotations_v2 (example_id, label_id, created_at)"
        " SELECT example_id, label_id, created_at FROM annotations",
        "DROP TABLE annotations",
        "ALTER TABLE annotations_v2 RENAME TO annotations",
        "CREATE INDEX ix_annotations_label ON annotations (label_id, example_id)",
    ):
        conn.exec_driver_sql(statement)


def _drop_hash_index(conn: Connection) -> None:
    """Schema 2 -> 3: no index on the text hashes, which are only ever read all together."""
    conn.exec_driver_sql("DROP INDEX IF EXISTS ix_examples_hash")


def _repeats_table(conn: Connection) -> None:
    """Schema 3 -> 4: the repeats table (models.Repeat), written out as schema 4 has it."""
    conn.exec_driver_sql(
        "CREATE TABLE repeats ("
        " id INTEGER NOT NULL PRIMARY KEY,"
        " example_id INTEGER NOT NULL REFERENCES examples (id) ON DELETE CASCADE,"
        " source VARCHAR NOT NULL, line INTEGER NOT NULL, labels TEXT NOT NULL)"
    )
    conn.exec_driver_sql("CREATE INDEX ix_repeats_example ON repeats (example_id)")


def _scores_table(conn: Connection) -> None:
    """Schema 4 -> 5: the scores table (models.Score), written out as schema 5 has it."""
    conn.exec_driver_sql(
        "CREATE TABLE scores ("
        " example_id INTEGER NOT NULL REFERENCES examples (id) ON DELETE CASCADE,"
        " kind VARCHAR NOT NULL, value FLOAT NOT NULL,"
        " PRIMARY KEY (example_id, kind)) WITHOUT ROWID"
    )
    conn.exec_driver_sql("CREATE INDEX ix_scores_kind_value ON scores (kind, value, example_id)")


def _label_history_table(conn: Connection) -> None:
    """Schema 5 -> 6: the label history (store/history.py), so undo outlives the window."""
    conn.exec_driver_sql(
        "CREATE TABLE label_history ("
        " id INTEGER NOT NULL PRIMARY KEY, action VARCHAR NOT NULL, label_name VARCHAR,"
        " before TEXT NOT NULL, after TEXT NOT NULL, undone INTEGER NOT NULL DEFAULT 0,"
        " created_at FLOAT NOT NULL)"
    )


def _suggestions_table(conn: Connection) -> None:
    """Schema 6 -> 7: the suggestions while labelling (models.Suggestion), as schema 7 has it."""
    conn.exec_driver_sql(
        "CREATE TABLE suggestions ("
        " example_id INTEGER NOT NULL REFERENCES examples (id) ON DELETE CASCADE,"
        " label_id INTEGER NOT NULL REFERENCES labels (id) ON DELETE CASCADE,"
        " confidence FLOAT NOT NULL,"
        " PRIMARY KEY (example_id)) WITHOUT ROWID"
    )


def _history_kinds(conn: Connection) -> None:
    """Schema 7 -> 8: the history's steps have a kind, as splits are undoable too; every
    step written before is a labels step."""
    conn.exec_driver_sql("ALTER TABLE label_history ADD COLUMN kind VARCHAR NOT NULL DEFAULT 'labels'")


def _run_owners(conn: Connection) -> None:
    """Schema 8 -> 9: a run records the process that runs it (bertdesk.core.owner); runs
    written before have none, and are told running or not by their status alone."""
    conn.exec_driver_sql("ALTER TABLE runs ADD COLUMN owner TEXT")


# Upgrades from version N to N+1, applied in order inside one transaction each.
# A project written by an older bertdesk is copied to "<file>.v<N>.bak" before the first one runs.
MIGRATIONS: dict[int, Callable[[Connection], None]] = {
    1: _annotations_without_rowid, 2: _drop_hash_index, 3: _repeats_table, 4: _scores_table,
    5: _label_history_table, 6: _suggestions_table, 7: _history_kinds, 8: _run_owners,
}


def fts5_available() -> bool:
    """SQLite builds without FTS5 (or without its trigram tokenizer) fall back to LIKE scans."""
    conn = sqlite3.connect(":memory:")
    try:
        conn.execute("CREATE VIRTUAL TABLE t USING fts5(x, tokenize='trigram')")
        return True
    except sqlite3.OperationalError:
        return False
    finally:
        conn.close()


def make_engine(path: Path) -> Engine:
    """An engine whose every connection runs WAL, foreign keys and a busy timeout.

    pysqlite's own transaction handling is switched off (SQLAlchemy's documented recipe) so
    that we emit BEGIN ourselves: writers use BEGIN IMMEDIATE, which waits for the write lock
    instead of failing half-way when a second program writes the same project.
    """
    engine = create_engine(
        f"sqlite:///{path}",
        connect_args={"check_same_thread": False, "timeout": BUSY_TIMEOUT_MS / 1000},
    )

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: sqlite3.Connection, _record: object) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        # FULL: a commit is on disk before we report it saved, even across a power cut.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Connection) -> None:
        writing = conn.get_execution_options().get("sqlite_write", False)
        conn.exec_driver_sql("BEGIN IMMEDIATE" if writing else "BEGIN")

    return engine


def create_schema(engine: Engine, multi_label: bool) -> None:
    with engine.connect().execution_options(sqlite_write=True) as conn, conn.begin():
        Base.metadata.create_all(conn)
        if fts5_available():
            conn.exec_driver_sql(
                "CREATE VIRTUAL TABLE IF NOT EXISTS examples_fts USING fts5("
                "text, content='examples', content_rowid='id', tokenize='trigram')"
            )
        conn.execute(
            text("INSERT INTO meta(key, value) VALUES ('schema_version', :v), ('multi_label', :m)"),
            {"v": str(SCHEMA_VERSION), "m": "1" if multi_label else "0"},
        )


def is_busy(error: Exception) -> bool:
    """SQLite gave up waiting for another connection's lock (the busy timeout ran out)."""
    return "locked" in str(error) or "busy" in str(error)


def is_disk_full(error: Exception) -> bool:
    """SQLITE_FULL: the disk (or the file's size limit) has no room for the write."""
    return "database or disk is full" in str(error)


def disk_full(path: Path) -> BertdeskError:
    return BertdeskError(
        "The disk holding {file} is full: the last change was not saved.",
        "Free some space (or delete old training runs), then do it again. "
        "Everything saved before is kept.",
        file=path.name,
    )


def project_busy(path: Path) -> ProjectBusyError:
    return ProjectBusyError(
        "The project {file} is busy in another program.",
        "Close the other bertdesk window or command, then try again.",
        file=path.name,
    )


def check_and_upgrade(engine: Engine, path: Path) -> None:
    """Refuse files that are not projects or come from a newer bertdesk; upgrade older ones."""
    try:
        with engine.connect() as conn:
            version = conn.execute(
                text("SELECT value FROM meta WHERE key = 'schema_version'")
            ).scalar_one_or_none()
    except OperationalError as error:
        if is_busy(error):
            raise project_busy(path) from error
        raise UserInputError(
            "{file} is not a bertdesk project.",
            "Open a .bertdesk file, or create a new project and import this file into it.",
            file=path.name,
        ) from error
    except DatabaseError as error:
        raise UserInputError(
            "{file} is not a bertdesk project (or it is damaged).",
            "Open a .bertdesk file, or restore it from a backup.",
            file=path.name,
        ) from error
    if version is None:
        raise UserInputError(
            "{file} is not a bertdesk project.",
            "Open a .bertdesk file.",
            file=path.name,
        )
    current = int(version)
    if current > SCHEMA_VERSION:
        raise BertdeskError(
            "{file} was saved by a newer bertdesk (schema {current}).",
            "Update bertdesk to open it.",
            file=path.name,
            current=current,
        )
    if current < SCHEMA_VERSION:
        _back_up(path, path.with_name(f"{path.name}.v{current}.bak"))
        for step in range(current, SCHEMA_VERSION):
            with engine.connect().execution_options(sqlite_write=True) as conn, conn.begin():
                MIGRATIONS[step](conn)
                conn.execute(
                    text("UPDATE meta SET value = :v WHERE key = 'schema_version'"),
                    {"v": str(step + 1)},
                )


def _back_up(path: Path, target: Path) -> None:
    """A whole copy through SQLite, so that changes still in the WAL file are in it too."""
    source, copy = sqlite3.connect(path), sqlite3.connect(target)
    try:
        source.backup(copy)
    finally:
        copy.close()
        source.close()
