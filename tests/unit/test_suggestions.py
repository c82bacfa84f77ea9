"""Suggestions while labelling: the fast model or a run suggests, the store pages them least
confident first, the filters find disagreements and confident suggestions, and accepting is
an undoable label change. Real SQLite, real scikit-learn fits of a few dozen texts."""

from __future__ import annotations

import math
import random
from pathlib import Path

import numpy as np
import pytest

from bertdesk import ops
from bertdesk.core import CancelToken, Cancelled, ExampleId, LabelId, Split, UserInputError
from bertdesk.ml import suggest
from bertdesk.ml.suggest import SuggestionSource, prepare_suggester, refresh_suggestions, uncertainty
from bertdesk.store import ExampleFilter, Project, ScoredRow
from bertdesk.store.suggestions import ENTROPY_KIND, MARGIN_KIND
from tests.conftest import plain_sqlite

GOOD = "good great fine love excellent lovely".split()
BAD = "bad awful terrible hate poor dreadful".split()
SUBJECTS = "the movie film food plot acting service price".split()


def fill(project: Project, labelled: int = 30, unlabelled: int = 40) -> tuple[LabelId, LabelId]:
    """``labelled`` texts alternately positive and negative, then ``unlabelled`` texts whose
    words lean one way (some mixed: the model is unsure of those). Returns (positive, negative)."""
    rng = random.Random(0)
    with project.bulk_writer() as writer:
        positive, negative = writer.label_id("positive"), writer.label_id("negative")
        for i in range(labelled):
            words = GOOD if i % 2 else BAD
            text = f"{rng.choice(SUBJECTS)} was {' '.join(rng.choices(words, k=3))} {i}"
            writer.add(text, Split.TRAIN, [positive if i % 2 else negative])
        for i in range(unlabelled):
            lean = rng.random()
            words = [rng.choice(GOOD) if rng.random() < lean else rng.choice(BAD) for _ in range(3)]
            writer.add(f"{rng.choice(SUBJECTS)} was {' '.join(words)} u{i}", Split.TRAIN, [])
    return positive, negative


def all_unlabelled_pages(project: Project, limit: int) -> list[ScoredRow]:
    rows: list[ScoredRow] = []
    while True:
        page = project.page_by_score(
            ExampleFilter(unlabeled=True), MARGIN_KIND, after=rows[-1].key if rows else None, limit=limit
        )
        if not page:
            return rows
        rows += page


def test_every_text_gets_a_suggestion_that_is_no_label(project: Project) -> None:
    positive, negative = fill(project)
    labelled_before = project.stats().labelled
    state = refresh_suggestions(project)
    assert state.source == "fast" and state.run_id is None and state.labelled == 30 and state.complete
    ids = [example_id for example_id, _ in project.texts()]
    suggested = project.suggestions(ids)
    assert set(suggested) == set(ids)  # labelled texts too: disagreements need them
    assert project.stats().labelled == labelled_before
    texts = dict(project.texts())
    clear_good = [i for i in ids if sum(w in GOOD for w in texts[i].split()) == 3]
    clear_bad = [i for i in ids if sum(w in BAD for w in texts[i].split()) == 3]
    assert clear_good and clear_bad
    assert all(suggested[i].label_id == positive for i in clear_good)
    assert all(suggested[i].label_id == negative for i in clear_bad)
    assert all(0.5 <= s.confidence <= 1.0 for s in suggested.values())
    rows = all_unlabelled_pages(project, limit=200)
    assert len(rows) == 40 and all(row.score is not None for row in rows)
    # two labels: the order key is log(rank) of the margin 2p - 1 (p: the suggestion's
    # probability) less a noise of the text; without the noise it grows with the margin
    ranks = prepare_suggester(project).ranks
    ids = [row.row.id for row in rows]
    noise = -ranks.order_keys(ids, np.zeros(len(ids)), np.zeros(0), seed=30)  # rank 1: log 1 = 0
    log_ranks = np.array([row.score for row in rows]) + noise
    margins = np.array([2 * suggested[i].confidence - 1 for i in ids])
    assert np.all(np.diff(log_ranks[np.argsort(margins, kind="stable")]) > -1e-3)
    assert log_ranks.min() >= -1e-6 and log_ranks.max() > 1


