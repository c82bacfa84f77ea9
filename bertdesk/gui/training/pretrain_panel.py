"""Adapting the model to the project's own texts before fine-tuning, from the Train tab.

A dialog opened from the base-model box (at 1200×800 the Train tab has no room for a second
set of curves): where to start from (a base model the tab offers, or from scratch), how long
(epochs or steps, and roughly how much time that is), whether the test texts may be read,
then the live run: the masked-word loss of each step, the held-out perplexity of each
evaluation, progress with the time left, Stop and Resume.

``bertdesk.ml.pretraining.pretrain`` runs in a ``BackgroundJob``; its callback is an
``EventBuffer`` drained on the job's 100 ms tick, so no widget is touched from the worker. A run
that kept a model (finished, or stopped after its first evaluation) is announced by
``model_ready``; the Train tab's model picker then offers it.
"""

from __future__ import annotations

import math
from typing import Any, Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QSpinBox,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from bertdesk.core import BertdeskError, CancelToken, ProgressCallback, RunStatus, Split
from bertdesk.gui.common.errors import error_text, translated_text
from bertdesk.gui.common.jobs import BackgroundJob
from bertdesk.gui.common.session import ProjectSession
from bertdesk.gui.training.live_events import EventBuffer, format_duration
from bertdesk.gui.training.live_view import LiveRunView
from bertdesk.gui.training.train_curves import ACCURACY_COLOR, RUN_COLORS, TrainingCurves, _coloured
from bertdesk.gui.training.train_models import AUTO_SPEC, DEFAULT_SPEC, MULTILINGUAL_SPEC
from bertdesk.ml.pretraining import SCRATCH, PretrainConfig, PretrainedModel, PretrainResult
from bertdesk.ml.pretraining.job import PREPARING, VOCABULARY
from bertdesk.ml.pretraining.scratch import LAYERS, WIDTH
from bertdesk.ml.training import LOADING, RESUMING, TRAINING

PHASES = (PREPARING, VOCABULARY, LOADING, RESUMING, TRAINING)  # the status line shows them
DEFAULTS = PretrainConfig()
# Texts a second on 2 CPU cores, for the rough time shown before a run (the run's own speed
# gives the time left once it goes). From scratch (4 layers × 256): 172 on waimai_10k's texts
# of about 27 pieces (ml/pretraining/scratch.py); the built-ins by their speed against it,
# measured in turn in one process on 2,000 of those texts: 0.5 and 0.14 of it.
CPU_TEXTS_PER_SECOND = {SCRATCH: 170.0, DEFAULT_SPEC: 85.0, MULTILINGUAL_SPEC: 24.0}


