"""The learning curve (ml.learning_curve): nested stratified shares, the power law and its
verdict, and `bertdesk learning-curve` with its PNG."""

from __future__ import annotations

import math
import random
import string
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from bertdesk.core import Split, UserInputError
from bertdesk.ml.config import TrainConfig
from bertdesk.ml.learning_curve import PowerLaw, learning_curve, stratified_order
from bertdesk.store import Project
from tests.unit.test_crossval import topic_project
from tests.unit.test_ml_cli import run as run_cli

FAST = TrainConfig(model="fast")


def test_every_start_of_the_order_keeps_each_labels_share() -> None:
    strata = np.array([0] * 60 + [1] * 30 + [2] * 10)
    order = stratified_order(strata, seed=3)
    assert sorted(order.tolist()) == list(range(100))
    for length in (10, 25, 50, 75):
        counts = Counter(strata[order[:length]].tolist())
        for stratum, share in ((0, 0.6), (1, 0.3), (2, 0.1)):
            assert abs(counts[stratum] - share * length) <= 1
    assert not np.array_equal(order, stratified_order(strata, seed=4))


def test_the_power_law_through_known_points_and_the_labels_one_more_point_takes() -> None:
    sizes = [100, 200, 400, 800]
    law = PowerLaw.fit(sizes, [1 - 2 * n ** -0.5 for n in sizes])
    assert (law.scale, law.exponent) == pytest.approx((2.0, 0.5), rel=1e-3)
    assert law.floor == pytest.approx(0, abs=1e-4)
    # At 100 texts the error is 0.2; +1 point is an error of 0.19 at (2 / 0.19)^2 = 110.8 texts.
    assert law.more_labels_for(0.01, 100) == pytest.approx((2 / 0.19) ** 2 - 100, rel=1e-3)
    # A curve that levels off at 0.9, error = 1 / sqrt(n) + 0.1: from 0.2 at 100 texts, +1 point is
    # 0.19 at n = 0.09^-2 = 123.5; from 0.1354 at 800 texts, 0.1254 at (800^-0.5 - 0.01)^-2 = 1,555.
    levelling = PowerLaw.fit(sizes, [1 - (n ** -0.5 + 0.1) for n in sizes])
    assert (levelling.scale, levelling.exponent, levelling.floor) == pytest.approx((1.0, 0.5, 0.1), rel=1e-3)
    assert levelling.more_labels_for(0.01, 100) == pytest.approx(0.09 ** -2 - 100, rel=1e-3)
    assert levelling.more_labels_for(0.01, 800) == pytest.approx((800 ** -0.5 - 0.01) ** -2 - 800, rel=1e-3)
    assert math.isinf(levelling.more_labels_for(0.05, 800))  # past what it levels off at
    flat = PowerLaw.fit(sizes, [0.8, 0.8, 0.79, 0.8])
    assert math.isinf(flat.more_labels_for(0.01, 800))


def test_a_curve_scores_nested_shares_on_the_validation_texts_and_leaves_the_project_as_it_was(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
) -> None:
    scratch = tmp_path / "temporary"
    scratch.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(scratch))
    project = topic_project(tmp_path / "p.bertdesk", {"sport": 40, "food": 40, "travel": 40}, test_each=0)
    validation = [eid for eid, *_ in project.labelled_examples()][::6]
    project.set_split(validation, Split.VALIDATION)
    before = project.labelled_examples()
    messages: list[str] = []
    curve = learning_curve(project, FAST, progress=lambda fraction, message: messages.append(message))

    assert [point.fraction for point in curve.points] == [0.25, 0.5, 0.75, 1.0]
    assert [point.train_size for point in curve.points] == [25, 50, 75, 100]
    assert curve.evaluation_size == 20 and not curve.evaluation_set_aside
    assert all(0 <= point.score <= 1 for point in curve.points) and curve.points[-1].score > 0.6
    assert any(message.startswith("50% of the training texts (50):") for message in messages)
    low, high = curve.score_interval(100)
    assert low <= curve.law.score(100) <= high
    assert curve.points[-1].score == 1.0  # the topics are easy
    assert curve.verdict == "macro-F1 is within a point of 100% already: more labels cannot add a whole point."
    assert project.labelled_examples() == before and project.runs() == []
    assert not list(scratch.iterdir())