def test_margin_and_entropy_of_probabilities() -> None:
    probs = np.array([[0.7, 0.2, 0.1], [0.4, 0.35, 0.25], [0.0, 1.0, 0.0]])
    measured = uncertainty(probs)
    assert measured.top.tolist() == [0, 0, 1]
    assert np.allclose(measured.confidence, [0.7, 0.4, 1.0])
    assert np.allclose(measured.margin, [0.5, 0.05, 1.0])
    expected = [-(0.7 * math.log(0.7) + 0.2 * math.log(0.2) + 0.1 * math.log(0.1)),
                -(0.4 * math.log(0.4) + 0.35 * math.log(0.35) + 0.25 * math.log(0.25)), 0.0]
    assert np.allclose(measured.entropy, expected)
    multi = uncertainty(np.array([[0.9, 0.6], [0.2, 0.05]]), multi_label=True)
    assert np.allclose(multi.margin, [0.2, 0.6])  # the least sure label's |2p - 1|
    assert multi.top.tolist() == [0, 0] and np.allclose(multi.confidence, [0.9, 0.2])


def test_least_confident_first_is_a_draw_with_chances_one_over_the_rank() -> None:
    """The order keys put first each text with a chance of 1 / its uncertainty rank (over the
    harmonic number), the same key whatever the chunk, another draw for another model."""
    texts = 1_000
    margins = np.linspace(0.0, 1.0, texts)  # rank i + 1 at position i
    ranks = suggest.UncertaintyRanks(texts, margins, margins)
    ids = [ExampleId(i) for i in range(1, texts + 1)]
    firsts = np.array([int(np.argmin(ranks.order_keys(ids, margins, margins, seed))) for seed in range(4_000)])
    harmonic = sum(1 / r for r in range(1, texts + 1))
    for rank in (1, 2, 10):
        assert abs(np.mean(firsts == rank - 1) - 1 / (rank * harmonic)) < 0.02
    assert 0.4 < np.mean(firsts >= 10) < 0.75  # not the strict top: half the firsts lie beyond the top 1 %
    keys = ranks.order_keys(ids, margins, margins, 7)
    assert np.array_equal(ranks.order_keys(ids[500:], margins[500:], margins, 7), keys[500:])
    assert not np.array_equal(ranks.order_keys(ids, margins, margins, 8), keys)


def test_a_page_of_least_confident_first_is_not_filled_with_near_copies(project: Project) -> None:
    """Sixty near-copies of a text of unknown words are each less sure than any other text:
    the strict top would be nothing else; the draw shows other texts on the first page too."""
    fill(project)
    with project.bulk_writer() as writer:
        for i in range(60):
            writer.add(f"xyzzy qwx copy{i}", Split.TRAIN, [])
    refresh_suggestions(project)
    page = project.page_by_score(ExampleFilter(unlabeled=True), MARGIN_KIND, limit=10)
    copies = [row for row in page if "copy" in row.row.text]
    assert 0 < len(copies) < len(page)


def test_more_than_two_labels_also_order_by_entropy(project: Project) -> None:
    fill(project)
    two_labels = refresh_suggestions(project)
    assert not two_labels.entropy_stored and len(two_labels.label_ids) == 2
    with project.bulk_writer() as writer:
        neutral = writer.label_id("neutral")
        for i in range(12):
            writer.add(f"the plot was average okay {i}", Split.TRAIN, [neutral])
    state = refresh_suggestions(project)
    assert state.entropy_stored and len(state.label_ids) == 3
    rows = project.page_by_score(ExampleFilter(unlabeled=True), ENTROPY_KIND, limit=100)
    assert len(rows) == 40 and all(row.score is not None for row in rows)
    assert [row.key for row in rows] == sorted(row.key for row in rows)
    by_margin = project.page_by_score(ExampleFilter(unlabeled=True), MARGIN_KIND, limit=100)
    assert [row.score for row in by_margin] != [row.score for row in rows]  # an order of its own
    ops.delete_label(project, neutral)
    assert not refresh_suggestions(project).entropy_stored
    assert all(row.score is None for row in project.page_by_score(ExampleFilter(), ENTROPY_KIND, limit=100))


