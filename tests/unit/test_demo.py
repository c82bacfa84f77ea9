"""The demo project: shipped texts land in a real project with labels and stratified splits."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest

from bertdesk.core import Split, UserInputError
from bertdesk.demo import DEMO_LANGUAGES, build_demo_project, read_demo_rows
from bertdesk.store import ExampleFilter, Project, normalize_text

EXPECTED_LABELS = {"en": {"positive", "negative", "neutral"}, "zh": {"正面", "负面", "中性"}}


@pytest.mark.parametrize("language", DEMO_LANGUAGES)
def test_demo_data_is_varied_three_labels_and_partly_unlabelled(language: str) -> None:
    rows = read_demo_rows(language)
    texts = [text for text, _ in rows]
    labels = Counter(label for _, label in rows)
    assert 280 <= len(rows) <= 320
    assert len({normalize_text(t) for t in texts}) == len(texts), "duplicate demo texts"
    assert set(labels) - {""} == EXPECTED_LABELS[language]
    assert 0.12 <= labels[""] / len(rows) <= 0.18
    counts = [labels[name] for name in EXPECTED_LABELS[language]]
    assert max(counts) - min(counts) <= 0.1 * len(rows), f"unbalanced: {labels}"
    sizes = [len(t.split()) if language == "en" else len(t) for t in texts]
    low, high = (5, 60) if language == "en" else (8, 80)
    assert low <= min(sizes) and max(sizes) <= high
    assert max(sizes) >= 3 * (sum(sizes) / len(sizes)), "lengths should vary"


@pytest.mark.parametrize("language", DEMO_LANGUAGES)
def test_build_demo_project_imports_and_splits(tmp_path: Path, language: str) -> None:
    rows = read_demo_rows(language)
    path = build_demo_project(tmp_path / f"demo_{language}.bertdesk", language)
    with Project.open(path) as project:
        stats = project.stats()
        assert stats.total == len(rows)
        assert stats.per_label_name() == Counter(label for _, label in rows if label)
        assert project.count(ExampleFilter(unlabeled=True)) == sum(1 for _, l in rows if not l)
        # Unlabelled texts wait in "unassigned"; every labelled one got a split.
        unlabelled_unassigned = project.count(ExampleFilter(unlabeled=True, split=Split.UNASSIGNED))
        assert unlabelled_unassigned == project.count(ExampleFilter(split=Split.UNASSIGNED))
        assert unlabelled_unassigned == project.count(ExampleFilter(unlabeled=True))
        for label_id, per_split in stats.per_label_split.items():
            total = stats.per_label[label_id]
            assert per_split.get("train", 0) == pytest.approx(0.7 * total, abs=2)
            assert per_split.get("validation", 0) == pytest.approx(0.15 * total, abs=2)
            assert per_split.get("test", 0) == pytest.approx(0.15 * total, abs=2)
        stored = {row.text for row in project.page(ExampleFilter(), 0, len(rows))}
        assert stored == {text for text, _ in rows}


def test_build_demo_project_is_deterministic(tmp_path: Path) -> None:
    def splits_of(path: Path) -> dict[str, Split]:
        with Project.open(path) as project:
            return {row.text: row.split for row in project.page(ExampleFilter(), 0, 1000)}

    first = build_demo_project(tmp_path / "a.bertdesk")
    second = build_demo_project(tmp_path / "b.bertdesk")
    assert splits_of(first) == splits_of(second)


def test_build_demo_project_never_overwrites(tmp_path: Path) -> None:
    path = tmp_path / "mine.bertdesk"
    path.write_bytes(b"precious")
    with pytest.raises(UserInputError, match="already exists"):
        build_demo_project(path)
    assert path.read_bytes() == b"precious"


def test_unknown_language_is_a_user_error(tmp_path: Path) -> None:
    with pytest.raises(UserInputError, match="no demo"):
        build_demo_project(tmp_path / "x.bertdesk", "fr")
    assert not (tmp_path / "x.bertdesk").exists()
