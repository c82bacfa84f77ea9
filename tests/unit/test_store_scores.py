"""Scores per text and pages in (score, id) order, against a real SQLite file."""

from __future__ import annotations

import random

import pytest

from bertdesk.core import ExampleId, LabelId, Split
from bertdesk.store import ExampleFilter, Project, ScoredRow
from tests.conftest import plain_sqlite


def fill_scored(project: Project, texts: int = 60) -> tuple[LabelId, LabelId]:
    """Texts "text i" (ids 1..texts), every third one labelled negative, the rest of the
    first half positive, the second half unlabelled; scores of kind "margin" for all but
    every fifth text, with ties (values on a coarse grid)."""
    rng = random.Random(7)
    with project.bulk_writer() as writer:
        positive, negative = writer.label_id("positive"), writer.label_id("negative")
        for i in range(texts):
            label = negative if i % 3 == 0 else positive if i < texts // 2 else None
            writer.add(f"text {i}", label_ids=[label] if label else [])
    project.save_scores("margin", [
        (ExampleId(example_id), rng.randrange(8) / 8)
        for example_id in range(1, texts + 1) if example_id % 5
    ])
    return positive, negative


def expected_order(project: Project, example_filter: ExampleFilter) -> list[tuple[object, int]]:
    """The whole filtered set in (score, id) order, unscored last in id order, by one query."""
    with plain_sqlite(project.path) as conn:
        scores = dict(conn.execute("SELECT example_id, value FROM scores WHERE kind = 'margin'"))
    ids = [example_id for example_id, _text in project.texts(example_filter)]
    scored = sorted((scores[i], i) for i in ids if i in scores)
    return scored + [(None, i) for i in ids if i not in scores]


def all_pages(project: Project, example_filter: ExampleFilter, limit: int) -> list[ScoredRow]:
    rows: list[ScoredRow] = []
    for _page in range(1000):
        page = project.page_by_score(
            example_filter, "margin", after=rows[-1].key if rows else None, limit=limit
        )
        assert len(page) <= limit
        if not page:
            return rows
        rows += page
    raise AssertionError("the pages never end")


@pytest.mark.parametrize("limit", [1, 7, 200])
@pytest.mark.parametrize("example_filter", [
    ExampleFilter(),
    ExampleFilter(unlabeled=True),
    ExampleFilter(label_id=LabelId(1)),  # positive
    ExampleFilter(search="text 1"),  # FTS5: text 1, text 10-19
    ExampleFilter(label_id=LabelId(2), split=Split.TEST),
], ids=["all", "unlabeled", "label", "search", "label-and-split"])
def test_keyset_pages_in_score_order_equal_one_ordered_query(
    project: Project, example_filter: ExampleFilter, limit: int
) -> None:
    fill_scored(project)
    project.set_split([ExampleId(1), ExampleId(4), ExampleId(5), ExampleId(40)], Split.TEST)
    rows = all_pages(project, example_filter, limit)
    expected = expected_order(project, example_filter)
    assert [row.key for row in rows] == expected and expected
    assert len({row.row.id for row in rows}) == len(rows)  # no text twice across pages
    assert rows == project.page_by_score(example_filter, "margin", limit=len(rows) + 1)


def test_ties_go_by_id_and_unscored_texts_come_last_in_id_order(project: Project) -> None:
    positive, _negative = fill_scored(project, texts=12)
    project.delete_scores("margin")  # the fill's scores go: only these stay
    project.save_scores("margin", [
        (ExampleId(9), 0.5), (ExampleId(3), 0.5), (ExampleId(6), 0.25), (ExampleId(11), float("nan")),
    ])
    project.save_scores("other", [(ExampleId(1), -1.0)])  # another kind does not mix in
    rows = project.page_by_score(ExampleFilter(), "margin", limit=5)
    assert [row.key for row in rows] == [(0.25, 6), (0.5, 3), (0.5, 9), (None, 1), (None, 2)]
    assert rows[0].row.text == "text 5" and rows[0].row.label_ids == (positive,)
    later = project.page_by_score(ExampleFilter(), "margin", after=rows[-1].key, limit=20)
    assert [row.row.id for row in later] == [4, 5, 7, 8, 10, 11, 12]  # NaN: no score


def test_a_deleted_text_takes_its_scores_along(project: Project) -> None:
    fill_scored(project, texts=10)
    project.delete_examples([ExampleId(1), ExampleId(2)])
    with plain_sqlite(project.path) as conn:
        assert conn.execute("SELECT count(*) FROM scores WHERE example_id <= 2").fetchone() == (0,)
    assert all(row.row.id > 2 for row in project.page_by_score(ExampleFilter(), "margin"))


def test_a_page_in_score_order_walks_the_score_index(project: Project) -> None:
    fill_scored(project)
    with plain_sqlite(project.path) as conn:
        plan = conn.execute(
            "EXPLAIN QUERY PLAN SELECT e.id FROM examples e JOIN scores s"
            " ON s.example_id = e.id AND s.kind = 'margin'"
            " WHERE (s.value, s.example_id) > (0.5, 3) ORDER BY s.value, s.example_id LIMIT 5"
        ).fetchall()
    details = " ".join(row[-1] for row in plan)
    assert "ix_scores_kind_value" in details and "TEMP B-TREE" not in details
