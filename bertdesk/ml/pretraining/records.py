"""The project's pretrained models: one folder each, with a record and a model card.

``<project>.runs/pretrained/<id>/`` holds ``pretraining.json`` (what it started from, the
texts, the settings, the curve, how it ended), ``model/`` (the Hugging Face folder that
fine-tuning starts from, with its README.md card) and, while the run can be resumed, its
checkpoint. The record lives in the folder rather than in the project file, so a model and
what is known about it are copied, moved and deleted together.
"""

from __future__ import annotations

import json
import logging
import os
import shutil
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Optional

from bertdesk.core import RunStatus, Sentence, UserInputError
from bertdesk.core.files import staging_path
from bertdesk.core.owner import check_not_running, status_seen_here
from bertdesk.ml.pretraining.settings import SCRATCH
from bertdesk.ml.sources import PRETRAINED_FOLDER, PRETRAINED_MODEL, PRETRAINED_PREFIX, is_model_folder, pretrained_dir
from bertdesk.store import Project

log = logging.getLogger(__name__)
RECORD_FILE = "pretraining.json"

ADAPTED = "Adapted from {base} on this project's {texts} texts, {steps} steps"
FROM_SCRATCH = "Trained from scratch on this project's {texts} texts, {steps} steps ({layers} layers, width {width})"


@dataclass(frozen=True)
class PretrainedModel:
    """A model pretrained on the project's texts, as the model picker and the CLI list it."""

    id: str
    folder: Path
    status: RunStatus
    base: str  # the model spec it started from, or SCRATCH
    base_name: str
    texts: int  # the texts it learnt from (the held-out ones not counted)
    held_out: int
    test_included: bool
    steps: int
    total_steps: int
    metrics: dict[str, Any]  # the best held-out evaluation: loss, perplexity, accuracy, step
    history: list[dict[str, Any]]  # the loop's steps and evaluations, as a run's
    config: dict[str, Any]
    started_at: float
    finished_at: Optional[float]
    duration_seconds: Optional[float]
    error: Optional[str]
    owner: Optional[dict[str, Any]] = None  # the process that pretrains it (bertdesk.core.owner)

    @property
    def spec(self) -> str:
        """What ``bertdesk train --model`` and ``TrainConfig.model`` take for it."""
        return f"{PRETRAINED_PREFIX}{self.id}"

    @property
    def job(self) -> Sentence:
        """The model as a sentence names it ("Pretrained model 3"), in the UI's language."""
        return Sentence("Pretrained model {model_id}", model_id=self.id)

    @property
    def model_dir(self) -> Path:
        return self.folder / PRETRAINED_MODEL

    @property
    def usable(self) -> bool:
        """A model was kept (finished, or stopped after its first evaluation)."""
        return is_model_folder(self.model_dir)

    @property
    def description(self) -> Sentence:
        if self.base == SCRATCH:
            return Sentence(FROM_SCRATCH, texts=self.texts, steps=self.steps,
                            layers=self.config.get("layers"), width=self.config.get("width"))
        return Sentence(ADAPTED, base=self.base_name, texts=self.texts, steps=self.steps)


def pretrained_models(project: Project) -> list[PretrainedModel]:
    """The project's pretrained models, oldest first (a folder whose record cannot be read is
    left out and logged)."""
    root = project.runs_dir / PRETRAINED_FOLDER
    found = []
    for folder in root.iterdir() if root.is_dir() else []:
        if (folder / RECORD_FILE).is_file():
            try:
                found.append(read_record(folder))
            except UserInputError:
                log.warning("skipping the unreadable pretraining record in %s", folder, exc_info=True)
    return sorted(found, key=lambda model: (len(model.id), model.id))


def pretrained_model(project: Project, model_id: str) -> PretrainedModel:
    folder = pretrained_dir(project.runs_dir, model_id)
    if not (folder / RECORD_FILE).is_file():
        raise UserInputError(
            "This project has no pretrained model {model_id!r}.",
            "See the project's pretrained models with 'bertdesk pretrained PROJECT'.",
            model_id=model_id,
        )
    return read_record(folder)


def deletable_pretrained_models(
    project: Project, model_ids: Sequence[str], force: bool = False,
) -> list[PretrainedModel]:
    """The pretrained models ("3" or "pretrained:3") that ``delete_pretrained_models`` would
    remove; an unknown one or one still pretraining is refused (``force``: see
    ``check_not_running``)."""
    models = [pretrained_model(project, model_id.removeprefix(PRETRAINED_PREFIX)) for model_id in model_ids]
    for model in models:
        check_not_running(model.job, model.status, model.owner, force)
    return models


