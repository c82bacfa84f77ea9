"""The store against a real SQLite file: labels, annotations, filters, splits, runs, versions."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from bertdesk.core import ExampleId, RunStatus, Split, UserInputError
from bertdesk.store import ExampleFilter, Project, RepeatInfo, assign_splits
from bertdesk.store.database import SCHEMA_VERSION
from tests.conftest import plain_sqlite


def fill(project: Project, n: int = 30) -> tuple[int, int]:
    with project.bulk_writer() as writer:
        pos = writer.label_id("positive")
        neg = writer.label_id("negative")
        for i in range(n):
            writer.add(f"review {i} 味道不错", label_ids=[pos if i % 3 else neg])
        for i in range(10):
            writer.add(f"unlabelled {i}")
    return pos, neg


def test_project_is_wal_with_foreign_keys(project: Project) -> None:
    fill(project)
    with plain_sqlite(project.path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"


def test_filters_count_and_page(project: Project) -> None:
    pos, neg = fill(project)
    assert project.count() == 40
    assert project.count(ExampleFilter(unlabeled=True)) == 10
    assert project.count(ExampleFilter(label_id=neg)) == 10
    assert project.count(ExampleFilter(search="味道不错")) == 30
    assert project.count(ExampleFilter(search="REVIEW 1")) == 11  # case-insensitive substring
    assert project.count(ExampleFilter(search="味道")) == 30  # short query: scan fallback
    page = project.page(ExampleFilter(label_id=pos), offset=5, limit=4)
    assert [row.label_ids for row in page] == [(pos,)] * 4
    assert page[0].id < page[-1].id
    after = project.page_after(ExampleFilter(unlabeled=True), after_id=page[-1].id, limit=3)
    assert [row.text for row in after] == ["unlabelled 0", "unlabelled 1", "unlabelled 2"]
    assert project.position_of(ExampleFilter(unlabeled=True), after[1].id) == 1


def test_set_labels_returns_previous_and_restores(project: Project) -> None:
    pos, neg = fill(project)
    previous = project.set_labels(1, [pos])
    assert previous == (neg,)
    assert project.example(1).label_ids == (pos,)
    project.restore_labels({1: previous})
    assert project.example(1).label_ids == (neg,)
    with pytest.raises(UserInputError):
        project.set_labels(1, [pos, neg])  # single-label project


def test_labels_survive_reopen_without_close(project_path: Path) -> None:
    project = Project.create(project_path)
    pos, _ = fill(project)
    project.set_labels(40, [pos])
    # A second connection (another process would see the same) sees the committed label.
    other = Project.open(project_path)
    assert other.example(40).label_ids == (pos,)
    other.close()
    project.close()


def test_multi_label_toggle(tmp_path: Path) -> None:
    with Project.create(tmp_path / "m.bertdesk", multi_label=True) as project:
        a = project.add_label("a").id
        b = project.add_label("b").id
        eid = project.add_example("some text")
        project.toggle_label(eid, a)
        project.toggle_label(eid, b)
        assert project.example(eid).label_ids == (a, b)
        project.toggle_label(eid, a)
        assert project.example(eid).label_ids == (b,)


def test_label_management(project: Project) -> None:
    pos, neg = fill(project)
    assert [(label.name, label.shortcut) for label in project.labels()] == [
        ("positive", "1"), ("negative", "2")
    ]
    with pytest.raises(UserInputError):
        project.add_label("   ")
    with pytest.raises(UserInputError):
        project.add_label("positive")
    project.update_label(neg, name="bad", color="#000000")
    project.reorder_labels([neg, pos])
    assert [label.name for label in project.labels()] == ["bad", "positive"]
    assert project.merge_labels(neg, pos) == 10
    assert project.count(ExampleFilter(label_id=pos)) == 30
    assert [label.name for label in project.labels()] == ["positive"]
    assert project.delete_label(pos) == 30
    assert project.count(ExampleFilter(unlabeled=True)) == 40


def test_stratified_splits_keep_existing(project: Project) -> None:
    pos, neg = fill(project, n=100)
    project.set_split([1, 2], Split.TEST)
    counts = assign_splits(project, 0.8, 0.1, 0.1, seed=0)
    assert sum(counts.values()) == 98
    stats = project.stats()
    assert stats.per_split["test"] >= 10
    for label_id in (pos, neg):
        assert stats.per_label_split[label_id][Split.VALIDATION] > 0
    assert project.example(1).split is Split.TEST
    again = Project.open(project.path)
    before = {row.id: row.split for row in again.page(limit=200)}
    assign_splits(again, seed=0)  # nothing unassigned among labelled: nothing moves
    assert before == {row.id: row.split for row in again.page(limit=200)}
    again.close()


def test_bulk_writer_rolls_back_on_error(project: Project) -> None:
    fill(project)
    with pytest.raises(RuntimeError):
        with project.bulk_writer() as writer:
            writer.label_id("new label")
            for i in range(12000):
                writer.add(f"x {i}")
            raise RuntimeError("cancel")
    assert project.count() == 40
    assert project.label_by_name("new label") is None
    assert project.count(ExampleFilter(search="x 11")) == 0


def test_runs_and_predictions(project: Project) -> None:
    pos, _ = fill(project)
    run = project.create_run("run 1", "tiny", {"epochs": 1})
    project.update_run(run, status="finished", metrics={"accuracy": 0.5}, finished=True)
    project.save_predictions(run, [(1, pos, [0.25, 0.75], 0.5, 0.3)])
    info = project.run(run)
    assert info.status == "finished" and info.metrics == {"accuracy": 0.5}
    assert info.duration is not None and info.duration >= 0
    (prediction,) = project.predictions(run)
    assert prediction.probs == (0.25, 0.75) and prediction.label_id == pos
    project.delete_run(run)
    assert project.runs() == [] and project.predictions(run) == []


def test_many_predictions_are_stored_in_chunks_that_let_a_label_set_go_first(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    import threading
    import time

    from bertdesk.store import runs as runs_module

    monkeypatch.setattr(runs_module, "PREDICTION_CHUNK_ROWS", 4)
    pos, neg = fill(project)
    run = project.create_run("run 1", "tiny", {})
    rows = [(eid, (pos, neg)[eid % 2], [0.5, 0.5], 0.0, None) for eid in range(1, 11)]
    project.save_predictions(run, rows)
    project.save_predictions(run, [(1, neg, [0.1, 0.9], 0.8, 0.2)])  # replaces its old row
    stored = {p.example_id: (p.label_id, p.probs) for p in project.predictions(run)}
    assert len(stored) == 10 and stored[1] == (neg, (pytest.approx(0.1), pytest.approx(0.9)))
    assert stored[2] == (pos, (0.5, 0.5))

    project._note_waiting_write(True)  # a label set of this process waits for the lock
    writer = threading.Thread(target=project.save_predictions, args=(run, [(r[0], pos, [1.0, 0.0], 1.0, None) for r in rows]))
    writer.start()
    time.sleep(0.5)
    assert all(p.label_id != pos or p.probs != (1.0, 0.0) for p in project.predictions(run))  # not one chunk yet
    project._note_waiting_write(False)
    writer.join(timeout=30)
    assert all(p.probs == (1.0, 0.0) for p in project.predictions(run))


def test_run_status_is_stored_as_its_plain_value_and_read_back_as_the_enum(project: Project) -> None:
    run = project.create_run("run 1", "tiny", {})
    assert project.run(run).status is RunStatus.RUNNING
    project.update_run(run, status=RunStatus.CANCELLED)
    with plain_sqlite(project.path) as conn:
        assert conn.execute("SELECT status FROM runs").fetchone() == ("cancelled",)
    status = project.run(run).status
    assert status is RunStatus.CANCELLED and status == "cancelled"
    assert f"{status:<10}|" == "cancelled |" and json.dumps({"status": status}) == '{"status": "cancelled"}'
    with pytest.raises(ValueError):
        project.update_run(run, status="canceled")  # type: ignore[arg-type]  # a misspelling
    assert project.run(run).status is RunStatus.CANCELLED


def test_a_run_whose_process_died_reads_as_stopped_not_running(
    project: Project, ended_process_owner: dict[str, object],
) -> None:
    """A killed or crashed process never writes how its run ended; its record said "running"
    for ever, and the run could be neither deleted nor resumed."""
    from bertdesk import ops

    ours = project.create_run("training here", "tiny", {})
    assert project.run(ours).status is RunStatus.RUNNING  # this process owns it, and lives
    for force in (False, True):  # no --force deletes a run this computer sees at work
        with pytest.raises(UserInputError, match="is still running"):
            ops.check_deletable(project, [ours], force)

    elsewhere = project.create_run("training on another computer", "tiny", {})
    with plain_sqlite(project.path) as conn:
        conn.execute("UPDATE runs SET owner = ? WHERE id = ?", (json.dumps(ended_process_owner), ours))
        conn.execute("UPDATE runs SET owner = ? WHERE id = ?",
                     (json.dumps({"host": "another-computer", "pid": 1, "started": 0.0}), elsewhere))
    killed = project.run(ours)
    assert killed.status is RunStatus.CANCELLED and "stopped while this ran" in str(killed.error)
    ops.check_deletable(project, [ours])  # it can be deleted (and resumed from a checkpoint)
    assert project.run(elsewhere).status is RunStatus.RUNNING  # nothing here can tell
    with pytest.raises(UserInputError, match="cannot tell.*computer another-computer") as refused:
        ops.check_deletable(project, [elsewhere])
    assert "--force" in refused.value.hint
    ops.check_deletable(project, [elsewhere], force=True)  # the user knows it ended

    project.update_run(ours, status="running")  # type: ignore[arg-type]  # resumed (as a plain value, too)
    assert project.run(ours).status is RunStatus.RUNNING
    project.update_run(ours, status=RunStatus.FINISHED, finished=True)
    with plain_sqlite(project.path) as conn:
        assert conn.execute("SELECT owner FROM runs WHERE id = ?", (ours,)).fetchone() == (None,)


def test_a_run_an_older_bertdesk_left_running_can_be_deleted_when_the_user_says_it_ended(project: Project) -> None:
    """Before schema 9 no owner was kept: a run killed then said "running" for ever, and
    "stop it first" could not be obeyed. The user, who can tell, deletes it with force."""
    from bertdesk import ops

    legacy = project.create_run("killed under an older bertdesk", "tiny", {})
    with plain_sqlite(project.path) as conn:
        conn.execute("UPDATE runs SET owner = NULL WHERE id = ?", (legacy,))
    assert project.run(legacy).status is RunStatus.RUNNING
    with pytest.raises(UserInputError, match="older bertdesk"):
        ops.delete_runs(project, [legacy])
    assert [run.id for run in project.runs()] == [legacy]  # refused before anything was removed
    ops.delete_runs(project, [legacy], force=True)
    assert project.runs() == []


def test_stats_are_keyed_by_label_id_and_split_with_the_labels_that_name_them(
    project: Project,
) -> None:
    pos, neg = fill(project, n=9)  # 6 positive, 3 negative, 10 unlabelled
    project.set_split([1, 2], Split.TEST)  # 1: negative, 2: positive
    empty = project.add_label("empty").id
    stats = project.stats()
    assert [label.name for label in stats.labels] == ["positive", "negative", "empty"]
    assert stats.per_label == {pos: 6, neg: 3, empty: 0}
    assert stats.per_split == {Split.UNASSIGNED: 17, Split.TEST: 2}
    assert stats.per_label_split == {
        pos: {Split.UNASSIGNED: 5, Split.TEST: 1}, neg: {Split.UNASSIGNED: 2, Split.TEST: 1}, empty: {}
    }
    assert all(type(split) is Split for split in stats.per_split)
    assert stats.per_label_name() == {"positive": 6, "negative": 3, "empty": 0}
    assert (stats.total, stats.labelled) == (19, 9)


def test_open_rejects_non_project_and_newer_schema(tmp_path: Path) -> None:
    junk = tmp_path / "junk.bertdesk"
    junk.write_bytes(b"\x00\x01 not sqlite at all" * 100)
    with pytest.raises(UserInputError, match="not a bertdesk project"):
        Project.open(junk)
    with pytest.raises(UserInputError, match="No project"):
        Project.open(tmp_path / "missing.bertdesk")
    path = tmp_path / "new.bertdesk"
    Project.create(path).close()
    conn = sqlite3.connect(path)
    conn.execute("UPDATE meta SET value = '999' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    with pytest.raises(Exception, match="newer bertdesk"):
        Project.open(path)


# Written by bertdesk at schema 1 (annotations with a rowid): 8 texts in two languages, three
# labels, two of them on some texts, metadata, splits, a finished run and one prediction.
PROJECT_V1 = Path(__file__).resolve().parents[1] / "data" / "project_v1.bertdesk"


def test_a_project_of_schema_1_is_backed_up_and_upgraded_with_everything_kept(tmp_path: Path) -> None:
    path = tmp_path / "old.bertdesk"
    path.write_bytes(PROJECT_V1.read_bytes())
    with Project.open(path) as project:
        rows = project.page(ExampleFilter(), 0, 100)
        names = {label.id: label.name for label in project.labels()}
        assert [names[i] for i in rows[3].label_ids] == ["food", "price"]
        assert sorted(names.values()) == ["food", "price", "慢"] and len(rows) == 8
        assert project.stats().labelled == 6 and project.runs()[0].metrics == {"accuracy": 0.75}
        assert project.runs()[0].status is RunStatus.FINISHED
        assert len(project.predictions(project.runs()[0].id)) == 1
        assert {row.split for row in rows} == set(Split)  # the unlabelled ones unassigned
        project.set_labels(rows[4].id, [project.require_label("慢").id])  # writes still work
        assert project.stats().labelled == 7
    Project.create(tmp_path / "new.bertdesk").close()
    with plain_sqlite(path) as conn, plain_sqlite(tmp_path / "new.bertdesk") as new:
        version = conn.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone()
        assert version == (str(SCHEMA_VERSION),)
        schema = "SELECT type, name, tbl_name FROM sqlite_master ORDER BY name"
        assert conn.execute(schema).fetchall() == new.execute(schema).fetchall()
        for pragma in ("table_xinfo", "index_list", "foreign_key_list"):  # written-out upgrade DDL
            shape = f"PRAGMA {pragma}(scores)"
            assert conn.execute(shape).fetchall() == new.execute(shape).fetchall() != []
        ddl = conn.execute("SELECT sql FROM sqlite_master WHERE name = 'annotations'").fetchone()[0]
        assert "WITHOUT ROWID" in ddl
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        assert conn.execute("PRAGMA foreign_key_check").fetchall() == []
    with plain_sqlite(tmp_path / "old.bertdesk.v1.bak") as backup:
        assert backup.execute("SELECT value FROM meta WHERE key = 'schema_version'").fetchone() == ("1",)
        assert backup.execute("SELECT count(*) FROM annotations").fetchone() == (8,)


def search_index_is_consistent(project: Project) -> bool:
    """The index is sound (FTS5's own check) and holds exactly the texts up to its mark:
    what it finds for "soup" is what a scan of those texts finds (no deleted or missing ids)."""
    conn = sqlite3.connect(project.path)
    try:
        conn.execute("INSERT INTO examples_fts(examples_fts) VALUES ('integrity-check')")
        mark = conn.execute("SELECT value FROM meta WHERE key = 'search_indexed_upto'").fetchone()
        upto = int(mark[0]) if mark else 2**62
        indexed = {r[0] for r in conn.execute("SELECT rowid FROM examples_fts('\"soup\"')")}
        scanned = {r[0] for r in conn.execute(
            "SELECT id FROM examples WHERE text LIKE '%soup%' AND id <= ?", (upto,))}
        return indexed == scanned
    except sqlite3.DatabaseError:
        return False
    finally:
        conn.close()


def test_a_large_import_is_searchable_at_once_and_indexed_for_search_afterwards(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bertdesk.core import CancelToken, Cancelled
    from bertdesk.store import search as search_module

    monkeypatch.setattr(search_module, "SEARCH_INLINE_ROWS", 10)
    monkeypatch.setattr(search_module, "SEARCH_CHUNK_ROWS", 7)
    with project.bulk_writer() as writer:  # small: indexed in its own transaction
        for i in range(5):
            writer.add(f"small soup {i}")
    assert project.search_index_pending() == 0
    with project.bulk_writer() as writer:  # large: committed first, indexed later
        for i in range(30):
            writer.add(f"large soup {i} 味道不错")
    assert project.search_index_pending() == 30
    assert project.count(ExampleFilter(search="SOUP")) == 35  # found by a scan meanwhile
    assert project.count(ExampleFilter(search="味道不错")) == 30
    project.delete_examples([3, 9])  # one indexed text, one not yet indexed
    assert search_index_is_consistent(project)

    cancel = CancelToken()
    reports: list[float] = []

    def stop_after_first_chunk(fraction: float, _message: str) -> None:
        reports.append(fraction)
        cancel.cancel()

    with pytest.raises(Cancelled):
        project.update_search_index(stop_after_first_chunk, cancel)
    assert reports == [6 / 29] and project.search_index_pending() == 23 and search_index_is_consistent(project)
    assert project.update_search_index() == 23
    assert project.search_index_pending() == 0 and search_index_is_consistent(project)
    assert project.count(ExampleFilter(search="SOUP")) == 33
    assert project.count(ExampleFilter(search="味道不错")) == 29

    project.delete_examples([34, 35])  # the highest ids: the next texts take them again
    with project.bulk_writer() as writer:
        writer.add("reused id soup")
    assert project.search_index_pending() == 0 and search_index_is_consistent(project)
    assert project.count(ExampleFilter(search="reused id")) == 1


def test_the_search_index_lets_a_waiting_label_set_go_first(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    """It takes the write lock again right after each chunk: without stepping aside, a label
    set of the labeling view lost the race for seconds and failed at the busy timeout."""
    import threading
    import time

    from bertdesk.store import search as search_module

    monkeypatch.setattr(search_module, "SEARCH_INLINE_ROWS", 10)
    monkeypatch.setattr(search_module, "SEARCH_CHUNK_ROWS", 7)
    with project.bulk_writer() as writer:
        for i in range(30):
            writer.add(f"soup {i}")
    assert project.search_index_pending() == 30
    project._note_waiting_write(True)  # a write of this process waits for the lock
    indexer = threading.Thread(target=project.update_search_index)
    indexer.start()
    time.sleep(0.5)
    assert project.search_index_pending() == 30  # it waits behind the label set
    project._note_waiting_write(False)
    indexer.join(timeout=30)
    assert project.search_index_pending() == 0


@pytest.mark.parametrize("value", [
    "Plain ASCII text", "  leading and trailing  ", "tabs\tand\nnew lines", "double  space",
    "ＦＵＬＬ－ＷＩＤＴＨ　ｔｅｘｔ", "Straße ΣΊΣΥΦΟΣ", "ﬁne ligature", "non\u00a0breaking",
    "line\u2028separator", "info\x1fseparator", "zero\u200bwidth", "味道不错，送餐很快", "",
    "ǅemo", "Kelvin \u212a", "\u3000ideographic space\u3000",
])
def test_text_normalisation_shortcuts_give_the_plain_definition(value: str) -> None:
    """NFKC, case folding, one space for any run of whitespace: exactly, with or without shortcuts."""
    import unicodedata

    from bertdesk.store import normalize_text

    assert normalize_text(value) == " ".join(unicodedata.normalize("NFKC", value).casefold().split())


def test_a_label_named_by_a_digit_gets_that_digit_as_its_key(project: Project) -> None:
    """Most CSVs label 0/1: the label "0" must not get key 2 (and key 0 must not remove it)."""
    with project.bulk_writer() as writer:
        for name in ("1", "0", "neutral"):
            writer.label_id(name)
    assert [(label.name, label.shortcut) for label in project.labels()] == [
        ("1", "1"), ("0", "0"), ("neutral", "2")]
    assert project.add_label("2").shortcut == "3"  # its digit is taken: the next free one


@pytest.mark.parametrize("change", ["merge", "delete"])
def test_undoing_a_label_change_after_its_label_went_is_refused_whole(
    project: Project, change: str
) -> None:
    """An undo (or redo) step that names a merged or deleted label changes nothing and says
    why, instead of failing half-way on the foreign key."""
    pos, neg = fill(project)
    before = project.set_labels_many([1, 2], [neg])  # the step an undo would restore
    after = {1: (neg,), 2: (neg,)}
    if change == "merge":
        project.merge_labels(neg, pos)
    else:
        project.delete_label(neg)
    now = {eid: project.example(eid).label_ids for eid in (1, 2, 3)}
    for step in ({**before, 3: ()}, after):  # undo, then redo
        with pytest.raises(UserInputError, match="merged or deleted"):
            project.restore_labels(step)
        assert {eid: project.example(eid).label_ids for eid in (1, 2, 3)} == now


def test_repeats_an_import_skipped_with_other_labels_are_kept_and_found(
    project: Project, tmp_path: Path
) -> None:
    from bertdesk.io import ImportOptions, import_file

    source = tmp_path / "reviews.csv"
    source.write_text("text,label\nGood food,1\nbad food,0\ngood  FOOD,0\nnice,1\nnice,1\n"
                      "BAD food,1\nBad Food,0\n", encoding="utf-8")
    report = import_file(project, source, ImportOptions(text_column="text", label_columns=["label"]))
    assert (report.added, report.skipped_duplicates, report.conflicting_duplicates) == (3, 4, 2)
    repeated = project.page(ExampleFilter(repeated=True))
    assert [row.text for row in repeated] == ["Good food", "bad food"]
    assert project.count(ExampleFilter(repeated=True)) == 2
    assert project.repeats(repeated[0].id) == [RepeatInfo("reviews.csv", 4, ("0",))]
    assert project.repeats(repeated[1].id) == [RepeatInfo("reviews.csv", 7, ("1",))]
    assert project.repeats(ExampleId(3)) == []  # "nice" was repeated with the same label
    project.delete_examples([repeated[0].id])
    assert project.count(ExampleFilter(repeated=True)) == 1


def test_repeats_kept_as_texts_are_noted_on_the_first_copy(project: Project, tmp_path: Path) -> None:
    from bertdesk.io import ImportOptions, import_file

    source = tmp_path / "reviews.csv"
    source.write_text("text,label\nGood food,1\ngood food,0\n", encoding="utf-8")
    import_file(project, source, ImportOptions(text_column="text", label_columns=["label"],
                                               skip_duplicates=False))
    assert project.count() == 2
    assert [row.id for row in project.page(ExampleFilter(repeated=True))] == [1]
    assert project.repeats(ExampleId(1)) == [RepeatInfo("reviews.csv", 3, ("0",))]
