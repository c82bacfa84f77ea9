"""The fast family (TF-IDF + linear) through the model-family seam, and the baseline it gives
every transformer run: real projects, real scikit-learn fits of a few dozen texts."""

from __future__ import annotations

import json
import math
import re
import threading
from pathlib import Path

import numpy as np
import pytest

from bertdesk.core import CancelToken, Split, UserInputError
from bertdesk.ml.config import TrainConfig
from bertdesk.ml.evaluation import evaluate_run
from bertdesk.ml.explain import explain
from bertdesk.ml.models import FAMILY_FILE, FAST, Capability, load_predictor, train_model
from bertdesk.ml.models.fast import (
    SETTINGS_FILE,
    SKLEARN_TOKEN_PATTERN,
    WORD_TOKENS,
    FastClassifier,
    beats_baseline,
    calibrated_svm_log_odds,
)
from bertdesk.store import Project
from tests.unit.test_ml_cli import run as run_cli
from tests.unit.test_ml_training import Recorder, labelled_project, tiny_config

FAST_CONFIG = TrainConfig(model=FAST)


def fast_run(project: Project, **overrides: object) -> object:
    result = train_model(project, TrainConfig(model=FAST, **overrides), Recorder())  # type: ignore[arg-type]
    assert result.status == "finished", result.error
    return result


def test_a_fast_run_is_recorded_like_a_transformer_run_and_its_folder_loads_back(tmp_path: Path) -> None:
    project = labelled_project(tmp_path / "p.bertdesk")
    recorder = Recorder()
    result = train_model(project, FAST_CONFIG, recorder)
    assert result.status == "finished", result.error
    run = project.run(result.run_id)
    assert run.status == "finished" and run.base_model == FAST and len(project.runs()) == 1
    assert run.params["labels"] == ["good", "bad"] and run.metrics["accuracy"] >= 0.75
    assert [entry["type"] for entry in run.history] == ["step", "eval"]
    assert recorder.evaluations and recorder.steps[-1].step == recorder.steps[-1].total_steps
    assert "baseline" not in run.metrics  # a fast run is its own baseline

    folder = result.model_dir
    assert folder is not None
    assert json.loads((folder / FAMILY_FILE).read_text(encoding="utf-8")) == {"family": FAST}
    assert not [f for f in folder.iterdir() if f.suffix in (".pkl", ".joblib", ".pickle")]
    predictor = load_predictor(folder)
    assert isinstance(predictor, FastClassifier) and predictor.capabilities == {Capability.EXPLAIN}
    # The probabilities stored at the end of the fit came from the model before it was saved.
    validation = project.labelled_examples([Split.VALIDATION])
    stored = {p.example_id: p.probs for p in project.predictions(result.run_id)}
    loaded = predictor.predict_proba([text for _, text, _, _ in validation])
    assert loaded == pytest.approx(np.array([stored[eid] for eid, *_ in validation]), abs=1e-6)
    answer = predictor.predict("good movie")
    assert answer.label == "good" and answer.predicted_labels == ["good"]
    assert sum(answer.probabilities.values()) == pytest.approx(1.0)


def test_settings_of_fine_tuning_are_ignored_by_the_fast_model(tmp_path: Path) -> None:
    project = labelled_project(tmp_path / "p.bertdesk")
    plain = fast_run(project)
    odd = fast_run(project, epochs=50.0, learning_rate=0.5, batch_size=1, max_length=8)
    assert load_predictor(odd.model_dir).predict_proba(["good film"]) == pytest.approx(  # type: ignore[attr-defined]
        load_predictor(plain.model_dir).predict_proba(["good film"])  # type: ignore[attr-defined]
    )