def delete_pretrained_models(
    project: Project, model_ids: Sequence[str], force: bool = False,
) -> list[PretrainedModel]:
    """Remove these pretrained models with their folders, and return them; nothing is removed
    where one is refused (``deletable_pretrained_models``). Runs fine-tuned from one keep
    their own models (a frozen table they share stays theirs)."""
    models = deletable_pretrained_models(project, model_ids, force)
    for model in models:
        shutil.rmtree(model.folder, ignore_errors=True)
    return models


def new_model_folder(project: Project) -> tuple[str, Path]:
    """An id and an empty folder for the next pretrained model."""
    root = project.runs_dir / PRETRAINED_FOLDER
    root.mkdir(parents=True, exist_ok=True)
    number = 1 + max((int(folder.name) for folder in root.iterdir() if folder.name.isdigit()), default=0)
    while True:
        try:
            (root / str(number)).mkdir()
            return str(number), root / str(number)
        except FileExistsError:  # another process took it meanwhile
            number += 1


def read_record(folder: Path) -> PretrainedModel:
    path = folder / RECORD_FILE
    try:
        return record_from_values(folder, json.loads(path.read_text(encoding="utf-8")))
    except (OSError, ValueError, KeyError, TypeError) as error:
        raise UserInputError(
            "The pretraining record {path} cannot be read: {error}",
            "The folder may be incomplete; delete it and pretrain again.",
            path=path, error=error,
        ) from error


def record_from_values(folder: Path, values: dict[str, Any]) -> PretrainedModel:
    """The record of ``folder`` from the values its file holds (KeyError where one is missing).
    A run whose process ended without writing how reads as stopped (bertdesk.core.owner)."""
    status, error = status_seen_here(RunStatus(values["status"]), values.get("error"), values.get("owner"))
    return PretrainedModel(
        folder.name, folder, status, values["base"], values["base_name"],
        int(values["texts"]), int(values["held_out"]), bool(values["test_included"]),
        int(values.get("steps", 0)), int(values.get("total_steps", 0)), values.get("metrics", {}),
        values.get("history", []), values["config"], float(values["started_at"]),
        values.get("finished_at"), values.get("duration_seconds"), error, values.get("owner"),
    )


def write_record(folder: Path, values: dict[str, Any]) -> None:
    """Replace the record in one rename: a reader never sees half of it."""
    path = folder / RECORD_FILE
    staged = staging_path(path)
    staged.write_text(json.dumps(values, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(staged, path)


def write_model_card(folder: Path, record: PretrainedModel) -> None:
    """README.md beside the weights: what the model learnt from and how well, and how to use it."""
    config, metrics = record.config, record.metrics
    test = ("included (a classifier's test score on them will flatter it)" if record.test_included
            else "left out")
    masking = "whole words" if config.get("whole_words") else "single tokens"
    lines = [
        "---", "library_name: transformers", "pipeline_tag: fill-mask", "tags: [bertdesk]", "---", "",
        "# BERT model pretrained with bertdesk", "", f"{record.description}.", "",
        "## Data", "",
        f"- base: `{record.base}`" + ("" if record.base == SCRATCH else f" ({record.base_name})"),
        f"- texts learnt from: {record.texts} (labelled or not, from the project)",
        f"- held-out texts (loss and perplexity): {record.held_out}",
        f"- the project's test texts: {test}",
        f"- objective: masked language model, {config.get('mask_share', 0.15):.0%} of the tokens "
        f"({masking}; 80 % mask token, 10 % random, 10 % unchanged)"
        + (", and next-sentence prediction" if config.get("next_sentence") else ""),
        f"- steps: {metrics.get('step', record.steps)} of {record.total_steps} (this model: the best held-out loss)",
        "", "## Held-out scores", "",
    ]
    lines += [f"- {key}: {metrics[key]:.4f}" for key in
              ("loss", "perplexity", "accuracy", "next_sentence_accuracy") if key in metrics]
    lines += ["", "## Settings", ""]
    lines += [f"- {key}: {value}" for key, value in sorted(config.items())]
    lines += [
        "", "## Use", "",
        f"Fine-tune a classifier on it: `bertdesk train PROJECT --model {record.spec}` in its project, "
        "or `--model` with this folder anywhere.", "",
    ]
    (folder / "README.md").write_text("\n".join(lines), encoding="utf-8")
