"""The project commands: new, import, labels, split, stats, export; help texts and one-line errors."""

from __future__ import annotations

import csv
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from bertdesk.cli import main
from bertdesk.core import Split
from bertdesk.store import ExampleFilter, Project
from tests.conftest import WAIMAI_CSV, needs_file

PROJECT_COMMANDS = ["new", "import", "labels", "split", "stats", "export"]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(["-q", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def texts_csv(tmp_path: Path) -> Path:
    path = tmp_path / "texts.csv"
    rows = [f"{'good' if i % 2 else 'bad'} review number {i},{'pos' if i % 2 else 'neg'}" for i in range(40)]
    path.write_text("text,label\n" + "\n".join(rows) + "\ngood review number 1,pos\n", encoding="utf-8")
    return path


def help_text(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    with pytest.raises(SystemExit) as exited:
        main([*argv, "--help"])
    assert exited.value.code == 0
    return capsys.readouterr().out


def test_help_lists_the_commands_and_each_command_explains_itself(capsys: pytest.CaptureFixture[str]) -> None:
    # Once through the real entry point; the sub-commands in-process (each start costs seconds).
    top = subprocess.run([sys.executable, "-m", "bertdesk", "--help"], capture_output=True, text=True, check=True)
    for command in PROJECT_COMMANDS:
        assert command in top.stdout
    for command in PROJECT_COMMANDS:
        text = help_text(capsys, command)
        assert text.startswith(f"usage: bertdesk {command}")
        assert "PROJECT" in text.upper()
    for action in ("list", "add", "rename", "merge", "delete", "color", "shortcut"):
        assert help_text(capsys, "labels", "p.bertdesk", action).startswith(f"usage: bertdesk labels project {action}")
    import_help = help_text(capsys, "import")
    for option in ("--text-col", "--label-col", "--label-sep", "--split-col", "--encoding",
                   "--delimiter", "--sheet", "--header", "--no-header", "--keep-duplicates"):
        assert option in import_help


def test_an_import_that_leaves_a_label_column_unread_says_how_to_read_it(
    tmp_path: Path, texts_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "p.bertdesk"
    run(capsys, "new", str(project))
    code, out, _err = run(capsys, "import", str(project), str(texts_csv))
    assert code == 0 and "This import did not read the column 'label' as labels. To read it:" in out
    command = out.split("To read it: ")[1].split(" (")[0].split()
    assert command[:2] == ["bertdesk", "import"] and command[-2:] == ["--label-col", "label"]
    code, out, _err = run(capsys, *command[1:])  # the command as printed labels the texts
    assert code == 0 and "did not read" not in out
    with Project.open(project) as reopened:
        assert reopened.stats().labelled == 40


def test_a_file_without_a_header_is_imported_whole_and_says_how_to_read_its_labels(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project, data = tmp_path / "p.bertdesk", tmp_path / "reviews.tsv"
    data.write_text("".join(f"{'好吃' if i % 2 else '难吃'}，第 {i} 次点\t{'正面' if i % 2 else '负面'}\n"
                            for i in range(40)), encoding="gb18030")
    run(capsys, "new", str(project))
    code, out, _err = run(capsys, "import", str(project), str(data))
    assert code == 0 and "40 texts added" in out and "(text column 'column 1'" in out
    assert "Its first line holds a text, not column names" in out and "--header" in out
    command = shlex.split(out.split("To read it: ")[1].split(" (")[0])  # as a shell reads it
    assert command[-2:] == ["--label-col", "column 2"]
    code, out, _err = run(capsys, *command[1:])
    with Project.open(project) as reopened:
        assert reopened.count() == 40 and reopened.stats().labelled == 40
        assert reopened.page(ExampleFilter(), 0, 1)[0].text == "难吃，第 0 次点"
    code, out, err = run(capsys, "import", str(project), str(data), "--header", "--dry-run")
    assert code == 0 and "(text column '难吃，第 0 次点'" in out  # the first text as names, as asked
    assert "No column name says which holds the texts: '难吃，第 0 次点' was read" in out and "--text-col" in out


def test_a_header_of_unknown_names_is_read_by_its_values_and_the_import_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project, data = tmp_path / "p.bertdesk", tmp_path / "export.csv"
    data.write_text("下单日期,用户留言,态度\n" + "".join(
        f"2024-03-{i % 28 + 1:02d},{'好吃' if i % 2 else '难吃'}，第 {i} 次点这家店,{'好评' if i % 2 else '差评'}\n"
        for i in range(40)), encoding="utf-8")
    run(capsys, "new", str(project))
    code, out, _err = run(capsys, "import", str(project), str(data))
    assert code == 0 and "40 texts added" in out and "(text column '用户留言'" in out
    assert "No column name says which holds the texts: '用户留言' was read" in out
    assert "did not read the column '态度' as labels" in out
    command = shlex.split(out.split("To read it: ")[1].split(" (")[0])
    assert command[-2:] == ["--label-col", "态度"]
    assert run(capsys, *command[1:])[0] == 0
    with Project.open(project) as reopened:
        assert reopened.stats().labelled == 40 and {label.name for label in reopened.labels()} == {"好评", "差评"}


def test_label_cells_that_are_lists_are_asked_about_before_anything_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project, data = tmp_path / "p.bertdesk", tmp_path / "topics.csv"
    tags = ["食物", "价格", "配送"]
    data.write_text("text,labels\n" + "".join(
        f"第 {i} 条评论,{';'.join(tags[j] for j in range(3) if (i >> j) & 1) or '食物'}\n" for i in range(1, 30)),
        encoding="utf-8")
    run(capsys, "new", str(project), "--multi-label")
    code, _out, err = run(capsys, "import", str(project), str(data), "--label-col", "labels")
    assert code == 2 and "look like lists separated by ';'" in err and "--label-sep ';'" in err
    with Project.open(project) as reopened:
        assert reopened.count() == 0  # nothing written
    code, out, _err = run(capsys, "import", str(project), str(data), "--label-col", "labels", "--label-sep", ";")
    assert code == 0 and "New labels: 食物, 价格, 配送" in out
    code, out, _err = run(capsys, "import", str(project), str(data), "--label-col", "labels", "--label-sep", "none",
                          "--dry-run")
    assert code == 0 and "食物;价格" in out  # kept whole, as asked


def test_label_cells_that_are_list_literals_are_read_as_lists_without_asking(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A multi-label DataFrame saved by pandas' to_csv writes "['joy', 'love']"; JSON writes
    '["joy", "love"]'. Their commas are not a separator to ask about."""
    project, data = tmp_path / "p.bertdesk", tmp_path / "emotions.csv"
    cells = ["['joy', 'love']", '["fear"]', "['anger', 'joy']", "[]", "[draft]", '["愤怒", "fear"]']
    with data.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows([["text", "labels"], *([f"text {i}", cell] for i, cell in enumerate(cells))])
    run(capsys, "new", str(project), "--multi-label")
    code, out, err = run(capsys, "import", str(project), str(data), "--label-col", "labels")
    assert code == 0, err
    assert "New labels: joy, love, fear, anger, [draft], 愤怒" in out  # "[draft]" is a name, not a list
    with Project.open(project) as reopened:
        names = {label.id: label.name for label in reopened.labels()}
        assert [{names[l] for l in row.label_ids} for row in reopened.page(limit=10)] == [
            {"joy", "love"}, {"fear"}, {"anger", "joy"}, set(), {"[draft]"}, {"愤怒", "fear"},
        ]


def test_an_import_names_the_spellings_it_read_as_one_label(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project, data = tmp_path / "p.bertdesk", tmp_path / "case.csv"
    data.write_text("text,label\na1,Positive\na2,positive\na3,ＰＯＳＩＴＩＶＥ\na4,negative\na5,nan\n", encoding="utf-8")
    run(capsys, "new", str(project))
    code, out, _err = run(capsys, "import", str(project), str(data), "--label-col", "label")
    assert code == 0 and "New labels: Positive, negative\n" in out
    assert "Label cells saying 'nan' were read as no label" in out
    assert "read as one (case, width and spaces aside): positive, ＰＯＳＩＴＩＶＥ → Positive." in out


def test_an_import_that_leaves_label_and_split_columns_unread_says_how_to_read_both(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project, data = tmp_path / "p.bertdesk", tmp_path / "labelled.csv"
    data.write_text("text,label,split\n" + "".join(
        f"review {i},{'pos' if i % 2 else 'neg'},{'test' if i < 10 else 'train'}\n" for i in range(40)), encoding="utf-8")
    run(capsys, "new", str(project))
    code, out, _err = run(capsys, "import", str(project), str(data))
    assert code == 0 and "did not read the column 'label' as labels and the column 'split' as splits" in out
    command = out.split("To read them: ")[1].split(" (")[0].split()
    assert command[-4:] == ["--label-col", "label", "--split-col", "split"]
    code, out, _err = run(capsys, *command[1:], "--dry-run")  # says first what the texts would take
    assert code == 0 and "40 texts already in the project, unlabelled, would take the labels" in out
    assert "40 texts already in the project, in no split, would go to the splits" in out
    code, out, _err = run(capsys, *command[1:])  # the texts already imported take both
    assert code == 0 and "did not read" not in out
    assert "40 texts already in the project, unlabelled, took the labels" in out
    assert out.index("Skipped 40 duplicates") < out.index("40 texts already in the project")  # what they took
    assert "40 texts already in the project, in no split, went to the splits the file names" in out
    with Project.open(project) as reopened:
        assert reopened.stats().labelled == 40
        assert reopened.count(ExampleFilter(split=Split.TEST)) == 10


def test_new_import_split_stats_export(tmp_path: Path, texts_csv: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p.bertdesk"
    assert run(capsys, "new", str(project))[0] == 0

    code, out, _err = run(capsys, "import", str(project), str(texts_csv), "--label-col", "label")
    assert code == 0
    assert "40 texts added" in out
    assert "Skipped 1 duplicate (" in out and "line 42" in out
    assert "New labels: neg, pos" in out

    code, out, err = run(capsys, "split", str(project), "--train", ".5", "--validation", ".25", "--test", ".25")
    assert code == 0 and "Assigned 40 texts" in out and "add up" not in err
    # --test left at 0.1: the texts go in proportion, and the split says so.
    code, out, err = run(capsys, "split", str(project), "--train", ".9", "--validation", ".1", "--reassign")
    assert "The shares add up to 1.1, not 1" in err and "82% / 9% / 9%" in err
    code, out, err = run(capsys, "split", str(project), "--train", ".5", "--validation", ".25", "--test", ".25",
                         "--reassign")
    assert code == 0 and "Assigned 40 texts" in out

    code, out, _err = run(capsys, "stats", str(project))
    assert code == 0
    lines = out.splitlines()
    assert "40 texts, 40 labelled, 0 unlabeled" in lines[0]
    pos_row = next(line.split() for line in lines if line.startswith("pos"))
    assert pos_row == ["pos", "10", "5", "5", "0", "20"]

    export = tmp_path / "pos_train.csv"
    code, out, _err = run(capsys, "export", str(project), str(export), "--label", "pos", "--split", "train")
    assert code == 0 and "Wrote 10 texts" in out
    assert len(export.read_text(encoding="utf-8-sig").splitlines()) == 11


def test_tables_with_chinese_label_names_stay_aligned_in_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bertdesk.core.text_width import cut, display_width, shorten

    assert (display_width("正面ok"), display_width("ＡＢ"), cut("负面评价x", 5)) == (6, 4, "负面")
    assert (shorten("负面评价x", 5), shorten("负面", 4), shorten("abcdef", 5)) == ("负面…", "负面", "abcd…")
    project, texts = tmp_path / "p.bertdesk", tmp_path / "t.csv"
    long_name = "一个很长的标签名" * 10  # 160 cells: cut to 32 with "…", the numbers stay in view
    texts.write_text(f"text,label\n好吃,正面\n太慢了,负面评价\nfine,ok\n很长,{long_name}\n", encoding="utf-8")
    assert run(capsys, "new", str(project))[0] == 0
    assert run(capsys, "import", str(project), str(texts), "--label-col", "label")[0] == 0
    for command in ("stats", "labels"):
        code, out, _err = run(capsys, *([command, str(project)] + (["list"] if command == "labels" else [])))
        rows = [line for line in out.splitlines() if line.split()[0] in ("正面", "负面评价", "ok")
                or line.startswith("一个很长")]
        assert code == 0 and len(rows) == 4
        assert rows[-1].split()[0] == "一个很长的标签名一个很长的标签…"
        # The counts end in the same terminal cell on every row (a wide character takes two).
        ends = {display_width(row[: row.index("1") + 1]) for row in rows}
        assert len(ends) == 1, out


def test_import_puts_a_whole_file_in_one_split_unless_its_rows_say_otherwise(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = tmp_path / "p.bertdesk"
    dev = tmp_path / "dev.tsv"
    dev.write_text("text\tlabel\tsplit\nfine film\t1\t\ndull film\t0\ttest\n", encoding="utf-8")
    assert run(capsys, "new", str(project))[0] == 0
    code, out, _err = run(capsys, "import", str(project), str(dev), "--label-col", "label",
                          "--split-col", "split", "--split", "validation")
    assert code == 0 and "Splits: validation 1, test 1" in out
    with Project.open(project) as opened:
        assert opened.stats().per_split == {"validation": 1, "test": 1}
    with pytest.raises(SystemExit) as refused:
        main(["import", str(project), str(dev), "--split", "holdout"])
    assert refused.value.code == 2 and "invalid choice" in capsys.readouterr().err


def test_an_import_of_many_labels_names_the_first_twenty(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project, texts = tmp_path / "p.bertdesk", tmp_path / "intents.csv"
    texts.write_text("text,label\n" + "".join(f"text {i},intent_{i:03d}\n" for i in range(150)), encoding="utf-8")
    run(capsys, "new", str(project))
    code, out, _err = run(capsys, "import", str(project), str(texts), "--label-col", "label")
    line = next(line for line in out.splitlines() if line.startswith("New labels: "))
    assert code == 0 and line.startswith("New labels: intent_000, intent_001,")
    assert "intent_019 and 130 more" in line and "intent_020" not in line


def test_import_names_raw_label_values(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p.bertdesk"
    data = tmp_path / "sst.tsv"
    data.write_text("sentence\tlabel\nfine film\t1\ndull film\t0\n", encoding="utf-8")
    run(capsys, "new", str(project))
    code, out, _err = run(capsys, "import", str(project), str(data), "--label-col", "label",
                          "--label-name", "0=negative", "--label-name", "1=pos=itive", "--dry-run")
    assert code == 0 and "New labels: pos=itive, negative" in out
    code, out, _err = run(capsys, "import", str(project), str(data), "--label-col", "label",
                          "--label-name", "0=negative", "--label-name", "1=positive")
    assert code == 0 and "New labels: positive, negative" in out
    with Project.open(project) as opened:
        assert opened.stats().per_label_name() == {"positive": 1, "negative": 1}
    with pytest.raises(SystemExit) as refused:
        main(["import", str(project), str(data), "--label-name", "negative"])
    assert refused.value.code == 2 and "is not RAW=NAME" in capsys.readouterr().err


def test_a_large_import_is_indexed_for_search_after_it_is_saved(
    tmp_path: Path, texts_csv: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from bertdesk.store import search as search_module

    monkeypatch.setattr(search_module, "SEARCH_INLINE_ROWS", 10)
    monkeypatch.setattr(search_module, "SEARCH_CHUNK_ROWS", 8)
    project = tmp_path / "p.bertdesk"
    assert run(capsys, "new", str(project))[0] == 0
    code, out, _err = run(capsys, "import", str(project), str(texts_csv), "--label-col", "label")
    assert code == 0 and "40 texts added" in out
    with Project.open(project) as opened:
        assert opened.search_index_pending() == 0


def test_labels_subcommands(
    tmp_path: Path, texts_csv: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    project = tmp_path / "p.bertdesk"
    run(capsys, "new", str(project))
    run(capsys, "import", str(project), str(texts_csv), "--label-col", "label")

    assert run(capsys, "labels", str(project), "add", "meh", "--color", "#123456", "--shortcut", "m")[0] == 0
    assert run(capsys, "labels", str(project), "rename", "pos", "positive")[0] == 0
    assert run(capsys, "labels", str(project), "color", "neg", "#abcdef")[0] == 0
    assert run(capsys, "labels", str(project), "shortcut", "neg", "n")[0] == 0
    # Taking labels off texts asks first; a script (no terminal) must say --yes.
    code, _out, err = run(capsys, "labels", str(project), "merge", "neg", "meh")
    assert code == 2 and "gives its 20 texts 'meh'" in err and "--yes" in err
    code, out, _err = run(capsys, "labels", str(project), "merge", "neg", "meh", "--yes")
    assert code == 0 and "(20 texts): 20 texts carry 'meh' now" in out
    code, out, _err = run(capsys, "labels", str(project), "list")
    assert code == 0
    assert [line.split()[:2] for line in out.splitlines()[1:]] == [["positive", "20"], ["meh", "20"]]
    code, _out, err = run(capsys, "labels", str(project), "delete", "meh")
    assert code == 2 and "takes it off the 20 texts" in err
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)
    answers = iter(["", "y"])
    monkeypatch.setattr("builtins.input", lambda _prompt: next(answers))
    code, out, _err = run(capsys, "labels", str(project), "delete", "meh")  # Enter: no
    assert code == 1 and "Nothing was changed" in out
    assert run(capsys, "labels", str(project), "delete", "meh")[0] == 0  # y

    with Project.open(project) as opened:
        assert [label.name for label in opened.labels()] == ["positive"]
        assert opened.stats().labelled == 20


@pytest.mark.parametrize(
    ("argv", "words"),
    [
        (["import", "{project}", "{csv}", "--text-col", "nope"], "no column named 'nope'"),
        (["import", "{project}", "{empty}"], "empty"),
        (["labels", "{project}", "rename", "missing", "x"], "missing"),
        (["labels", "{project}", "color", "pos", "red"], "not a colour"),
        (["export", "{project}", "{tmp}/out.pdf"], "cannot export"),
        (["stats", "{tmp}/no_such.bertdesk"], "no_such.bertdesk"),
    ],
)
def test_errors_are_one_line_without_traceback(
    tmp_path: Path, texts_csv: Path, capsys: pytest.CaptureFixture[str], argv: list[str], words: str
) -> None:
    project = tmp_path / "p.bertdesk"
    run(capsys, "new", str(project))
    run(capsys, "import", str(project), str(texts_csv), "--label-col", "label")
    empty = tmp_path / "empty.csv"
    empty.write_bytes(b"")
    filled = [a.format(project=project, csv=texts_csv, empty=empty, tmp=tmp_path) for a in argv]

    code = main(filled)  # without -q: no progress bar is drawn above the error either
    err = capsys.readouterr().err

    assert code != 0
    assert len(err.strip().splitlines()) == 1, err
    assert err.startswith("error: ")
    assert words in err.lower()
    assert "Traceback" not in err


def test_single_label_project_refuses_multi_label_cells(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "p.bertdesk"
    data = tmp_path / "multi.csv"
    data.write_text("text,tags\nfast and tasty,speed;taste\n", encoding="utf-8")
    run(capsys, "new", str(project))

    code, _out, err = run(capsys, "import", str(project), str(data), "--label-col", "tags", "--label-sep", ";")
    assert code != 0 and "multi-label" in err

    multi = tmp_path / "m.bertdesk"
    run(capsys, "new", str(multi), "--multi-label")
    code, out, _err = run(capsys, "import", str(multi), str(data), "--label-col", "tags", "--label-sep", ";")
    assert code == 0 and "New labels: speed, taste" in out


@needs_file(WAIMAI_CSV)
def test_stats_of_imported_waimai_agree_with_the_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "waimai.bertdesk"
    run(capsys, "new", str(project))

    code, out, _err = run(capsys, "import", str(project), str(WAIMAI_CSV), "--label-col", "label", "--keep-duplicates")
    assert code == 0
    assert "11,987 texts added" in out and "Kept 11 duplicates" in out

    code, out, _err = run(capsys, "stats", str(project))
    rows = {line.split()[0]: line.split()[-1] for line in out.splitlines()[2:]}
    assert rows == {"1": "4,000", "0": "7,987", "(any)": "11,987"}


@needs_file(WAIMAI_CSV)
def test_waimai_import_says_what_it_did_with_the_duplicates(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    project = tmp_path / "waimai.bertdesk"
    run(capsys, "new", str(project))
    code, out, _err = run(capsys, "import", str(project), str(WAIMAI_CSV), "--label-col", "label")
    assert code == 0
    assert "11,976 texts added" in out
    # 7 texts occur twice exactly, 4 more differ only in full-/half-width commas: 11 skipped.
    assert "Skipped 11 duplicates" in out and "line 4412: 味道还可以。" in out
    assert "7 of the duplicates carry other labels than their first copy" in out


@pytest.mark.skipif(sys.platform == "win32", reason="SIGINT to a child is POSIX")
def test_ctrl_c_cancels_the_import_cleanly(tmp_path: Path) -> None:
    import os
    import signal

    project = tmp_path / "p.bertdesk"
    Project.create(project).close()
    data = tmp_path / "big.csv"
    data.write_text("text\n" + "".join(f"text number {i}\n" for i in range(200_000)), encoding="utf-8")
    with subprocess.Popen(
        [sys.executable, "-m", "bertdesk", "import", str(project), str(data)],
        stderr=subprocess.PIPE, text=True, cwd=Path(__file__).resolve().parents[2],
    ) as child:
        assert child.stderr is not None
        seen = ""
        while "%|" not in seen:  # the progress bar has started: the import is under way
            character = child.stderr.read(1)
            assert character, f"the import ended before it could be interrupted: {seen}"
            seen += character
        os.kill(child.pid, signal.SIGINT)
        rest = child.stderr.read()
        child.wait(timeout=60)
    assert child.returncode == 130
    assert "Cancelled" in rest
    with Project.open(project) as reopened:
        assert reopened.count() == 0