def test_least_confident_first_pages_survive_label_changes_between_pages(project: Project) -> None:
    positive, _negative = fill(project)
    refresh_suggestions(project)
    before = all_unlabelled_pages(project, limit=200)
    assert len(before) == 40 and all(row.score is not None for row in before)
    assert [row.key for row in before] == sorted(row.key for row in before)
    shown: list[ScoredRow] = []
    labelled_unseen: list[ExampleId] = []
    while True:
        page = project.page_by_score(
            ExampleFilter(unlabeled=True), MARGIN_KIND, after=shown[-1].key if shown else None, limit=6
        )
        if not page:
            break
        shown += page
        ops.label_texts(project, [page[0].row.id], positive)  # a row on screen: it stays shown
        upcoming = [row.row.id for row in before if row.key > page[-1].key]
        if upcoming:  # a row further down, labelled elsewhere (another window): it never comes
            ops.label_texts(project, [upcoming[-1]], positive)
            labelled_unseen.append(upcoming[-1])
    shown_ids = [row.row.id for row in shown]
    assert len(shown_ids) == len(set(shown_ids))  # nothing twice
    assert shown_ids == [row.row.id for row in before if row.row.id not in labelled_unseen]  # nothing skipped


def test_the_disagreement_and_confidence_filters_match_the_stored_suggestions(project: Project) -> None:
    positive, negative = fill(project)
    refresh_suggestions(project)
    ids = [example_id for example_id, _ in project.texts()]
    suggested = project.suggestions(ids)
    unlabelled = [example_id for example_id, _ in project.texts(ExampleFilter(unlabeled=True))]
    # label three texts against their suggestion, one with it
    against = unlabelled[:3]
    for example_id in against:
        other = negative if suggested[example_id].label_id == positive else positive
        ops.label_texts(project, [example_id], other)
    ops.label_texts(project, [unlabelled[3]], suggested[unlabelled[3]].label_id)
    labels = project.labels_of(ids)
    expected = [i for i in ids if labels[i] and suggested[i].label_id not in labels[i]]
    assert set(against) <= set(expected)
    found = [example_id for example_id, _ in project.texts(ExampleFilter(disagreeing=True))]
    assert found == expected
    assert project.count(ExampleFilter(disagreeing=True)) == len(expected)
    confident = ExampleFilter(unlabeled=True, suggested_label_id=positive, min_confidence=0.7)
    wanted = [i for i in ids if not labels[i] and suggested[i].label_id == positive
              and suggested[i].confidence >= 0.7]
    assert wanted and [example_id for example_id, _ in project.texts(confident)] == wanted
    by_score = project.page_by_score(confident, MARGIN_KIND, limit=100)
    assert sorted(row.row.id for row in by_score) == wanted


def test_a_runs_stored_predictions_suggest_and_replace_the_fast_models(project: Project) -> None:
    positive, negative = fill(project, labelled=10, unlabelled=10)
    refresh_suggestions(project)
    run_id = project.create_run("some run", "fast", {"labels": ["negative", "positive"],
                                                      "label_ids": [int(negative), int(positive)]})
    with pytest.raises(UserInputError, match="no stored predictions"):
        prepare_suggester(project, SuggestionSource(run_id))
    predicted = [ExampleId(i) for i in range(11, 21)]  # the unlabelled texts
    probs = {example_id: (0.2, 0.8) if example_id % 2 else (0.9, 0.1) for example_id in predicted}
    project.save_predictions(run_id, [(i, None, probs[i], 0.0, None) for i in predicted])
    state = refresh_suggestions(project, SuggestionSource(run_id))
    assert state.source == "run" and state.run_id == run_id and state.complete
    suggested = project.suggestions([ExampleId(i) for i in range(1, 21)])
    assert set(suggested) == set(predicted)  # the fast model's for the others are gone
    for example_id in predicted:
        assert suggested[example_id].label_id == (positive if example_id % 2 else negative)
        assert math.isclose(suggested[example_id].confidence, max(probs[example_id]), rel_tol=1e-6)
    first = project.page_by_score(ExampleFilter(), MARGIN_KIND, limit=1)[0]
    assert first.row.id in predicted
    with pytest.raises(UserInputError, match="No run 99"):
        prepare_suggester(project, SuggestionSource.parse("99"))


