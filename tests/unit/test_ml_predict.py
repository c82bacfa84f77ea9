"""The Predictor: probabilities in the caller's order, long texts in windows, runs and projects."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import numpy as np
import pytest

from bertdesk.core import CancelToken, Cancelled, RunId, Split, UserInputError
from bertdesk.ml.predict import Predictor, predict_project, run_model_folder
from bertdesk.store import ExampleFilter

TEXTS = [
    "good",
    "the movie was very bad and the acting was awful but the food was great",
    "好吃",
    "",
    "this film is fine",
    "服务很慢 味道一般",
]


@pytest.fixture(scope="module")
def predictor(labelled_model_dir: Path) -> Predictor:
    return Predictor.load(labelled_model_dir, device="cpu")


def _model_probabilities(predictor: Predictor, ids: list[int]) -> np.ndarray:
    """The model run directly on one window, with no batching or padding."""
    import torch

    with torch.inference_mode():
        logits = predictor.backend.model(input_ids=torch.tensor([ids])).logits  # type: ignore[attr-defined]
    return torch.softmax(logits.double(), dim=-1)[0].numpy()


def test_load_reads_labels_and_window(predictor: Predictor) -> None:
    assert predictor.labels == ["negative", "positive"]
    assert not predictor.multi_label
    assert predictor.thresholds is None
    assert predictor.max_length == 128  # the tiny model's position limit


def test_batches_return_the_callers_order(predictor: Predictor) -> None:
    progress: list[float] = []
    together = predictor.predict_proba(TEXTS, batch_size=2, progress=lambda f, m: progress.append(f))
    one_by_one = np.stack([predictor.predict_proba([text])[0] for text in TEXTS])
    assert together.shape == (len(TEXTS), 2)
    np.testing.assert_allclose(together, one_by_one, atol=1e-5)
    np.testing.assert_allclose(together.sum(axis=1), 1.0, atol=1e-5)
    assert progress[-1] == 1.0 and progress == sorted(progress)


def test_predict_gives_label_and_probabilities(predictor: Predictor) -> None:
    prediction = predictor.predict("the food was great")
    assert prediction.label == max(prediction.probabilities, key=prediction.probabilities.get)
    assert prediction.predicted_labels == [prediction.label]
    assert (prediction.windows, prediction.truncated) == (1, False)


def test_each_answer_says_how_much_of_its_text_the_model_does_not_know(predictor: Predictor) -> None:
    known, half, foreign = predictor.predict_many(["good film", "good 豚骨", "这家店的环境非常舒适"])
    assert known.unknown_share == 0.0
    assert half.unknown_share == pytest.approx(2 / 3)  # "good" known, 豚 and 骨 not
    assert foreign.unknown_share > 0.8  # the tiny vocabulary has 的 and 是 of it at most
    assert predictor.predict("这家店的环境非常舒适").unknown_share == foreign.unknown_share
    assert predictor.unknown_shares([]) == []


def test_long_text_is_covered_by_overlapping_windows(labelled_model_dir: Path) -> None:
    predictor = Predictor.load(labelled_model_dir, device="cpu", max_length=16)
    words = "good bad movie food great awful the plot was slow and fast love hate".split()
    long_text = " ".join(words[i % len(words)] for i in range(7 * 15))  # 105 tokens
    windows = predictor.tokenizer(
        long_text, truncation=True, max_length=16, stride=3, return_overflowing_tokens=True
    )["input_ids"]
    whole = predictor.tokenizer(long_text)["input_ids"][1:-1]

    prediction = predictor.predict(long_text)

    assert prediction.windows == len(windows) > 1
    covered = {token for window in windows for token in window[1:-1]}
    assert covered == set(whole)
    assert all(len(window) <= 16 for window in windows)
    expected = np.mean([_model_probabilities(predictor, w) for w in windows], axis=0)
    np.testing.assert_allclose(list(prediction.probabilities.values()), expected, atol=1e-5)

    cut = predictor.predict(long_text, long_text="truncate")
    assert (cut.windows, cut.truncated) == (1, True)
    np.testing.assert_allclose(
        list(cut.probabilities.values()), _model_probabilities(predictor, windows[0]), atol=1e-5
    )


def test_multi_label_uses_sigmoid_thresholds_and_window_maximum(
    labelled_model_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "multi"
    shutil.copytree(labelled_model_dir, folder)
    config = json.loads((folder / "config.json").read_text())
    config.update(problem_type="multi_label_classification", bertdesk_thresholds=[0.0, 1.0])
    (folder / "config.json").write_text(json.dumps(config))
    predictor = Predictor.load(folder, device="cpu", max_length=8)

    prediction = predictor.predict("good bad movie food great awful the plot was slow")

    assert predictor.multi_label and predictor.thresholds == [0.0, 1.0]
    assert prediction.predicted_labels == ["negative"]  # threshold 0 always, 1 never
    import torch

    windows = predictor.tokenizer(
        "good bad movie food great awful the plot was slow", truncation=True, max_length=8,
        stride=1, return_overflowing_tokens=True,
    )["input_ids"]
    with torch.inference_mode():
        per_window = torch.sigmoid(
            torch.cat([predictor.backend.model(input_ids=torch.tensor([w])).logits  # type: ignore[attr-defined]
                       for w in windows])
        ).numpy()
    assert prediction.windows == len(windows) > 1
    np.testing.assert_allclose(
        list(prediction.probabilities.values()), per_window.max(axis=0), atol=1e-5
    )


def test_bad_folders_give_user_errors(labelled_model_dir: Path, tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="no config.json"):
        Predictor.load(tmp_path / "nowhere")
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "config.json").write_text("{ not json")
    with pytest.raises(UserInputError, match="cannot be read"):
        Predictor.load(broken)
    pickled = tmp_path / "pickled"
    shutil.copytree(labelled_model_dir, pickled)
    (pickled / "model.safetensors").rename(pickled / "pytorch_model.bin")
    with pytest.raises(UserInputError, match="only pickle weights"):
        Predictor.load(pickled, device="cpu")
    for name in ("tokenizer.json", "tokenizer_config.json", "vocab.txt"):
        (pickled / name).unlink(missing_ok=True)
    with pytest.raises(UserInputError, match="no tokenizer files"):
        Predictor.load(pickled, device="cpu", allow_unsafe_weights=True)


def test_bad_options_and_cancel(predictor: Predictor) -> None:
    with pytest.raises(UserInputError, match="long-text"):
        predictor.predict_proba(["good"], long_text="middle")
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        predictor.predict_proba(TEXTS, cancel=token)


def _project_with_run(project, model_dir: Path) -> RunId:  # type: ignore[no-untyped-def]
    with project.bulk_writer() as writer:
        negative, positive = writer.label_id("negative"), writer.label_id("positive")
        for index, text in enumerate(TEXTS[:-1]):
            writer.add(text, Split.TRAIN, [positive if index % 2 else negative])
        writer.add(TEXTS[-1])
    run_id = project.create_run("tiny", "tiny", {})
    shutil.copytree(model_dir, project.runs_dir / str(run_id) / "best")
    project.update_run(run_id, status="finished", finished=True)
    return run_id


def test_predict_project_stores_suggestions(project, labelled_model_dir: Path) -> None:  # type: ignore[no-untyped-def]
    run_id = _project_with_run(project, labelled_model_dir)
    found_run, folder = run_model_folder(project)
    predictor = Predictor.load(folder, device="cpu")

    assert found_run == run_id
    assert predict_project(project, run_id, predictor, ExampleFilter(unlabeled=True)) == 1
    assert predict_project(project, run_id, predictor) == len(TEXTS)

    stored = project.predictions(run_id)
    expected = predictor.predict_proba(TEXTS)
    names = {label.id: label.name for label in project.labels()}
    assert [row.example_id for row in stored] == [eid for eid, _ in project.texts()]
    for row, probs in zip(stored, expected):
        np.testing.assert_allclose(row.probs, probs, atol=1e-6)
        assert names[row.label_id] == predictor.labels[int(probs.argmax())]
        assert row.margin == pytest.approx(abs(probs[0] - probs[1]), abs=1e-6)
    labelled = {eid: labels for eid, _, labels, _ in project.labelled_examples()}
    for row, probs in zip(stored, expected):
        if row.example_id not in labelled:
            assert row.loss is None
            continue
        true_index = predictor.labels.index(names[labelled[row.example_id][0]])
        assert row.loss == pytest.approx(-np.log(probs[true_index]), abs=1e-5)


def test_run_model_folder_choices(project, labelled_model_dir: Path) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(UserInputError, match="no finished run"):
        run_model_folder(project)
    first = _project_with_run(project, labelled_model_dir)
    second = project.create_run("failed", "tiny", {})
    project.update_run(second, status="failed", finished=True)
    assert run_model_folder(project)[0] == first
    with pytest.raises(UserInputError, match="no saved model"):
        run_model_folder(project, second)
    project.set_setting("current_run", str(second))
    with pytest.raises(UserInputError, match="no saved model"):
        run_model_folder(project)
    with pytest.raises(UserInputError, match="No run 99"):
        run_model_folder(project, RunId(99))


def test_bf16_precision_stays_close_to_fp32(labelled_model_dir: Path, predictor: Predictor) -> None:
    fast = Predictor.load(labelled_model_dir, device="cpu", precision="bf16")
    np.testing.assert_allclose(fast.predict_proba(TEXTS), predictor.predict_proba(TEXTS), atol=0.05)
    with pytest.raises(UserInputError, match="precision"):
        Predictor.load(labelled_model_dir, device="cpu", precision="int4")


def test_two_threads_may_share_a_predictor(labelled_model_dir: Path) -> None:
    """The app predicts while it explains: both use one Predictor from two worker threads."""
    import threading

    from bertdesk.ml.explain import explain

    shared = Predictor.load(labelled_model_dir, device="cpu", max_length=16)
    expected = shared.predict_proba(TEXTS)
    failures: list[BaseException] = []

    def predict_often() -> None:
        try:
            for _ in range(30):
                np.testing.assert_allclose(shared.predict_proba(TEXTS), expected, atol=1e-5)
        except BaseException as error:  # reported by the main thread
            failures.append(error)

    def explain_often() -> None:
        try:
            for _ in range(30):
                explain(shared, TEXTS[1], steps=2)
        except BaseException as error:
            failures.append(error)

    threads = [threading.Thread(target=predict_often), threading.Thread(target=explain_often)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert failures == []


def test_the_shared_tokenizer_encodes_for_one_thread_at_a_time(labelled_model_dir: Path) -> None:
    """A fast tokenizer sets its truncation and stride on each call and encodes after: two
    threads at once could encode with each other's settings (a prediction windowed with an
    explanation's stride: most likely why the test above failed about once in eight runs)."""
    import threading
    import time

    from bertdesk.ml.explain import explain

    shared = Predictor.load(labelled_model_dir, device="cpu", max_length=16)
    real = shared.tokenizer
    inside = {"now": 0, "most": 0}
    count_lock = threading.Lock()

    class Watched:
        def __getattr__(self, name: str) -> object:
            return getattr(real, name)

        def __call__(self, *args: object, **kwargs: object) -> object:
            with count_lock:
                inside["now"] += 1
                inside["most"] = max(inside["most"], inside["now"])
            time.sleep(0.01)  # a wide window for the other thread to come in
            try:
                return real(*args, **kwargs)
            finally:
                with count_lock:
                    inside["now"] -= 1

    shared.tokenizer = Watched()
    threads = [
        threading.Thread(target=lambda: [shared.predict_many(TEXTS) for _ in range(10)]),
        threading.Thread(target=lambda: [explain(shared, TEXTS[1], steps=2) for _ in range(10)]),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert inside["most"] == 1
