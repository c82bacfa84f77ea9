"""Held-out texts never sit inside training texts: the containment groups, the splits that
deal them out, and the training run's warning about splits that came from elsewhere."""

from __future__ import annotations

import random

import pytest

from bertdesk.core import Split
from bertdesk.ml.config import TrainConfig
from bertdesk.ml import training
from bertdesk.ml.training import HELD_OUT_SEEN, TrainingCallback, snapshot_splits
from bertdesk.store import Project, assign_splits, set_aside_validation
from bertdesk.store.containment import SHARED, containment_groups, counts_inside


def test_a_text_goes_with_the_one_text_that_contains_it() -> None:
    texts = [
        "A dull, lifeless film.",           # 0: a root
        "dull",                             # inside 0 only
        "lifeless film",                    # inside 0 only
        "film",                             # inside 0 and 5: shared
        "Great fun from start to finish",   # 4: a root
        "Another film.",                    # 5: a root
        "great fun",                        # inside 4
        "GREAT   fun",                      # the same text once case and spaces are folded
        "一部很好看的电影",                    # 8: a root
        "好看",                              # inside 8 (shorter than the index's n-grams)
        "电",                                # inside 8
        "Same text.",                       # 11: identical to the next, no container
        "same text.",
    ]
    assert containment_groups(texts) == [0, 0, 0, SHARED, 4, 5, 4, 4, 8, 8, 8, 11, 11]


def test_counts_inside_folds_case_and_spaces() -> None:
    training = ["The service was slow", "味道不错，送餐很快"]
    assert counts_inside([["service  WAS", "fast"], ["送餐很快", "很慢"], []], training) == [1, 1, 0]


def sentences_with_their_phrases(project: Project, sentences: int = 60) -> None:
    """SST-2's shape: each sentence labelled, and several of its phrases labelled too."""
    rng = random.Random(1)
    words = "good bad plot acting score pace cast story ending scenes music light".split()
    with project.bulk_writer() as writer:
        labels = [writer.label_id("negative"), writer.label_id("positive")]
        for index in range(sentences):
            sentence = f"sentence {index:03d} " + " ".join(rng.choices(words, k=8))
            writer.add(sentence, label_ids=[labels[index % 2]])
            tokens = sentence.split()
            for start in range(2, 7, 2):
                writer.add(" ".join(tokens[:start]), label_ids=[labels[index % 2]])
        writer.add("good", label_ids=[labels[1]])  # inside many sentences: trains


def held_out_inside_training(project: Project) -> int:
    examples = project.labelled_examples()
    training = [text for _, text, _, split in examples if split is Split.TRAIN]
    held_out = [text for _, text, _, split in examples if split in (Split.VALIDATION, Split.TEST)]
    return counts_inside([held_out], training)[0]


def test_set_aside_validation_keeps_each_sentence_with_its_phrases(project: Project) -> None:
    sentences_with_their_phrases(project)
    moved = set_aside_validation(project, 0.2, seed=0)
    assert 40 <= moved <= 56  # a fifth of 241 texts, dealt in groups of four
    assert held_out_inside_training(project) == 0
    splits = {text: split for _, text, _, split in project.labelled_examples()}
    assert splits["good"] is Split.TRAIN
    for text, split in splits.items():
        if text.startswith("sentence") and split is Split.VALIDATION:
            assert splits[" ".join(text.split()[:2])] is Split.VALIDATION  # its shortest phrase


def test_a_text_inside_a_kept_training_text_trains(project: Project) -> None:
    with project.bulk_writer() as writer:
        label = writer.label_id("topic")
        writer.add("the whole review, kept in training", Split.TRAIN, [label])
        writer.add("the whole review", label_ids=[label])
        writer.add("another review", label_ids=[label])
    counts = assign_splits(project, train=0.0, validation=0.5, test=0.5, seed=0)
    assert counts == {Split.TRAIN: 1, Split.VALIDATION: 1, Split.TEST: 0}
    assert held_out_inside_training(project) == 0


class Messages(TrainingCallback):
    def __init__(self) -> None:
        self.templates: list[str] = []

    def on_message(self, text: str) -> None:
        self.templates.append(getattr(text, "template", text))


def test_training_warns_when_test_texts_sit_inside_training_texts(
    project: Project, monkeypatch: pytest.MonkeyPatch,
) -> None:
    with project.bulk_writer() as writer:
        labels = [writer.label_id("negative"), writer.label_id("positive")]
        for index in range(40):
            writer.add(f"review number {index} of the shop", Split.TRAIN, [labels[index % 2]])
            writer.add(f"held out {index}", Split.VALIDATION, [labels[index % 2]])
        writer.add("number 7 of the", Split.TEST, [labels[0]])  # inside a training text
        writer.add("a test text of its own", Split.TEST, [labels[1]])
    messages = Messages()
    snapshot_splits(project, TrainConfig(), messages)
    assert messages.templates == [HELD_OUT_SEEN[Split.TEST]]
    unheard = Messages()
    unheard.hears_split = False  # a cross-validation fold's: nobody to tell, nothing looked for
    with monkeypatch.context() as patched:
        patched.setattr(training, "counts_inside", lambda *args: pytest.fail("looked for seen texts"))
        snapshot_splits(project, TrainConfig(), unheard)
    assert unheard.templates == []
    project.set_split([project.labelled_examples([Split.TEST])[0][0]], Split.TRAIN)
    messages = Messages()
    snapshot_splits(project, TrainConfig(), messages)
    assert messages.templates == []


def test_beyond_the_size_limit_only_identical_texts_are_grouped(monkeypatch: pytest.MonkeyPatch) -> None:
    import bertdesk.store.containment as containment

    texts = ["a whole sentence", "whole sentence", "A whole  sentence"]
    assert containment_groups(texts) == [0, 0, 0]
    monkeypatch.setattr(containment, "MAX_CHARACTERS", 20)
    assert containment_groups(texts) == [0, 1, 0]
    assert counts_inside([texts], texts) == [None]