def test_chinese_texts_are_learned_from_their_characters(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "zh.bertdesk")
    good = ["菜很好吃，送得也快", "味道不错，很满意", "好吃，下次还点", "很香，分量足", "服务好，味道棒", "非常满意，好吃"]
    bad = ["太难吃了，再也不点", "送得太慢，菜都凉了", "味道很差，不满意", "难吃，分量少", "又咸又凉，差评", "很差，不会再点"]
    with project.bulk_writer() as writer:
        positive, negative = writer.label_id("好评"), writer.label_id("差评")
        for round_ in range(4):
            for text in good:
                writer.add(f"{text}{'！' * round_}", label_ids=[positive])
            for text in bad:
                writer.add(f"{text}{'。' * round_}", label_ids=[negative])
    result = fast_run(project)
    predictor = load_predictor(result.model_dir)  # type: ignore[attr-defined]
    assert predictor.labels == ["好评", "差评"]
    assert predictor.top_labels(predictor.predict_proba(["很好吃，很满意", "太难吃，很差"])) == ["好评", "差评"]
    explained = explain(predictor, "很好吃")
    assert [a.text for a in explained.attributions] == ["很", "好", "吃"]  # one span per character
    # Each character is a word, so the word n-grams hold characters and pairs of them, and the
    # explanation finds them in the text: its scores add up to the log-odds.
    words = predictor.features[0]
    assert words.analyzer == "word" and {"好", "吃", "好 吃", "难 吃"} <= set(words.terms)
    assert dict(explained.ngrams)["好 吃"] != 0
    assert sum(a.score for a in explained.attributions) == pytest.approx(
        explained.log_odds - explained.baseline_log_odds, abs=1e-4)


@pytest.mark.parametrize("text", [
    "A good movie, isn't it? 10/10 -- x_y z", "Ça m'a plu : très réussi", "Отличный фильм", "좋은 영화 ab c",
])
def test_words_without_chinese_or_japanese_are_scikit_learns_own(text: str) -> None:
    assert re.findall(WORD_TOKENS, text.lower()) == re.findall(SKLEARN_TOKEN_PATTERN, text.lower())


def test_chinese_and_japanese_characters_are_words_of_their_own() -> None:
    assert re.findall(WORD_TOKENS, "好吃good，a好 ok ひらがな") == ["好", "吃", "good", "好", "ok", "ひ", "ら", "が", "な"]


def test_a_fast_model_saved_before_its_words_were_recorded_reads_them_as_scikit_learns(tmp_path: Path) -> None:
    folder = fast_run(labelled_project(tmp_path / "p.bertdesk")).model_dir  # type: ignore[attr-defined]
    settings = json.loads((folder / SETTINGS_FILE).read_text(encoding="utf-8"))
    # Only the word part records what a word is; the characters part has no use for it.
    assert ["token_pattern" in part for part in settings["features"]] == [True, False]
    del settings["features"][0]["token_pattern"]
    (folder / SETTINGS_FILE).write_text(json.dumps(settings), encoding="utf-8")
    loaded = FastClassifier.load(folder)
    assert [part.token_pattern for part in loaded.features] == [SKLEARN_TOKEN_PATTERN] * 2
    assert loaded.vectorizers[0].token_pattern == SKLEARN_TOKEN_PATTERN


def test_many_labels_share_one_probability(tmp_path: Path) -> None:
    project = Project.create(tmp_path / "intents.bertdesk")
    phrases = {"weather": "will it rain tomorrow", "music": "play some jazz songs",
               "alarm": "wake me up at seven", "timer": "set a timer for ten minutes"}
    with project.bulk_writer() as writer:
        for name, phrase in phrases.items():
            label = writer.label_id(name)
            for i in range(8):
                writer.add(f"{phrase} please {i}", label_ids=[label])
    predictor = load_predictor(fast_run(project).model_dir)  # type: ignore[attr-defined]
    probs = predictor.predict_proba(list(phrases.values()))
    assert probs.sum(axis=1) == pytest.approx(np.ones(4), abs=1e-5)
    assert predictor.top_labels(probs) == list(phrases)


@pytest.mark.parametrize("labels", [2, 5], ids=["two labels", "five labels"])
def test_the_sigmoids_fitted_together_give_scikit_learns_calibrated_probabilities(labels: int) -> None:
    """Platt scaling for every label at once (Newton's method) against scikit-learn's
    CalibratedClassifierCV, which fits each label's sigmoid by its own scipy minimisation;
    one label is rare and some texts' scores reach past 30."""
    from scipy.sparse import csr_matrix
    from sklearn.calibration import CalibratedClassifierCV
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.svm import LinearSVC

    rng = np.random.default_rng(0)
    targets = rng.choice(labels, size=400, p=[0.05, *[0.95 / (labels - 1)] * (labels - 1)])
    features = rng.normal(size=(400, 30)) + np.eye(labels, 30)[targets] * 1.5
    features[:20] *= 60  # far from the rest: scores past 30, scaled down first
    matrix = csr_matrix(features)
    config = TrainConfig(model="fast")
    coef, intercept = calibrated_svm_log_odds(matrix, targets, config)
    with pytest.warns(ConvergenceWarning):  # the rows far away slow liblinear: both fits stop alike
        reference = CalibratedClassifierCV(LinearSVC(random_state=0), cv=3, ensemble=False).fit(matrix, targets)
    log_odds = matrix @ coef.T + intercept
    ours = 1 / (1 + np.exp(-log_odds))
    if labels == 2:
        ours = np.column_stack([1 - ours[:, 0], ours[:, 0]])
    else:
        ours /= ours.sum(axis=1, keepdims=True)
    np.testing.assert_allclose(ours, reference.predict_proba(matrix), atol=1e-5)


