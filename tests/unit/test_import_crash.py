"""A process killed (SIGKILL) in the middle of an import leaves a valid project with none or all of it."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from bertdesk.core import Split
from bertdesk.store import Project
from tests.conftest import plain_sqlite

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")

ROWS = 60_000
EARLIER_TEXTS = 25

# The child imports the file and prints every progress message, so the parent can kill it
# while rows are being written (reading) or while the transaction is being finished (saving).
CHILD = textwrap.dedent(
    """
    import sys
    from bertdesk.io import ImportOptions, columnar, import_file
    from bertdesk.store import Project

    if sys.argv[3] == "blocks":  # the columnar path, whatever the file's size
        columnar.COLUMNAR_MIN_BYTES, columnar.BLOCK_BYTES = 0, 256 << 10

    def report(fraction, message):
        print(f"{fraction:.3f} {message}", flush=True)

    with Project.open(sys.argv[1]) as project:
        import_file(project, sys.argv[2], ImportOptions(label_columns=["label"]), report)
    print("done", flush=True)
    """
)


def big_csv(path: Path) -> Path:
    lines = (f"第{i}条评论：the delivery was {'fast' if i % 3 else 'slow'} 味道{'好' if i % 2 else '一般'},{i % 4}\n"
             for i in range(ROWS))
    path.write_text("text,label\n" + "".join(lines), encoding="utf-8")
    return path


@pytest.mark.parametrize("reading_by", ["rows", "blocks"])
@pytest.mark.parametrize("kill_at", ["reading", "saving"])
def test_sigkill_during_import_leaves_none_or_all(
    tmp_path: Path, project_path: Path, kill_at: str, reading_by: str
) -> None:
    with Project.create(project_path) as project, project.bulk_writer() as writer:
        for index in range(EARLIER_TEXTS):
            writer.add(f"earlier text {index}", Split.TRAIN, [writer.label_id("earlier")])
    data = big_csv(tmp_path / "big.csv")

    killed_during = None
    with subprocess.Popen(
        [sys.executable, "-c", CHILD, str(project_path), str(data), reading_by],
        stdout=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2],
    ) as child:
        assert child.stdout is not None
        for line in child.stdout:
            fraction, _, message = line.strip().partition(" ")
            midway = kill_at == "reading" and "rows read" in message and float(fraction) > 0.3
            if midway or (kill_at == "saving" and message.startswith("saving")):
                os.kill(child.pid, signal.SIGKILL)
                killed_during = message
                break
        child.wait(timeout=60)
    assert killed_during is not None, "the import ended before the test could kill it"
    assert child.returncode == -signal.SIGKILL

    with plain_sqlite(project_path) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    with Project.open(project_path) as reopened:
        count = reopened.count()
        assert count in (EARLIER_TEXTS, EARLIER_TEXTS + ROWS)
        stats = reopened.stats()
        assert stats.labelled == count
        if kill_at == "reading":
            assert count == EARLIER_TEXTS
            assert [label.name for label in reopened.labels()] == ["earlier"]
        # The project still takes an import after the crash.
        from bertdesk.io import ImportOptions, import_file

        again = import_file(reopened, data, ImportOptions(label_columns=["label"]))
        assert reopened.count() == EARLIER_TEXTS + ROWS
        assert again.added + again.skipped_duplicates == ROWS