def test_a_small_share_without_a_rare_labels_text_is_fitted_on_the_labels_it_has(tmp_path: Path) -> None:
    """A label of a single training text is missing from most small shares: each fit learns the
    labels its share carries (before, the fit refused "the label has no texts")."""
    project = topic_project(tmp_path / "p.bertdesk", {"sport": 30, "food": 30, "travel": 1}, test_each=0)
    validation = [eid for eid, _, labels, _ in project.labelled_examples() if labels != (3,)][::6]
    project.set_split(validation, Split.VALIDATION)
    curve = learning_curve(project, FAST, fractions=(0.1, 0.5, 1.0))
    assert [point.train_size for point in curve.points] == [5, 26, 51]
    assert curve.points[-1].score > 0.6


def test_a_curve_still_rising_says_how_many_more_labels_one_more_point_takes(tmp_path: Path) -> None:
    # Each topic has 150 made-up words and a text carries 2 of them: a model knows more of the
    # words of new texts the more texts it learned from.
    rng = random.Random(0)

    def word() -> str:
        return "".join(rng.choices(string.ascii_lowercase, k=6))

    project = Project.create(tmp_path / "p.bertdesk")
    common = [word() for _ in range(50)]
    with project.bulk_writer() as writer:
        for name in ("sport", "food", "travel"):
            label, words = writer.label_id(name), [word() for _ in range(150)]
            for index in range(100):
                split = Split.VALIDATION if index < 20 else Split.UNASSIGNED
                writer.add(" ".join(rng.sample(words, 2) + rng.sample(common, 4)), split, [label])
    curve = learning_curve(project, FAST, metric="accuracy")
    assert [point.train_size for point in curve.points] == [60, 120, 180, 240]
    assert curve.points[0].score < curve.points[1].score < curve.points[-1].score < 0.9
    low, high = curve.more_labels_interval
    assert 0 < low <= curve.more_labels <= high < math.inf
    assert curve.verdict.template.startswith("More labels are likely to help: about {more} more labels")
    assert f"about {curve.verdict.values['more']} more labels for +1 point of accuracy" in curve.verdict


def test_a_project_without_validation_texts_sets_some_aside_for_the_curve_alone(tmp_path: Path) -> None:
    project = topic_project(tmp_path / "p.bertdesk", {"sport": 20, "food": 20}, test_each=2)
    messages: list[str] = []
    curve = learning_curve(project, FAST, fractions=(0.5, 0.75, 1.0), metric="accuracy", samples=2,
                           progress=lambda fraction, message: messages.append(message))
    assert curve.evaluation_set_aside and curve.evaluation_size == 4  # 10% of the 40 training texts
    assert [point.train_size for point in curve.points] == [18, 27, 36]
    assert all(len(point.sample_scores) == 2 for point in curve.points)
    assert curve.points[0].score == pytest.approx(np.mean(curve.points[0].sample_scores))
    assert any(message.startswith("75% of the training texts (27), sample 2 of 2:") for message in messages)
    assert project.labelled_examples([Split.VALIDATION]) == []
    with pytest.raises(UserInputError, match="at least three fractions"):
        learning_curve(project, FAST, fractions=(0.5, 1.0))


def test_learning_curve_command_prints_the_table_and_the_verdict_and_draws_a_png(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    pytest.importorskip("matplotlib", reason="the PNG needs matplotlib (pip install 'bertdesk[plots]')")
    path = tmp_path / "p.bertdesk"
    topic_project(path, {"sport": 24, "food": 24, "travel": 24}).close()
    plot = tmp_path / "curve.png"
    code, out, err = run_cli(capsys, "learning-curve", str(path), "--plot", str(plot))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0].startswith("macro-F1 on 7 texts set aside from the training texts")
    assert lines[0].endswith("the mean of 3 models on other samples of the same size:")
    assert [line.split()[0] for line in lines[2:6]] == ["25%", "50%", "75%", "100%"]
    assert lines[6] == "macro-F1 is within a point of 100% already: more labels cannot add a whole point."
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    code, _, err = run_cli(capsys, "learning-curve", str(path), "--plot", str(tmp_path / "no" / "c.png"))
    assert code == 2 and "does not exist" in err