def multi_label_project(path: Path) -> Project:
    project = Project.create(path, multi_label=True)
    with project.bulk_writer() as writer:
        food, service = writer.label_id("food"), writer.label_id("service")
        for i in range(12):
            writer.add(f"tasty pizza and fresh salad {i}", label_ids=[food])
            writer.add(f"rude waiter and slow delivery {i}", label_ids=[service])
            writer.add(f"tasty pizza but rude waiter {i}", label_ids=[food, service])
    return project


def test_multi_label_fits_a_model_per_label_with_tuned_thresholds(tmp_path: Path) -> None:
    project = multi_label_project(tmp_path / "m.bertdesk")
    result = fast_run(project)
    run = project.run(result.run_id)
    assert run.params["multi_label"] is True and len(run.metrics["thresholds"]) == 2
    settings = json.loads((result.model_dir / SETTINGS_FILE).read_text(encoding="utf-8"))  # type: ignore[attr-defined]
    predictor = load_predictor(result.model_dir)  # type: ignore[attr-defined]
    assert predictor.multi_label and predictor.thresholds == settings["thresholds"] == run.metrics["thresholds"]
    both, food_only = predictor.predict_many(["tasty pizza, rude waiter", "tasty pizza and fresh salad"])
    assert sorted(both.predicted_labels) == ["food", "service"]
    assert food_only.predicted_labels == ["food"]
    assert sum(both.probabilities.values()) > 1.0  # one sigmoid per label, not a softmax


def test_evaluation_of_a_fast_run_predicts_texts_added_since(tmp_path: Path) -> None:
    project = labelled_project(tmp_path / "p.bertdesk")
    result = fast_run(project)
    before = evaluate_run(project, result.run_id, Split.VALIDATION)
    assert before.accuracy == project.run(result.run_id).metrics["accuracy"]
    with project.bulk_writer() as writer:  # not seen by the run: the model predicts it now
        writer.add("very good food indeed", label_ids=[writer.label_id("good")], split=Split.VALIDATION)
    after = evaluate_run(project, result.run_id, Split.VALIDATION)
    added = next(row for row in after.examples if row["text"] == "very good food indeed")
    assert added["predicted"] == "good" and len(after.examples) == len(before.examples) + 1