def curve_entries(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A pretraining history as the training curves draw it: the steps' loss as it is, and an
    evaluation's perplexity where they draw a validation loss (its accuracy, the share of masked
    words guessed right, where they draw a classifier's)."""
    return [
        {"type": "eval", "step": entry["step"], "loss": entry.get("perplexity", math.nan),
         "accuracy": entry.get("accuracy", math.nan)}
        if entry.get("type") == "eval" else entry
        for entry in history
    ]


class PretrainingCurves(TrainingCurves):
    """The training panel's plots, titled for pretraining (fed through ``curve_entries``)."""

    def _set_titles(self, overlay: bool) -> None:
        titles = (
            self.tr("Masked-word loss: {smoothed}, {raw}").format(
                smoothed=_coloured(self.tr("smoothed"), RUN_COLORS[0]),
                raw=_coloured(self.tr("each step"), "#9bb7d4"),
            ),
            self.tr("Perplexity on held-out texts"),
            self.tr("Held-out {accuracy}").format(
                accuracy=_coloured("● " + self.tr("masked words guessed right"), ACCURACY_COLOR)
            ),
            self.tr("Learning rate"),
        )
        for label, title in zip(self._titles, titles):
            label.setText(title)


class PretrainDialog(QDialog):
    """Pretrain on the project's texts; one run at a time, which goes on while the dialog is closed."""

    model_ready = Signal(object)  # the PretrainedModel a run kept

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Adapt the model to your texts"))
        self.session = session
        self.project = session.project
        self.job: Optional[BackgroundJob[Any]] = None
        self.events: Optional[EventBuffer] = None
        self.last_step: Optional[dict[str, Any]] = None
        self.last_result: Optional[PretrainResult] = None
        self.resumable: Optional[PretrainedModel] = None

        intro = QLabel(self.tr(
            "Before it learns your labels, the model can read all your texts, labelled or not, "
            "and learn their words and style by filling in hidden words. This helps most when "
            "you have many more texts than labels."
        ))
        intro.setWordWrap(True)
        self.base_box = QComboBox()
        self.base_box.setMinimumContentsLength(20)
        self.base_box.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.folder_button = QPushButton(self.tr("Folder…"))
        self.folder_button.setToolTip(self.tr("Start from a Hugging Face model saved in a folder on this computer."))
        base_row = QVBoxLayout()  # the combo on a line of its own: the model names are long
        base_row.addWidget(self.base_box)
        base_row.addWidget(self.folder_button, 0, Qt.AlignmentFlag.AlignLeft)
        self.unit_box = QComboBox()
        self.unit_box.addItem(self.tr("epochs"), "epochs")
        self.unit_box.addItem(self.tr("steps"), "steps")
        self.epochs_input = QDoubleSpinBox()
        self.epochs_input.setRange(0.1, 1000.0)
        self.epochs_input.setSingleStep(1.0)
        self.epochs_input.setDecimals(1)
        self.epochs_input.setValue(DEFAULTS.epochs)
        self.steps_input = QSpinBox()
        self.steps_input.setRange(1, 10_000_000)
        self.steps_input.setSingleStep(100)
        self.steps_input.setVisible(False)
        amount_row = QHBoxLayout()
        amount_row.addWidget(self.epochs_input, 1)
        amount_row.addWidget(self.steps_input, 1)
        amount_row.addWidget(self.unit_box)
        self.amount_label = QLabel()
        self.amount_label.setWordWrap(True)
        self.amount_label.setStyleSheet("color: #555;")
        self.include_test = QCheckBox(self.tr("Include the test split"))
        test_note = QLabel(self.tr(
            "Off by default: a model that has read the test texts scores better on them than on "
            "new texts, so the test score would flatter it."
        ))
        test_note.setWordWrap(True)
        test_note.setStyleSheet("color: #555;")
        form = QFormLayout()
        form.setRowWrapPolicy(QFormLayout.RowWrapPolicy.WrapAllRows)
        form.addRow(self.tr("Start from"), base_row)
        form.addRow(self.tr("How long"), amount_row)
        form.addRow(self.amount_label)
        form.addRow(self.include_test)
        form.addRow(test_note)
        self.start_button = QPushButton(self.tr("Start pretraining"))
        self.start_button.setDefault(True)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stops after the current step and keeps the best model so far."))
        self.resume_button = QPushButton()
        self.resume_button.setToolTip(self.tr("Carries the stopped pretraining on from the step it stopped at."))
        run_buttons = QHBoxLayout()
        run_buttons.addWidget(self.start_button)
        run_buttons.addWidget(self.stop_button)
        run_buttons.addWidget(self.resume_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(intro)
        left_layout.addLayout(form)
        left_layout.addStretch(1)
        left_layout.addLayout(run_buttons)
        left.setMinimumWidth(340)

        self.curves = PretrainingCurves()
        self.live = LiveRunView(self.curves, log_height=80)
        self.progress, self.speed_label, self.status_label = self.live.progress, self.live.speed_label, self.live.status_label
        self.log = self.live.log
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.live)
        splitter.setStretchFactor(1, 1)
        splitter.setSizes([380, 640])
        closing = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        closing.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter, 1)
        layout.addWidget(closing)
        self.resize(1040, 640)
        self._show_idle()

        self.base_box.currentTextChanged.connect(self.base_box.setToolTip)  # a long name in full
        self.folder_button.clicked.connect(self._choose_folder)
        self.unit_box.currentIndexChanged.connect(lambda _index: self._switch_unit())
        for signal in (self.base_box.currentIndexChanged, self.epochs_input.valueChanged,
                       self.steps_input.valueChanged, self.include_test.toggled):
            signal.connect(lambda *_: self._show_amount())
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.resume_button.clicked.connect(self.resume)
        session.stats_changed.connect(lambda _stats: self._show_amount())
        self.find_resumable()

    # ------------------------------------------------------------ choices
    def set_base_models(self, models: list[tuple[str, str]], current: str) -> None:
        """The Train tab's base models (title, spec), the current one chosen, and from scratch."""
        self.base_box.blockSignals(True)
        self.base_box.clear()
        for title, spec in models:
            self.base_box.addItem(title, spec)
        self.base_box.addItem(self.tr("From scratch: a small new BERT ({layers} layers, width {width})")
                              .format(layers=LAYERS, width=WIDTH), SCRATCH)
        index = self.base_box.findData(current)
        self.base_box.setCurrentIndex(index if index >= 0 else max(0, self.base_box.findData(AUTO_SPEC)))
        self.base_box.blockSignals(False)
        self._show_amount()

    def add_base(self, spec: str, title: str) -> None:
        """Add (or find) a base model and choose it."""
        index = self.base_box.findData(spec)
        if index < 0:
            self.base_box.insertItem(self.base_box.count() - 1, title, spec)  # from scratch stays last
            index = self.base_box.findData(spec)
        self.base_box.setCurrentIndex(index)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a model folder"))
        if folder:
            self.add_base(folder, self.tr("Folder: {path}").format(path=folder))

    def base(self) -> str:
        return str(self.base_box.currentData() or AUTO_SPEC)

    def _switch_unit(self) -> None:
        """Epochs or steps: the other input takes over with the same amount of training."""
        steps = self.unit_box.currentData() == "steps"
        per_epoch = self._steps_per_epoch()
        if steps:
            self.steps_input.setValue(max(1, round(self.epochs_input.value() * per_epoch)))
        else:
            self.epochs_input.setValue(max(0.1, self.steps_input.value() / per_epoch))
        self.steps_input.setVisible(steps)
        self.epochs_input.setVisible(not steps)
        self._show_amount()

    def _texts(self) -> int:
        """The texts a run would learn from (the session's counts; the run counts them again)."""
        stats = self.session.stats
        test = 0 if self.include_test.isChecked() else stats.per_split.get(Split.TEST, 0)
        return max(0, stats.total - test)

    def _steps_per_epoch(self) -> int:
        learnt = self._texts() * (1.0 - DEFAULTS.held_out_share)
        return max(1, math.ceil(learnt / DEFAULTS.batch_size))

    def config(self) -> PretrainConfig:
        """The settings the form shows; the rest are the engine's defaults."""
        if self.unit_box.currentData() == "steps":
            return PretrainConfig(base=self.base(), steps=self.steps_input.value(),
                                  include_test=self.include_test.isChecked())
        return PretrainConfig(base=self.base(), epochs=self.epochs_input.value(),
                              include_test=self.include_test.isChecked())

    def _show_amount(self) -> None:
        """What the amount means: steps, passes over the texts, and roughly how long."""
        texts, per_epoch = self._texts(), self._steps_per_epoch()
        config = self.config()
        steps = config.steps or max(1, math.ceil(per_epoch * config.epochs))
        text = self.tr("{steps} steps of {batch} texts: each of about {texts} texts read {passes:.1f} times.").format(
            steps=f"{steps:,}", batch=config.batch_size, texts=f"{texts:,}", passes=steps / per_epoch,
        )
        rate = CPU_TEXTS_PER_SECOND.get(MULTILINGUAL_SPEC if config.base == AUTO_SPEC else config.base)
        if rate is not None:
            text += " " + self.tr("Roughly {time} on a laptop's CPU; the time left shows once it runs.").format(
                time=format_duration(steps * config.batch_size / rate))
        self.amount_label.setText(text)

    # ------------------------------------------------------------------ run
    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    @property
    def stopping(self) -> bool:
        return self.job is not None and self.job.cancel_token.cancelled

    def _update_buttons(self) -> None:
        running = self.running
        self.start_button.setEnabled(not running)
        self.stop_button.setEnabled(running and not self.stopping)
        self.resume_button.setVisible(self.resumable is not None and not running)
        for widget in (self.base_box, self.folder_button, self.unit_box, self.epochs_input,
                       self.steps_input, self.include_test):
            widget.setEnabled(not running)

    def find_resumable(self) -> None:
        """The latest stopped pretraining with a checkpoint, offered by Resume."""
        from bertdesk.ml.pretraining import can_resume_pretraining, pretrained_models

        self.resumable = next((
            model for model in reversed(pretrained_models(self.project))
            if can_resume_pretraining(self.project, model.id)
        ), None)
        if self.resumable is not None:
            self.resume_button.setText(self.tr("Resume #{id}").format(id=self.resumable.id))
        self._update_buttons()

    def start(self) -> None:
        if not self.running:
            self._launch(self.config(), None, [])

    def resume(self) -> None:
        """Carry the stopped run on with its own settings; its curves so far stay in view."""
        self.find_resumable()
        if not self.running and self.resumable is not None:
            self._launch(None, self.resumable.id, self.resumable.history)

    def _launch(self, config: Optional[PretrainConfig], resume: Optional[str], history: list[dict[str, Any]]) -> None:
        from bertdesk.ml.pretraining import pretrain

        project, events = self.project, EventBuffer()

        def work(progress: ProgressCallback, cancel: CancelToken) -> PretrainResult:
            """Runs on the worker thread."""
            return pretrain(project, config, events, cancel, progress, resume=resume)

        self.events = events
        self.last_step = None
        self.last_result = None
        self.curves.show_live(curve_entries(history))
        self.log.clear()
        self.progress.setRange(0, 0)  # busy until the first step says how many there are
        self.progress.setFormat(self.tr("Preparing…"))
        self.speed_label.clear()
        self.status_label.setText(self.tr("Preparing…"))
        self.job = BackgroundJob("pretraining", work, self)
        self.job.progressed.connect(self._show_preparing)
        self.job.ticked.connect(self._drain)
        self.job.succeeded.connect(self._finished)
        self.job.failed.connect(self._crashed)
        self.job.cancelled.connect(lambda: self._ended(self.tr("Stopped before the first step.")))
        self.job.start()
        self._update_buttons()

    def stop(self) -> None:
        """Ask the run to end after the current step; it keeps a model and a checkpoint."""
        if self.running and self.job is not None:
            self.job.cancel()
            self.status_label.setText(self.tr("Stopping after the current step…"))
            self._update_buttons()

    def _show_preparing(self, fraction: float, message: str) -> None:
        """A base model downloaded or converted before the first step."""
        if self.last_step is None:
            self.progress.setRange(0, 100)
            self.progress.setValue(round(fraction * 100))
            self.progress.setFormat(translated_text(message))

    def _drain(self) -> None:
        if self.events is None:
            return
        events, messages = self.events.drain()
        for message in messages:
            text = translated_text(message)
            self.log.appendPlainText(text)
            if getattr(message, "template", None) in PHASES and not self.stopping:
                self.status_label.setText(text + "…")
        logged = [event for event in events if event.get("logged", True)]
        steps = [event for event in events if event["type"] == "step"]
        if steps:
            self.last_step = steps[-1]
            self._show_progress()
        evaluation = next((event for event in reversed(events) if event["type"] == "eval"), None)
        if evaluation is not None and not self.stopping:
            self.status_label.setText(self.tr(
                "Held-out texts at step {step}: perplexity {perplexity:.1f}, masked words guessed right {accuracy:.1%}"
            ).format(step=evaluation["step"], perplexity=evaluation["perplexity"], accuracy=evaluation["accuracy"]))
        self.curves.append_live(curve_entries(logged))

    def _show_progress(self) -> None:
        step = self.last_step
        assert step is not None
        self.live.show_step(step, self.tr("{speed:.1f} texts/s · masked-word loss {loss:.3f}").format(
            speed=step["samples_per_second"], loss=step["loss"]), self.running and not self.stopping)

    def _ended(self, status: str) -> None:
        self._drain()
        if self.last_step is None:  # ended before its first step
            self.live.show_not_started()
        else:
            self._show_progress()  # no time left any more
        self.status_label.setText(status)
        self.find_resumable()

    def _finished(self, result: PretrainResult) -> None:
        self.last_result = result
        model = result.model
        description = translated_text(model.description)
        if result.status is RunStatus.FINISHED:
            self._ended(self.tr("Finished: {description}. It is now the base model in the Train tab.")
                        .format(description=description))
            self.live.show_finished()
        elif result.status is RunStatus.CANCELLED:
            self._ended(self.tr("Stopped at step {step}. Resume carries it on.").format(step=model.steps)
                        + (" " + self.tr("The model it kept is offered in the Train tab.") if model.usable else ""))
        else:
            self._ended(self.tr("Pretraining failed."))
            QMessageBox.critical(self, self.tr("Pretraining failed"),
                                 result.error or self.tr("The run stopped with an unknown error."))
        if model.usable and result.status is not RunStatus.FAILED:
            self.model_ready.emit(model)

    def _crashed(self, error: BaseException) -> None:
        self._ended(self.tr("Pretraining did not start."))
        if isinstance(error, BertdeskError):
            QMessageBox.warning(self, self.tr("Pretraining cannot start"), error_text(error))
        else:
            QMessageBox.critical(self, self.tr("Pretraining failed"),
                                 self.tr("Something went wrong: {error}").format(error=error))

    def _show_idle(self) -> None:
        self.live.show_not_started()
        self.status_label.setText(self.tr("Choose where to start from and how long, then press Start pretraining."))
        self.curves.show_live([])

    def shutdown(self) -> None:
        """Stop the run (it keeps a checkpoint to resume from) and join its thread."""
        if self.job is not None:
            self.job.cancel()
            self.job.wait()