def test_suggestions_need_two_labels_and_take_a_label_of_one_text(project: Project) -> None:
    positive, negative = fill(project, labelled=0, unlabelled=10)
    ops.label_texts(project, [ExampleId(1), ExampleId(2)], positive)
    with pytest.raises(UserInputError, match="at least two labels"):
        prepare_suggester(project)
    ops.label_texts(project, [ExampleId(3)], negative)
    project.set_split([ExampleId(3)], Split.TEST)  # the test split is not learned from
    with pytest.raises(UserInputError, match="at least two labels; 1 so far"):
        prepare_suggester(project)
    project.set_split([ExampleId(3)], Split.TRAIN)
    refresh_suggestions(project)  # one negative text is enough to suggest from
    assert len(project.suggestions([ExampleId(i) for i in range(1, 11)])) == 10
    with pytest.raises(UserInputError, match="Unknown source"):
        SuggestionSource.parse("latest")


def test_the_rows_on_screen_come_first_and_a_cancel_keeps_what_is_stored(
    project: Project, monkeypatch: pytest.MonkeyPatch
) -> None:
    fill(project)
    monkeypatch.setattr(suggest, "SUGGEST_CHUNK_TEXTS", 25)
    suggester = prepare_suggester(project)
    on_screen = [ExampleId(40), ExampleId(41), ExampleId(42)]
    assert suggester.suggest(on_screen) == 3
    assert set(project.suggestions(list(range(1, 71)))) == set(on_screen)  # type: ignore[arg-type]
    state = project.suggestion_state()
    assert state is not None and not state.complete
    cancel = CancelToken()
    reports: list[float] = []

    def cancel_after_first_chunk(fraction: float, _message: str) -> None:
        reports.append(fraction)
        cancel.cancel()

    with pytest.raises(Cancelled):
        suggester.suggest_rest(on_screen, cancel_after_first_chunk, cancel)
    assert len(project.suggestions(list(range(1, 71)))) == 25 + 3  # type: ignore[arg-type]
    assert reports == [25 / 70]
    state = project.suggestion_state()
    assert state is not None and not state.complete
    assert suggester.suggest_rest(on_screen) == 67
    state = project.suggestion_state()
    assert state is not None and state.complete


def test_accepting_suggestions_is_one_undoable_label_step(project: Project) -> None:
    fill(project)
    refresh_suggestions(project)
    chosen = [example_id for example_id, _ in project.texts(ExampleFilter(unlabeled=True))][:4]
    suggested = project.suggestions(chosen)
    result = ops.accept_suggestions(project, chosen + [ExampleId(999)])
    assert result.value == 4 and result.changes.examples == frozenset(chosen) and result.changes.history
    assert project.labels_of(chosen) == {i: (suggested[i].label_id,) for i in chosen}
    history = ops.LabelHistory(project)
    undo, _redo = history.next_steps()
    assert undo is not None and undo.example_ids == tuple(chosen)
    history.undo()
    assert project.labels_of(chosen) == {i: () for i in chosen}
    history.redo()
    assert project.labels_of(chosen) == {i: (suggested[i].label_id,) for i in chosen}
    ops.clear_suggestions(project)
    assert ops.accept_suggestions(project, chosen).value == 0 and project.suggestion_state() is None
    with plain_sqlite(project.path) as conn:
        kinds = conn.execute("SELECT count(*) FROM scores WHERE kind IN (?, ?)", (MARGIN_KIND, ENTROPY_KIND))
        assert kinds.fetchone() == (0,)


def test_accepting_in_a_multi_label_project_adds_the_suggestion(tmp_path: Path) -> None:
    with Project.create(tmp_path / "multi.bertdesk", multi_label=True) as project:
        positive, negative = fill(project)
        refresh_suggestions(project)
        text = ExampleId(1)  # labelled negative
        suggested = project.suggestions([text])[text].label_id
        other = positive if suggested == negative else negative
        ops.set_labels(project, [text], [other])
        ops.accept_suggestions(project, [text])
        assert set(project.labels_of([text])[text]) == {other, suggested}


def test_an_upgraded_project_has_the_suggestions_table_of_a_new_one(tmp_path: Path) -> None:
    old = tmp_path / "old.bertdesk"
    old.write_bytes((Path(__file__).resolve().parents[1] / "data" / "project_v1.bertdesk").read_bytes())
    Project.open(old).close()
    Project.create(tmp_path / "new.bertdesk").close()
    with plain_sqlite(old) as upgraded, plain_sqlite(tmp_path / "new.bertdesk") as new:
        for pragma in ("table_xinfo", "index_list", "foreign_key_list"):
            shape = f"PRAGMA {pragma}(suggestions)"
            assert upgraded.execute(shape).fetchall() == new.execute(shape).fetchall() != []