def test_the_server_answers_with_a_fast_model(tmp_path: Path) -> None:
    from tests.unit.test_serve import post, request

    from bertdesk.serve import PredictionServer

    result = fast_run(labelled_project(tmp_path / "p.bertdesk"))
    predictor = load_predictor(result.model_dir)  # type: ignore[attr-defined]
    server = PredictionServer(predictor, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        assert request(server, "GET", "/labels") == (
            200, {"labels": ["good", "bad"], "multi_label": False, "max_length": None}
        )
        status, body = post(server, {"texts": ["great film", "awful plot"]})
        assert status == 200 and [answer["label"] for answer in body["predictions"]] == ["good", "bad"]
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()


def test_batch_prediction_of_a_file_with_a_fast_model(tmp_path: Path) -> None:
    from bertdesk.ml.predict import predict_file

    predictor = load_predictor(fast_run(labelled_project(tmp_path / "p.bertdesk")).model_dir)  # type: ignore[attr-defined]
    source = tmp_path / "in.csv"
    source.write_text("id,text\n1,great film\n2,awful plot\n", encoding="utf-8")
    assert predict_file(predictor, source, tmp_path / "out.csv").rows == 2
    rows = (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()  # Excel reads the BOM
    assert rows[0] == "id,text,predicted_label,prob_good,prob_bad"
    assert [row.split(",")[2] for row in rows[1:]] == ["good", "bad"]


def test_the_explanation_scores_the_texts_n_grams_with_the_right_sign(tmp_path: Path) -> None:
    predictor = load_predictor(fast_run(labelled_project(tmp_path / "p.bertdesk")).model_dir)  # type: ignore[attr-defined]
    text = "a good movie, awful"
    toward_good = explain(predictor, text, label="good")
    words = {a.text: a.score for a in toward_good.attributions}
    assert list(words) == ["a", "good", "movie", ",", "awful"]
    assert words["good"] > 0 > words["awful"]
    ngrams = dict(toward_good.ngrams)
    assert ngrams["good"] > 0 > ngrams["awful"] and "good movie" in ngrams
    assert all(term.strip() in text for term in ngrams)
    # For two labels the scores are the log-odds, exactly: they add up to it from the bias.
    probability = predictor.predict(text).probabilities["good"]
    assert toward_good.log_odds == pytest.approx(math.log(probability / (1 - probability)), abs=1e-4)
    assert sum(words.values()) == pytest.approx(toward_good.log_odds - toward_good.baseline_log_odds, abs=1e-4)
    toward_bad = explain(predictor, text, label="bad")
    assert {a.text: a.score for a in toward_bad.attributions}["good"] == pytest.approx(-words["good"], abs=1e-6)
    with pytest.raises(UserInputError, match="no label 'ugly'"):
        explain(predictor, text, label="ugly")


def test_a_cancelled_fast_run_keeps_no_model_and_cannot_be_resumed(tmp_path: Path) -> None:
    project = labelled_project(tmp_path / "p.bertdesk")
    cancel = CancelToken()
    cancel.cancel()
    result = train_model(project, FAST_CONFIG, None, cancel)
    assert result.status == "cancelled" and result.model_dir is None
    assert project.run(result.run_id).status == "cancelled"
    with pytest.raises(UserInputError, match="cannot be resumed"):
        train_model(project, FAST_CONFIG, resume_run=result.run_id)


def test_bertdesk_train_model_fast_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.bertdesk"
    labelled_project(path).close()
    code, out, err = run_cli(capsys, "train", str(path), "--model", "fast", "--epochs", "9", "--lr", "0.5")
    assert code == 0, err
    assert "Run 1 finished" in out and "precision  recall" in out and "baseline" not in out
    with Project.open(path) as project:
        assert project.run(1).base_model == FAST
    code, out, err = run_cli(capsys, "eval", str(path), "--run", "1")
    assert code == 0 and "confusion matrix" in out, err


def test_a_transformer_run_records_the_fast_baseline_beside_its_scores(
    tmp_path: Path, tiny_model_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "p.bertdesk"
    labelled_project(path).close()
    code, out, err = run_cli(
        capsys, "train", str(path), "--model", str(tiny_model_dir), "--epochs", "1", "--lr", "3e-3",
        "--batch-size", "8", "--max-length", "32", "--train-embeddings", "--min-steps", "0",
    )
    assert code == 0, err
    with Project.open(path) as project:
        assert len(project.runs()) == 1  # the baseline is no run of its own
        metrics = project.run(1).metrics
    baseline = metrics["baseline"]
    assert baseline["family"] == FAST and 0.5 <= baseline["accuracy"] <= 1.0
    assert f"macro-F1 {baseline['macro_f1']:.4f}" in out.split("baseline", 1)[1]
    not_better = "does not score better than the fast baseline" in out
    assert not_better == (metrics["macro_f1"] <= baseline["macro_f1"] and metrics["macro_f1"] < 1.0)


def test_a_failing_baseline_never_fails_the_run(
    tmp_path: Path, tiny_model_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bertdesk.ml.models import fast

    def broken(*_args: object) -> dict[str, float]:
        raise MemoryError("no room for the baseline")

    monkeypatch.setattr(fast, "baseline_metrics", broken)
    project = labelled_project(tmp_path / "p.bertdesk")
    result = train_model(project, tiny_config(tiny_model_dir, epochs=1))
    assert result.status == "finished" and "baseline" not in project.run(result.run_id).metrics


def test_beating_the_baseline_is_judged_on_macro_f1() -> None:
    assert beats_baseline({"macro_f1": 0.9, "baseline": {"macro_f1": 0.8}}) is True
    assert beats_baseline({"macro_f1": 0.8, "baseline": {"macro_f1": 0.8}}) is False
    assert beats_baseline({"macro_f1": 1.0, "baseline": {"macro_f1": 1.0}}) is True  # nothing to try: it is perfect
    assert beats_baseline({"macro_f1": 0.8}) is None
