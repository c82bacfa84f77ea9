"""Ensembles (ml.ensemble, the ensemble family): runs of two families combined on a real
project, and the combined folder used wherever a run's model is (evaluation, prediction of
texts, files and the project, the server, export, explanations, the command line)."""

from __future__ import annotations

import shutil
import threading
from collections.abc import Iterator
from pathlib import Path
import numpy as np
import pytest

from bertdesk import ops
from bertdesk.core import Cancelled, CancelToken, RunId, RunKind, Split, UserInputError
from bertdesk.ml.config import TrainConfig
from bertdesk.ml.ensemble import Combination, combine_runs, fit_weights
from bertdesk.ml.evaluation import evaluate_run
from bertdesk.ml.explain import explain
from bertdesk.ml.export import export_model
from bertdesk.ml.models import ENSEMBLE, FAST, Capability, load_predictor, train_model, unknown_shares
from bertdesk.ml.models.ensemble import MANIFEST_FILE, EnsembleClassifier
from bertdesk.ml.predict import predict_file, predict_project, run_model_folder
from bertdesk.store import ExampleFilter, Project
from tests.unit.test_ml_cli import run as run_cli
from tests.unit.test_ml_training import labelled_project, tiny_config

TEXTS = ["good movie", "awful plot", "the food was fine", "very slow service", "好吃 " * 80]


