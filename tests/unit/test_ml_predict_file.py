"""Batch prediction of a file: rows match the input one to one; a cancel leaves nothing."""

from __future__ import annotations

import csv
import json
from pathlib import Path

import pytest

from bertdesk.cli import main
from bertdesk.core import CancelToken, Cancelled, UserInputError
from bertdesk.io import ImportOptions
from bertdesk.ml.predict import Predictor, predict_file

ROWS = [
    ("1", "味道很好，送餐也快", "好评"),
    ("2", "太难吃了, \"再也不点\"", "差评"),
    ("3", "the food was great", ""),
    ("4", "服务很慢 " * 79 + "服务很慢", "长文本"),
    ("5", "一般", "x,y"),
]


@pytest.fixture(scope="module")
def predictor(labelled_model_dir: Path) -> Predictor:
    return Predictor.load(labelled_model_dir, device="cpu", max_length=32)


@pytest.fixture
def chinese_csv(tmp_path: Path) -> Path:
    path = tmp_path / "评论.csv"
    with path.open("w", encoding="gb18030", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(["编号", "评论", "备注"])
        writer.writerows(ROWS)
    return path


def _read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def test_csv_rows_match_the_input(chinese_csv: Path, predictor: Predictor, tmp_path: Path) -> None:
    output = tmp_path / "out" / "predictions.csv"
    output.parent.mkdir()
    count = predict_file(predictor, chinese_csv, output, ImportOptions(text_column="评论")).rows

    rows = _read_csv(output)
    assert count == len(rows) == len(ROWS)
    assert list(rows[0]) == ["编号", "评论", "备注", "predicted_label",
                             "prob_negative", "prob_positive"]
    expected = predictor.predict_proba([text for _, text, _ in ROWS])
    for row, (number, text, note), probs in zip(rows, ROWS, expected):
        assert (row["编号"], row["评论"], row["备注"]) == (number, text, note)
        assert row["predicted_label"] == predictor.labels[int(probs.argmax())]
        assert float(row["prob_positive"]) == pytest.approx(probs[1], abs=1e-5)
    assert sorted(p.name for p in output.parent.iterdir()) == ["predictions.csv"]


@pytest.mark.parametrize("suffix", [".xlsx", ".jsonl"])
def test_xlsx_and_jsonl_outputs(
    chinese_csv: Path, predictor: Predictor, tmp_path: Path, suffix: str
) -> None:
    output = tmp_path / f"predictions{suffix}"
    predict_file(predictor, chinese_csv, output, ImportOptions(text_column="评论"))
    if suffix == ".jsonl":
        rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    else:
        from openpyxl import load_workbook

        sheet = load_workbook(output, read_only=True).active
        values = list(sheet.iter_rows(values_only=True))
        rows = [dict(zip(values[0], row)) for row in values[1:]]
    assert [row["评论"] for row in rows] == [text for _, text, _ in ROWS]
    assert all(row["predicted_label"] in predictor.labels for row in rows)


def test_predicting_a_file_of_predictions_again_keeps_both(chinese_csv: Path, predictor: Predictor, tmp_path: Path) -> None:
    """A file predicted before (by an older run, say) keeps its columns; the new ones are numbered."""
    first, second = tmp_path / "first.jsonl", tmp_path / "second.jsonl"
    predict_file(predictor, chinese_csv, first, ImportOptions(text_column="评论"))
    again = predict_file(predictor, first, second, ImportOptions(text_column="评论"))
    assert again.probability_columns == ["prob_negative (2)", "prob_positive (2)"]  # what the app reads back
    rows = [json.loads(line) for line in second.read_text(encoding="utf-8").splitlines()]
    assert list(rows[0]) == ["编号", "评论", "备注", "predicted_label", "prob_negative", "prob_positive",
                             "predicted_label (2)", "prob_negative (2)", "prob_positive (2)"]
    assert all(row["predicted_label"] == row["predicted_label (2)"] for row in rows)


def test_cancel_leaves_no_file(chinese_csv: Path, predictor: Predictor, tmp_path: Path) -> None:
    output = tmp_path / "out"
    output.mkdir()
    token = CancelToken()
    token.cancel()
    with pytest.raises(Cancelled):
        predict_file(predictor, chinese_csv, output / "p.csv", ImportOptions(text_column="评论"),
                     cancel=token)
    assert list(output.iterdir()) == []


def test_refused_outputs(chinese_csv: Path, predictor: Predictor, tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="Cannot write predictions as .txt"):
        predict_file(predictor, chinese_csv, tmp_path / "p.txt")
    with pytest.raises(UserInputError, match="is the input file"):
        predict_file(predictor, chinese_csv, chinese_csv)
    with pytest.raises(UserInputError, match="does not exist"):
        predict_file(predictor, chinese_csv, tmp_path / "missing" / "p.csv")


def test_predict_command_writes_the_file(
    chinese_csv: Path, labelled_model_dir: Path, tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    output = tmp_path / "p.csv"
    assert main(["-q", "predict", str(labelled_model_dir), "--input", str(chinese_csv),
                 "--output", str(output), "--device", "cpu"]) == 0
    assert f"{len(ROWS)} rows predicted from the column '评论'; written" in capsys.readouterr().out
    assert [row["编号"] for row in _read_csv(output)] == [number for number, _, _ in ROWS]
    # A header of names bertdesk does not know: the clearly longest column, and it says so.
    unknown_names = tmp_path / "留言.csv"
    unknown_names.write_text(chinese_csv.read_text(encoding="gb18030").replace("评论", "用户留言", 1), encoding="utf-8")
    assert main(["-q", "predict", str(labelled_model_dir), "--input", str(unknown_names),
                 "--output", str(output), "--device", "cpu"]) == 0
    assert "from the column '用户留言', its values being the longest" in capsys.readouterr().out
    assert [row["用户留言"] for row in _read_csv(output)] == [text for _, text, _ in ROWS]
    # A question beside its answer: either may be the text, so it asks, in predict's own words.
    pairs = tmp_path / "问答.csv"
    pairs.write_text("问,答\n" + "".join(f"{text},{text}\n" for _, text, _ in ROWS[:3]), encoding="utf-8")
    assert main(["-q", "predict", str(labelled_model_dir), "--input", str(pairs), "--output", str(output)]) == 2
    err = capsys.readouterr().err
    assert "Which column of 问答.csv holds the texts?" in err and "--text-col NAME" in err and "import" not in err


def test_guessed_text_column_and_duplicates_keep_every_row(
    predictor: Predictor, tmp_path: Path
) -> None:
    source = tmp_path / "reviews.csv"
    source.write_text("label,review\n1,好吃\n0,太慢了\n1,好吃\n", encoding="utf-8")
    output = tmp_path / "predicted.jsonl"
    assert predict_file(predictor, source, output).rows == 3  # the duplicate is predicted too
    rows = [json.loads(line) for line in output.read_text(encoding="utf-8").splitlines()]
    assert [(row["label"], row["review"]) for row in rows] == [
        ("1", "好吃"), ("0", "太慢了"), ("1", "好吃")
    ]


def test_rows_left_out_of_the_output_are_counted_and_named(
    predictor: Predictor, labelled_model_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    source = tmp_path / "reviews.csv"
    source.write_text('id,review\n1,好吃\n2,\n3,"broken\n4,太慢了\n', encoding="utf-8")
    predicted = predict_file(predictor, source, tmp_path / "out.csv")
    assert (predicted.rows, predicted.empty) == (2, 1)
    assert [line for line, _ in predicted.unreadable] == [4] and "never closed" in predicted.unreadable[0][1]
    assert main(["-q", "predict", str(labelled_model_dir), "--input", str(source),
                 "--output", str(tmp_path / "again.csv"), "--device", "cpu"]) == 0
    out = capsys.readouterr().out
    assert "2 rows predicted from the column 'review'" in out and "Left out 1 row with no text." in out
    assert "Left out 1 line that cannot be read:\n  line 4: a quote opened on this line is never closed" in out
