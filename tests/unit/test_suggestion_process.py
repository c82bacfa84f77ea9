"""The suggestions fitted and computed in a process of their own: the same suggestions as a fit
in the app's process, a cancel that stops the child, and a child that dies is a clear error, not
a hang, after which the next call starts a new one. Real child processes (spawn), real SQLite,
real scikit-learn fits of a few dozen texts."""

from __future__ import annotations

import os
import shutil
import signal
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from bertdesk.core import BertdeskError, CancelToken, Cancelled, ExampleId
from bertdesk.ml.suggest import SuggestionSource, refresh_suggestions
from bertdesk.ml.suggestion_process import SuggestionProcess
from bertdesk.store import ExampleFilter, Project
from bertdesk.store.suggestions import MARGIN_KIND
from tests.unit.test_suggestions import fill


@pytest.fixture
def suggestion_process(project_path: Path) -> Iterator[SuggestionProcess]:
    with Project.create(project_path) as project:
        fill(project, labelled=30, unlabelled=40)
    process = SuggestionProcess(project_path)
    yield process
    process.close()


def stored(project: Project) -> dict[ExampleId, tuple[int, float, float]]:
    """Each text's suggested label, its probability and its margin's order key."""
    ids = [example_id for example_id, _ in project.texts()]
    keys = {scored.row.id: scored.score for scored in project.page_by_score(ExampleFilter(), MARGIN_KIND, limit=1000)}
    return {example_id: (int(found.label_id), round(found.confidence, 6), round(keys[example_id] or 0.0, 6))
            for example_id, found in project.suggestions(ids).items()}


def test_the_process_stores_the_suggestions_a_fit_in_the_app_stores(
    suggestion_process: SuggestionProcess, project_path: Path, tmp_path: Path,
) -> None:
    in_app = tmp_path / "in-app.bertdesk"
    shutil.copy(project_path, in_app)
    first = [ExampleId(31), ExampleId(32)]
    with Project.open(in_app) as project:
        refresh_suggestions(project, first=first)
        expected, expected_state = stored(project), project.suggestion_state()

    fitted = suggestion_process.fit(SuggestionSource(), first, CancelToken())
    assert fitted.process_id != os.getpid() and fitted.labelled == 30 and fitted.source == SuggestionSource()
    with Project.open(project_path) as project:
        assert set(stored(project)) == set(first)  # the rows on screen, at once
        reported: list[tuple[float, str]] = []
        suggestion_process.suggest_rest(fitted, [ExampleId(1)], first, lambda *step: reported.append(step), CancelToken())
        assert reported[0] == (0.0, "") and reported[-1][0] == 1.0  # the labelled row first, then the rest
        assert stored(project) == expected and len(expected) == 70
        state = project.suggestion_state()
        assert state is not None and expected_state is not None
        assert (state.labelled, state.complete, state.label_ids) == (30, True, expected_state.label_ids)


def test_a_cancel_stops_the_child_which_then_takes_the_next_call(
    suggestion_process: SuggestionProcess, project_path: Path,
) -> None:
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        suggestion_process.fit(SuggestionSource(), [], cancel)
    fitted = suggestion_process.fit(SuggestionSource(), [ExampleId(31)], CancelToken())
    with pytest.raises(Cancelled):
        suggestion_process.suggest_rest(fitted, [], [], lambda *_: None, cancel)
    with Project.open(project_path) as project:
        state = project.suggestion_state()
        assert state is not None and not state.complete and project.suggestions([ExampleId(40)]) == {}
    suggestion_process.suggest_rest(fitted, [], [], lambda *_: None, CancelToken())
    with Project.open(project_path) as project:
        state = project.suggestion_state()
        assert state is not None and state.complete and len(project.suggestions([ExampleId(40)])) == 1


@pytest.mark.skipif(sys.platform == "win32", reason="kills the child with SIGKILL")
def test_a_child_that_dies_is_a_clear_error_and_the_next_call_starts_another(
    suggestion_process: SuggestionProcess,
) -> None:
    fitted = suggestion_process.fit(SuggestionSource(), [], CancelToken())
    os.kill(fitted.process_id, signal.SIGKILL)
    with pytest.raises(BertdeskError, match="stopped unexpectedly"):
        suggestion_process.suggest_rest(fitted, [], [], lambda *_: None, CancelToken())
    again = suggestion_process.fit(SuggestionSource(), [], CancelToken())
    assert again.process_id not in (fitted.process_id, os.getpid())


def test_an_error_in_the_child_reaches_the_caller_as_it_was_raised(project_path: Path) -> None:
    with Project.create(project_path) as project:
        fill(project, labelled=0, unlabelled=5)
    process = SuggestionProcess(project_path)
    try:
        with pytest.raises(BertdeskError, match="at least two labels") as raised:
            process.fit(SuggestionSource(), [], CancelToken())
        assert "Label a few texts of each label" in raised.value.hint
    finally:
        process.close()