@pytest.fixture(scope="module")
def two_runs(tiny_model_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A closed project with a fast run (1) and a tiny-BERT run (2): different models."""
    folder = tmp_path_factory.mktemp("two-runs")
    with labelled_project(folder / "p.bertdesk") as project:
        for config in (TrainConfig(model=FAST), tiny_config(tiny_model_dir)):
            result = train_model(project, config)
            assert result.status == "finished", result.error
    return folder


@pytest.fixture
def project(two_runs: Path, tmp_path: Path) -> Iterator[Project]:
    """A copy of the two-run project for one test to change."""
    shutil.copytree(two_runs, tmp_path, dirs_exist_ok=True)
    with Project.open(tmp_path / "p.bertdesk") as opened:
        yield opened


def member_probs(project: Project, run_id: int, texts: list[str]) -> np.ndarray:
    probs: np.ndarray = load_predictor(run_model_folder(project, RunId(run_id))[1]).predict_proba(texts)
    return probs


def test_an_ensemble_of_two_runs_predicts_the_mean_of_their_probabilities(project: Project) -> None:
    messages: list[str] = []
    result = combine_runs(project, [RunId(1), RunId(2)], progress=lambda f, m: messages.append(m))
    run = project.run(result.run_id)
    assert run.kind is RunKind.ENSEMBLE and run.status == "finished" and run.base_model == "ensemble of runs 1, 2"
    assert run_model_folder(project, result.run_id)[1] == result.folder and run.path is not None
    assert [m.weight for m in result.members] == [0.5, 0.5] and [m.family for m in result.members] == [FAST, "transformer"]
    assert [m.predicted for m in result.members] == [0, 0]  # both runs stored their validation probabilities
    assert "Storing the ensemble" in messages

    mean = (member_probs(project, 1, TEXTS) + member_probs(project, 2, TEXTS)) / 2
    ensemble = load_predictor(result.folder)
    assert isinstance(ensemble, EnsembleClassifier) and ensemble.family == ENSEMBLE
    assert ensemble.labels == ["good", "bad"] and ensemble.max_length == 32  # the transformer's window
    np.testing.assert_allclose(ensemble.predict_proba(TEXTS), mean, atol=1e-6)
    answers = ensemble.predict_many(TEXTS)
    np.testing.assert_allclose([[a.probabilities["good"], a.probabilities["bad"]] for a in answers], mean, atol=1e-6)
    assert answers[-1].windows > 1 and answers[0].windows == 1  # the long text, as the transformer read it
    assert [a.label for a in answers] == [ensemble.labels[i] for i in mean.argmax(axis=1)]
    # Words the transformer does not know, which the fast run reads as well as any: half unknown.
    assert unknown_shares(ensemble, ["zebra quantum", "good movie"]) == [0.5, 0.0]
    assert ensemble.predict("zebra quantum").unknown_share == 0.5

    # Stored with the run: the mean of what the members stored; its scores are the evaluation's.
    validation = project.labelled_examples([Split.VALIDATION])
    stored = {row.example_id: np.array(row.probs) for row in project.predictions(result.run_id)}
    for example_id, *_ in validation:
        members = [next(p for p in project.predictions(RunId(run_id), [example_id])).probs for run_id in (1, 2)]
        np.testing.assert_allclose(stored[example_id], np.mean(members, axis=0), atol=1e-6)
    report = evaluate_run(project, result.run_id)
    assert report.accuracy == pytest.approx(run.metrics["accuracy"]) == pytest.approx(result.validation["accuracy"])
    assert len(report.examples) == len(validation) == run.params["validation_size"]
    assert {m["run_id"]: m["weight"] for m in run.metrics["members"]} == {1: 0.5, 2: 0.5}

    # The folder holds its members: deleting the runs it came from changes nothing.
    ops.delete_runs(project, [RunId(1), RunId(2)])
    np.testing.assert_allclose(load_predictor(result.folder).predict_proba(TEXTS), mean, atol=1e-6)


@pytest.mark.parametrize("multi_label", [False, True])
def test_fitted_weights_minimise_the_log_loss_of_a_constructed_example(multi_label: bool) -> None:
    # Three texts on which member A gives the observed outcome 0.9 and member B 0.1, one the
    # other way round: the log-likelihood 3 log(0.1 + 0.8 w) + log(0.9 - 0.8 w) is highest at
    # w = 2.6 / 3.2 = 0.8125 (its derivative 2.4 / (0.1 + 0.8 w) - 0.8 / (0.9 - 0.8 w) is 0).
    if multi_label:  # one label, present in the first three texts and absent in the fourth
        a, b = np.array([[0.9], [0.9], [0.9], [0.9]]), np.array([[0.1], [0.1], [0.1], [0.1]])
        targets: list[tuple[int, ...]] = [(0,), (0,), (0,), ()]
    else:
        a = np.array([[0.9, 0.1], [0.9, 0.1], [0.9, 0.1], [0.1, 0.9]])
        b = np.array([[0.1, 0.9], [0.1, 0.9], [0.1, 0.9], [0.9, 0.1]])
        targets = [(0,), (0,), (0,), (0,)]
    np.testing.assert_allclose(fit_weights([a, b], targets, multi_label), [0.8125, 0.1875], atol=1e-4)
    # Against a member that always says 0.5 A is worth 0.625 (1.2 / (0.5 + 0.4 w) = 0.4 / (0.5 - 0.4 w));
    # on the first three texts alone, where A is never wrong, the 0.5 member gets no weight at all.
    np.testing.assert_allclose(fit_weights([a, np.full_like(a, 0.5)], targets, multi_label), [0.625, 0.375], atol=1e-4)
    np.testing.assert_allclose(fit_weights([a[:3], np.full_like(a[:3], 0.5)], targets[:3], multi_label), [1, 0], atol=1e-4)


def test_fitted_weights_on_runs_favour_the_better_run_and_lose_less_than_either(project: Project) -> None:
    mean = combine_runs(project, [RunId(1), RunId(2)], Combination.MEAN)
    fitted = combine_runs(project, [RunId(1), RunId(2)], Combination.FITTED, name="best mix")
    fast, tiny = fitted.members
    assert fast.validation["loss"] < tiny.validation["loss"] and fast.weight > 0.5  # the fast run learned more
    assert fast.weight + tiny.weight == pytest.approx(1.0)
    assert fitted.validation["loss"] <= min(fast.validation["loss"], tiny.validation["loss"]) + 1e-9
    assert fitted.validation["loss"] <= mean.validation["loss"] + 1e-9
    run = project.run(fitted.run_id)
    assert run.name == "best mix" and run.params["combination"] == "fitted"
    weights = [member.weight for member in load_predictor(fitted.folder).members]  # type: ignore[attr-defined]
    assert weights == [m.weight for m in fitted.members if m.weight > 0]


def test_runs_that_cannot_be_combined_are_refused_in_plain_words(project: Project, tmp_path: Path) -> None:
    def refusal(run_ids: list[int]) -> str:
        with pytest.raises(UserInputError) as caught:
            combine_runs(project, [RunId(run_id) for run_id in run_ids])
        return str(caught.value)

    assert "at least two different runs" in refusal([1]) and "at least two" in refusal([1, 1])
    assert "No run 9" in refusal([1, 9])
    with project.bulk_writer() as writer:  # a third label, then a run that predicts it
        writer.add("so so", label_ids=[writer.label_id("meh")])
        writer.add("it was ok", label_ids=[writer.label_id("meh")])
        writer.add("average", label_ids=[writer.label_id("meh")])
    three = train_model(project, TrainConfig(model=FAST)).run_id
    message = refusal([1, int(three)])
    assert f"Runs 1 and {three} do not predict the same labels" in message and "good, bad, meh" in message
    project.set_setting("multi_label", "1")  # the project switched to several labels per text
    with Project.open(project.path) as reopened:
        several = train_model(reopened, TrainConfig(model=FAST)).run_id
    assert f"run {several} is multi-label" in refusal([int(three), int(several)])
    assert "has not finished (it is running)" in refusal([1, project.create_run("running", FAST, {})])
    assert not [run for run in project.runs() if run.kind is RunKind.ENSEMBLE]


def test_a_member_without_stored_probabilities_is_predicted_and_a_cancel_writes_nothing(project: Project) -> None:
    with project.bulk_writer() as writer:  # labelled since the runs finished
        new = writer.add("great film", Split.VALIDATION, [writer.label_id("good")])
    runs_before, files_before = project.runs(), sorted(project.runs_dir.iterdir())
    cancel = CancelToken()
    cancel.cancel()
    with pytest.raises(Cancelled):
        combine_runs(project, [RunId(1), RunId(2)], cancel=cancel)
    assert project.runs() == runs_before and sorted(project.runs_dir.iterdir()) == files_before

    result = combine_runs(project, [RunId(1), RunId(2)])
    assert [m.predicted for m in result.members] == [1, 1]
    stored = next(iter(project.predictions(result.run_id, [new])))
    mean = (member_probs(project, 1, ["great film"]) + member_probs(project, 2, ["great film"])) / 2
    np.testing.assert_allclose(stored.probs, mean[0], atol=1e-6)


def test_the_server_batch_prediction_and_the_project_use_an_ensemble_folder(project: Project, tmp_path: Path) -> None:
    from bertdesk.serve import PredictionServer
    from tests.unit.test_serve import post, request

    result = combine_runs(project, [RunId(1), RunId(2)])
    ensemble = load_predictor(result.folder)
    expected = ensemble.predict_proba(TEXTS[:2])
    server = PredictionServer(ensemble, "127.0.0.1", 0)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        assert request(server, "GET", "/labels") == (200, {"labels": ["good", "bad"], "multi_label": False, "max_length": 32})
        status, body = post(server, {"texts": TEXTS[:2]})
        assert status == 200
        answered = [[answer["probabilities"][name] for name in ("good", "bad")] for answer in body["predictions"]]
        np.testing.assert_allclose(answered, expected, atol=1e-5)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        server.server_close()

    source = tmp_path / "in.csv"
    source.write_text("id,text\n1,good movie\n2,awful plot\n", encoding="utf-8")
    assert predict_file(ensemble, source, tmp_path / "out.csv").rows == 2
    rows = [row.split(",") for row in (tmp_path / "out.csv").read_text(encoding="utf-8-sig").splitlines()]
    assert rows[0] == ["id", "text", "predicted_label", "prob_good", "prob_bad"]
    np.testing.assert_allclose([[float(v) for v in row[3:]] for row in rows[1:]], expected, atol=1e-5)

    count = predict_project(project, result.run_id, ensemble, ExampleFilter())
    assert count == len(project.texts(ExampleFilter())) and len(project.predictions(result.run_id)) == count


def test_an_ensemble_exports_as_a_copy_and_to_onnx_member_by_member(project: Project, tmp_path: Path) -> None:
    result = combine_runs(project, [RunId(1), RunId(2)])
    copied = export_model(result.folder, tmp_path / "hf", "hf", TEXTS)
    assert copied.parity_max_abs_diff == 0.0 and (copied.path / MANIFEST_FILE).is_file()

    onnx = export_model(result.folder, tmp_path / "onnx", "onnx", TEXTS, [("good movie", "good"), ("awful plot", "bad")])
    assert onnx.parity_max_abs_diff is not None and onnx.parity_max_abs_diff <= 1e-4
    assert onnx.accuracy == onnx.reference_accuracy is not None
    exported = load_predictor(onnx.path)
    assert isinstance(exported, EnsembleClassifier)
    fast_member, transformer_member = exported.members
    assert (onnx.path / transformer_member.record.folder / "model.onnx").is_file()
    assert getattr(transformer_member.predictor, "is_onnx") and fast_member.predictor.family == FAST
    np.testing.assert_allclose(exported.predict_proba(TEXTS), load_predictor(result.folder).predict_proba(TEXTS), atol=1e-4)
    # The ONNX member cannot explain; the fast one still can, so the ensemble explains with it.
    assert Capability.EXPLAIN in exported.capabilities


def test_an_ensemble_explains_with_its_strongest_member(project: Project) -> None:
    # Equal weights: the member that scored better on validation (the fast run, 1) explains,
    # whichever order the runs were given in.
    for order in ([1, 2], [2, 1]):
        ensemble = load_predictor(combine_runs(project, [RunId(run_id) for run_id in order]).folder)
        explanation = explain(ensemble, "good movie")
        assert explanation.label == "good" and explanation.ngrams  # the fast run's n-gram weights
        assert "strongest member (run 1, weight 0.50)" in explanation.method


def test_bertdesk_ensemble_then_predict_and_runs(project: Project, capsys: pytest.CaptureFixture[str]) -> None:
    path = str(project.path)
    code, out, err = run_cli(capsys, "ensemble", path, "1", "2", "--weights", "fitted")
    assert code == 0, err
    assert "Ensemble run 3: fitted of runs 1, 2" in out and "It is the current run now." in out
    assert "flatters the ensemble's validation scores" in out and "ensemble" in out.splitlines()[-3]
    code, out, _ = run_cli(capsys, "runs", path)
    assert code == 0 and "3*" in out and "ensemble of runs 1, 2" in out
    code, out, _ = run_cli(capsys, "predict", path, "--text", "good movie")
    assert code == 0 and out.splitlines()[0] == "good"
    code, out, err = run_cli(capsys, "ensemble", path, "1", "9")
    assert code == 2 and "No run 9" in err
    assert project.run(RunId(3)).kind is RunKind.ENSEMBLE


def test_a_cross_validation_cannot_be_a_member(project: Project) -> None:
    from bertdesk.ml.crossval import cross_validate

    folds = cross_validate(project, TrainConfig(model=FAST), folds=2).run_id
    with pytest.raises(UserInputError, match="cross-validation: it keeps no model"):
        combine_runs(project, [RunId(1), folds])
