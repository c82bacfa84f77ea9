"""The training panel: pick a model and settings, check the data, press Start, watch it learn.

Left, the choices: base model (with a vocabulary-coverage check each time one is picked),
preset and advanced settings, what the run will use (device, texts per label and split) and
any problem that would stop a run, each with its fix where there is one; under them, always in
sight however tall the form grows, Start, Stop and Resume (a stopped run carries on from the
step it stopped at). Right, the live run: the phase it is in, progress with samples per second
and time left, and the curves.

The engine's ``train`` runs as a background job. Its callback only appends plain dicts to a
buffer under a lock (on the worker thread); the job's 100 ms tick drains the buffer on the GUI
thread and redraws once, so the window stays responsive whatever the step rate.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QPushButton,
    QScrollArea,
    QSizePolicy,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from bertdesk.core import BertdeskError, CancelToken, ProgressCallback, RunId, RunStatus, Sentence, Split
from bertdesk.gui.common.errors import error_text, joined_sentences, show_user_error, translated_text
from bertdesk.gui.common.jobs import BackgroundJob
from bertdesk.gui.common.bidi import isolated
from bertdesk.gui.common.label_names import short_label_name
from bertdesk.gui.common.session import ProjectSession
from bertdesk.gui.common.style import ERROR_COLOUR, WARNING_COLOUR
from bertdesk.gui.training.live_events import EventBuffer
from bertdesk.gui.training.live_view import LiveRunView
from bertdesk.gui.training.pretrain_panel import PretrainDialog
from bertdesk.gui.training.train_curves import TrainingCurves
from bertdesk.gui.training.train_models import FAST_SPEC, BaseModelPicker
from bertdesk.gui.training.train_settings import TrainSettings
from bertdesk.ml.models.fast import BASELINE_FITTING
from bertdesk.ml.training import (
    HELD_OUT_SEEN,
    LOADING,
    PREPARING,
    READING,
    RESUMING,
    STILL_IMPROVING,
    STILL_IMPROVING_AT_TIME_LIMIT,
    TRAINING,
    VALIDATION_SET_ASIDE,
    can_resume,
    single_text_labels_note,
    training_data_problems,
)
from bertdesk.ops import OpChanges, OpResult, delete_label, make_splits, run_ended
from bertdesk.store import ProjectStats

COVERAGE_SAMPLE = 500  # texts the coverage check tokenises: enough to tell a language apart
PHASES = (PREPARING, LOADING, READING, RESUMING, TRAINING, BASELINE_FITTING)  # the status line shows them


def show_check_failure(label: QLabel, error: BaseException) -> None:
    """A background check's failure, in the user's words and the error colour, where its result shows."""
    label.setStyleSheet(f"color: {ERROR_COLOUR};")
    label.setText(error_text(error))


class TrainPanel(QWidget):
    """Everything needed to start, watch and stop a training run on one project."""

    run_finished = Signal(object)  # RunId of a run that ended (finished, cancelled or failed)

    def __init__(self, session: ProjectSession, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        # Changes go through the session, which tells every view; the counts are the ones it
        # keeps current off the GUI thread, so Start never counts a large project itself.
        self.session = session
        self.project = session.project
        self.split_set_aside = False  # the running run set validation texts aside
        self.still_improving = ""  # the run's "still improving" message, for the final status
        self.job: Optional[BackgroundJob[Any]] = None
        # The model checks still running: the last for the model picked now, earlier ones
        # cancelled for a later pick (they may end with a result anyway, which is not shown).
        self.coverage_jobs: list[BackgroundJob[Any]] = []
        self.device_job: Optional[BackgroundJob[Any]] = None
        self.events: Optional[EventBuffer] = None
        self.history: list[dict[str, Any]] = []
        self.last_result: Optional[Any] = None
        self.last_step: Optional[dict[str, Any]] = None
        self.resumable_run: Optional[RunId] = None  # the latest stopped run with a checkpoint
        self.problems: list[Sentence] = []
        self._prepared = False

        self.models = BaseModelPicker()
        self.coverage_label = QLabel()
        self.coverage_label.setWordWrap(True)
        self.pretrain_button = QPushButton(self.tr("Adapt the model to your texts first…"))
        self.pretrain_button.setToolTip(self.tr(
            "Lets the model read all your texts, labelled or not, before it learns the labels; "
            "the adapted model is then offered here."
        ))
        self.pretraining: Optional[PretrainDialog] = None  # made when first opened
        self.settings = TrainSettings()
        self.device_label = QLabel(self.tr("Device: checking…"))
        self.device_label.setWordWrap(True)
        self.counts = QTableWidget(0, 3)
        self.counts.setHorizontalHeaderLabels([self.tr("Label"), self.tr("Training"), self.tr("Validation")])
        self.counts.verticalHeader().setVisible(False)
        self.counts.horizontalHeader().setStretchLastSection(True)
        self.counts.setEditTriggers(QTableWidget.EditTrigger.NoEditTriggers)
        self.problems_label = QLabel()
        self.problems_label.setWordWrap(True)
        # Its sentences quote label names: one too long to wrap is cut at the edge rather than
        # widening the window past the screen.
        self.problems_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)
        self.problems_label.setStyleSheet(f"color: {ERROR_COLOUR};")
        self.split_button = QPushButton(self.tr("Make a validation split"))
        self.split_button.setToolTip(self.tr(
            "Sets aside 10 % of each label's texts for validation and 10 % for testing, so the "
            "run can measure how well it does on texts it has not seen."
        ))
        self.delete_empty_button = QPushButton(self.tr("Delete labels with no texts"))
        self.start_button = QPushButton(self.tr("Start training"))
        self.start_button.setDefault(True)
        self.stop_button = QPushButton(self.tr("Stop"))
        self.stop_button.setToolTip(self.tr("Stops after the current step and keeps the best model so far."))
        self.stop_button.setEnabled(False)
        self.resume_button = QPushButton()
        self.resume_button.setToolTip(self.tr(
            "Carries the stopped run on from the step it stopped at, with its own settings."
        ))

        model_box = QGroupBox(self.tr("1. Base model"))
        model_layout = QVBoxLayout(model_box)
        model_layout.addWidget(self.models)
        model_layout.addWidget(self.coverage_label)
        model_layout.addWidget(self.pretrain_button, 0, Qt.AlignmentFlag.AlignLeft)
        settings_box = QGroupBox(self.tr("2. Settings"))
        QVBoxLayout(settings_box).addWidget(self.settings)
        data_box = QGroupBox(self.tr("3. What the run will use"))
        data_layout = QVBoxLayout(data_box)
        data_layout.addWidget(self.device_label)
        data_layout.addWidget(self.counts)
        data_layout.addWidget(self.problems_label)
        fixes = QHBoxLayout()
        fixes.addWidget(self.split_button)
        fixes.addWidget(self.delete_empty_button)
        fixes.addStretch()
        data_layout.addLayout(fixes)
        choices = QWidget()
        choices_layout = QVBoxLayout(choices)
        for box in (model_box, settings_box, data_box):
            choices_layout.addWidget(box)
        choices_layout.addStretch(1)
        self.choices_scroll = QScrollArea()
        self.choices_scroll.setWidget(choices)
        self.choices_scroll.setWidgetResizable(True)
        self.choices_scroll.setMinimumWidth(400)
        # The run buttons sit under the scrolled form, so they never scroll out of sight.
        run_buttons = QHBoxLayout()
        run_buttons.addWidget(self.start_button)
        run_buttons.addWidget(self.stop_button)
        run_buttons.addWidget(self.resume_button)
        left = QWidget()
        left_layout = QVBoxLayout(left)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addWidget(self.choices_scroll, 1)
        left_layout.addLayout(run_buttons)

        self.curves = TrainingCurves()
        self.live = LiveRunView(self.curves, log_height=90)
        self.progress, self.speed_label, self.status_label = self.live.progress, self.live.speed_label, self.live.status_label
        self.log = self.live.log
        self.status_label.setText(self.tr("Pick a model and press Start."))
        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(left)
        splitter.addWidget(self.live)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(splitter)

        self.models.model_changed.connect(self.check_coverage)
        self.models.model_changed.connect(lambda spec: self.settings.use_fast_model(spec == FAST_SPEC))
        self.pretrain_button.clicked.connect(self.open_pretraining)
        self.split_button.clicked.connect(self.make_validation_split)
        self.delete_empty_button.clicked.connect(self.delete_empty_labels)
        self.start_button.clicked.connect(self.start)
        self.stop_button.clicked.connect(self.stop)
        self.resume_button.clicked.connect(lambda: self.resume())
        self.find_resumable_run()
        session.stats_changed.connect(self.show_stats)
        self.show_stats(session.stats)

    # ------------------------------------------------------------ preparing
    def showEvent(self, event: Any) -> None:  # noqa: N802 (Qt override)
        """Look for the device and cached models only when the panel is first seen (fast start)."""
        super().showEvent(event)
        if not self.running:
            self.find_resumable_run()  # the run history may have deleted it
        if not self._prepared:
            self._prepared = True
            self.prepare()

    def prepare(self) -> None:
        """Background checks that need torch or the disk: device, cached models, coverage."""
        device_preference = self.settings.values().get("device", "auto")

        def detect(progress: ProgressCallback, cancel: CancelToken) -> Any:
            from bertdesk.ml.device import pick_device

            return pick_device(device_preference)

        self.device_job = BackgroundJob("device", detect, self)
        self.device_job.succeeded.connect(self._show_device)
        # a GPU chosen that is not there
        self.device_job.failed.connect(lambda error: show_check_failure(self.device_label, error))
        self.device_job.start()
        self.models.scan_cache()
        self.models.scan_pretrained(self.project)
        self.check_coverage(self.models.spec())

    def _show_device(self, device: Any) -> None:
        if device.kind == "cpu":
            text = self.tr("Device: CPU ({name}), {threads} threads").format(
                name=device.name, threads=device.threads
            )
        else:
            memory = f"{device.memory_bytes / 1e9:.0f} GB" if device.memory_bytes else "?"
            text = self.tr("Device: {name} ({memory}), {precision}").format(
                name=device.name, memory=memory, precision=device.precision
            )
        self.device_label.setText(text)

    def check_coverage(self, spec: str) -> None:
        """Tokenise a sample of the project's texts with the picked model; warn in plain words."""
        for earlier in self.coverage_jobs:
            earlier.cancel()
        self.coverage_jobs = [earlier for earlier in self.coverage_jobs if earlier.running]
        if spec == FAST_SPEC:  # no vocabulary: it learns the words and characters of the texts
            self.coverage_label.setStyleSheet("color: #1d6b2f;")
            self.coverage_label.setText("✓ " + self.tr(
                "The fast model reads any language: it learns the words and characters of your "
                "texts. It trains in seconds."
            ))
            return
        project = self.project
        max_length = int(self.settings.values().get("max_length", 128))

        def work(progress: ProgressCallback, cancel: CancelToken) -> tuple[Any, Any]:
            from bertdesk.ml.coverage import choose_builtin_model, vocabulary_coverage
            from bertdesk.ml.sources import AUTO_MODEL, resolve_model

            texts = [text for _id, text, _labels, _split in project.labelled_examples()]
            choice = choose_builtin_model(texts) if spec == AUTO_MODEL else None
            # The multilingual model is converted here on its first use (seconds, once).
            folder = resolve_model(choice.spec if choice else spec, progress, cancel, allow_download=False,
                                   project_runs_dir=project.runs_dir)
            cancel.raise_if_cancelled()
            return choice, vocabulary_coverage(folder, texts, max_length, sample=COVERAGE_SAMPLE)

        self.coverage_label.setStyleSheet("")
        self.coverage_label.setText(self.tr("Checking how well this model knows your texts…"))
        job = BackgroundJob("coverage", work, self)

        def if_still_current(show: Callable[[Any], None]) -> Callable[[Any], None]:
            return lambda outcome: show(outcome) if not job.cancel_token.cancelled else None

        job.succeeded.connect(if_still_current(self._show_coverage))
        job.failed.connect(if_still_current(lambda error: show_check_failure(self.coverage_label, error)))
        self.coverage_jobs.append(job)
        job.start()

    def _show_coverage(self, result: tuple[Any, Any]) -> None:
        choice, report = result
        if report.texts_checked == 0:
            self.coverage_label.setText(self.tr("No labelled texts yet to check the model against."))
            return
        # Automatic: which built-in model the run will start from, and why.
        chosen = "" if choice is None else translated_text(choice.reason)
        if report.warning:
            self.coverage_label.setStyleSheet(f"color: {WARNING_COLOUR};")
            self.coverage_label.setText("⚠ " + joined_sentences(
                chosen, translated_text(report.warning), translated_text(report.suggestion or "")))
            return
        known = self.tr("The model knows {known:.0%} of the words in your texts.").format(known=1.0 - report.unk_rate)
        cut = "" if report.truncated_rate <= 0.05 else self.tr(
            "{share:.0%} of the texts are longer than the max length and will be cut.").format(
                share=report.truncated_rate)
        self.coverage_label.setStyleSheet("color: #1d6b2f;")
        self.coverage_label.setText("✓ " + joined_sentences(chosen, known, cut))

    def show_stats(self, stats: ProjectStats) -> None:
        """Counts per label and split, and the guard-rail problems they give."""
        self.counts.setRowCount(len(stats.labels))
        for row, label in enumerate(stats.labels):
            splits = stats.per_label_split.get(label.id, {})
            # A run trains on the texts in no split too, so they count as training here.
            training = splits.get(Split.TRAIN, 0) + splits.get(Split.UNASSIGNED, 0)
            cells = [label.name, f"{training:,}", f"{splits.get(Split.VALIDATION, 0):,}"]
            for column, value in enumerate(cells):
                self.counts.setItem(row, column, QTableWidgetItem(value))
        self.counts.resizeRowsToContents()
        shown_rows = min(self.counts.rowCount(), 8)  # a scroll bar beyond eight labels
        self.counts.setFixedHeight(
            self.counts.horizontalHeader().height() + 2 * self.counts.frameWidth()
            + sum(self.counts.rowHeight(row) for row in range(shown_rows))
        )
        texts_per_label = stats.per_label_name()
        self.problems = training_data_problems(texts_per_label)
        no_validation = not any(s.get(Split.VALIDATION) for s in stats.per_label_split.values())
        empty_labels = [label_id for label_id, count in stats.per_label.items() if count == 0]
        single_text_note = single_text_labels_note(texts_per_label)
        notes = [translated_text(sentence) for sentence in [*self.problems, single_text_note] if sentence]
        if no_validation and stats.labelled:
            notes.append(self.tr(
                "No texts are set aside for validation: the run will set aside some of the "
                "training texts itself. Make a split to keep the same ones for every run."
            ))
        self.problems_label.setText("\n".join(f"• {note}" for note in notes))
        # The problems sit below the label counts, out of sight with many labels: the disabled
        # Start button says them too.
        self.start_button.setToolTip("\n".join(
            f"• {translated_text(problem)}" for problem in self.problems))
        self.problems_label.setVisible(bool(notes))
        self.split_button.setVisible(no_validation and stats.labelled > 0)
        self.delete_empty_button.setVisible(bool(empty_labels))
        self._update_buttons()

    def make_validation_split(self) -> None:
        """The offered fix for "no validation texts": a stratified split of the labelled texts,
        made in the background (``run_op_in_background``)."""
        if self.session.op_running:
            return
        unassigned = self.session.stats.per_split.get(Split.UNASSIGNED, 0)
        if not unassigned:
            answer = QMessageBox.question(
                self, self.tr("Make a validation split"),
                self.tr("Every labelled text already belongs to a split. Split them all anew "
                        "(80 % training, 10 % validation, 10 % test)?"),
            )
            if answer != QMessageBox.StandardButton.Yes:
                return
        self.split_button.setEnabled(False)
        self.status_label.setText(self.tr("Making splits…"))
        self.session.run_op_in_background(
            make_splits, 0.8, 0.1, 0.1, 0, bool(unassigned), done=self._validation_split_made,
            failed=self._validation_split_failed)

    def _validation_split_made(self, outcome: OpResult[dict[Split, int]]) -> None:
        self.split_button.setEnabled(True)
        counts = outcome.value
        self.status_label.setText(self.tr(
            "Split made: {train} training, {validation} validation, {test} test texts."
        ).format(train=counts[Split.TRAIN], validation=counts[Split.VALIDATION], test=counts[Split.TEST]))

    def _validation_split_failed(self, error: BaseException) -> None:
        self.split_button.setEnabled(True)
        self.status_label.clear()
        show_user_error(self, error)

    def delete_empty_labels(self) -> None:
        """The offered fix for "a label with no examples" (nothing is lost: it has no texts)."""
        usage = self.session.stats.per_label
        empty = [label for label in self.project.labels() if usage.get(label.id, 0) == 0]
        names = ", ".join(isolated(short_label_name(label.name)) for label in empty)
        answer = QMessageBox.question(
            self, self.tr("Delete empty labels"),
            self.tr("Delete the labels no text carries: {names}?").format(names=names),
        )
        if answer == QMessageBox.StandardButton.Yes:
            for label in empty:
                self.session.run_op(delete_label, label.id)

    def open_pretraining(self) -> PretrainDialog:
        """The pretraining dialog, offering the base models listed here; a model it keeps is
        added to them and chosen."""
        if self.pretraining is None:
            self.pretraining = PretrainDialog(self.session, self)
            self.pretraining.model_ready.connect(lambda model: self.models.add_pretrained(model, select=True))
        if not self.pretraining.running:
            self.pretraining.set_base_models(self.models.base_models(), self.models.spec())
        self.pretraining.show()
        self.pretraining.raise_()
        return self.pretraining

    # ------------------------------------------------------------------ run
    @property
    def running(self) -> bool:
        return self.job is not None and self.job.running

    def _update_buttons(self) -> None:
        running = self.running
        self.start_button.setEnabled(not running and not self.problems)
        self.stop_button.setEnabled(running)
        self.resume_button.setVisible(self.resumable_run is not None and not running)
        self.resume_button.setEnabled(not self.problems)
        for widget in (self.models, self.settings, self.split_button, self.delete_empty_button):
            widget.setEnabled(not running)

    def find_resumable_run(self) -> None:
        """The latest stopped run that can carry on, offered by the Resume button."""
        self.resumable_run = next((
            run.id for run in reversed(self.project.runs())
            if run.status is RunStatus.CANCELLED and can_resume(self.project, run.id)
        ), None)
        if self.resumable_run is not None:
            self.resume_button.setText(self.tr("Resume run #{run}").format(run=self.resumable_run))
        self._update_buttons()

    def _blocked(self) -> bool:
        """If a guard rail says a run cannot work, say why and return True. The counts are the
        session's, at most a moment old; the engine checks the data again as it starts."""
        if self.problems:
            QMessageBox.warning(
                self, self.tr("Training cannot start yet"),
                "\n".join(f"• {problem}" for problem in self.problems),
            )
        return bool(self.problems)

    def start(self) -> None:
        """Start a run with the shown choices, unless a guard rail says it cannot work."""
        if self.running or self._blocked():
            return
        self._launch(self.settings.config(self.models.spec()))

    def resume(self, run_id: Optional[RunId] = None) -> None:
        """Carry a stopped run (the latest unless told which) on from its checkpoint, as
        ``bertdesk train --resume`` does."""
        if self.running:
            return
        chosen = run_id if run_id is not None else self.resumable_run
        self.find_resumable_run()  # the run history may have deleted runs meanwhile
        if chosen is None or not can_resume(self.project, chosen) or self._blocked():
            return
        from bertdesk.ml.config import TrainConfig

        run = self.project.run(chosen)
        # The engine trains with the run's own settings; its curves so far stay in view.
        self._launch(TrainConfig.from_dict(run.params.get("config", {})), chosen, run.history)

    def _launch(
        self, config: Any, resume_run: Optional[RunId] = None,
        history: Optional[list[dict[str, Any]]] = None,
    ) -> None:
        from bertdesk.ml.models import train_model

        project = self.project
        events = EventBuffer()

        def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
            return train_model(project, config, events, cancel, resume_run=resume_run)

        self.events = events
        self.split_set_aside = False
        self.still_improving = ""
        self.history = list(history or [])
        self.last_result = None
        self.last_step = None
        self.curves.show_live(self.history)
        self.log.clear()
        self.progress.setRange(0, 0)  # busy until the first step says how many there are
        self.progress.setFormat(self.tr("Preparing…"))
        self.speed_label.clear()
        self.status_label.setText(self.engine_message_text(Sentence(PREPARING)) + "…")
        self.job = BackgroundJob("training", work, self)
        self.job.ticked.connect(self._drain)
        self.job.succeeded.connect(self._finished)
        self.job.failed.connect(self._crashed)
        self.job.cancelled.connect(self._stopped_before_run)
        self.job.start()
        self._update_buttons()

    def stop(self) -> None:
        """Ask the run to end after the current step; it keeps its best checkpoint."""
        if self.running and self.job is not None:
            self.job.cancel()
            self.stop_button.setEnabled(False)
            self.status_label.setText(self.tr("Stopping after the current step…"))
            self._show_progress()  # without the time left: it is stopping

    def engine_message_text(self, message: str) -> str:
        """The engine's message in the interface language (English as it came otherwise)."""
        # The engine's own wording of these names a command; here the menu does the same.
        in_the_app = {
            HELD_OUT_SEEN[Split.VALIDATION]: self.tr(
                "Warning: {count} of the {total} validation texts appear word for word inside training texts, "
                "so the run picks its best model on texts it has partly seen. To keep them apart, split again: "
                "Labels ▸ Make splits…, with “Split every labelled text anew”."),
            HELD_OUT_SEEN[Split.TEST]: self.tr(
                "Warning: {count} of the {total} test texts appear word for word inside training texts, so the "
                "test score will look better than on new texts. To keep them apart, split again: "
                "Labels ▸ Make splits…, with “Split every labelled text anew”."),
        }
        if isinstance(message, Sentence) and message.template in in_the_app:
            return in_the_app[message.template].format(**message.values)
        return translated_text(message)

    def _drain(self) -> None:
        if self.events is None:
            return
        events, messages = self.events.drain()
        for message in messages:
            self.split_set_aside |= getattr(message, "template", None) == VALIDATION_SET_ASIDE
            text = self.engine_message_text(message)
            self.log.appendPlainText(text)
            if getattr(message, "template", None) in (STILL_IMPROVING, STILL_IMPROVING_AT_TIME_LIMIT):
                self.still_improving = text
            if getattr(message, "template", None) in PHASES and not self.stopping:
                self.status_label.setText(text + "…")
        if not events:
            return
        # Steps between two loss readings only move the progress bar (the run's history skips them).
        logged = [event for event in events if event.get("logged", True)]
        self.history.extend(logged)
        steps = [event for event in events if event["type"] == "step"]
        if steps:
            self.last_step = steps[-1]
            self._show_progress()
        if not self.stopping:
            self.status_label.setText(self._run_status())
        self.curves.append_live(logged)

    @property
    def stopping(self) -> bool:
        """Stop was pressed and the run has not ended yet."""
        return self.job is not None and self.job.cancel_token.cancelled

    def _run_status(self) -> str:
        """The last evaluation's scores, or when the first one will come."""
        metrics = next((event for event in reversed(self.history) if event["type"] == "eval"), None)
        if metrics is not None:
            return self.tr(
                "Last evaluation: accuracy {accuracy:.1%}, macro-F1 {macro:.1%}, validation loss {loss:.3f}"
            ).format(
                accuracy=metrics.get("accuracy", 0.0), macro=metrics.get("macro_f1", 0.0),
                loss=metrics.get("loss", 0.0),
            )
        if self.last_step is None:
            return self.status_label.text()
        return self.tr(
            "Training. The first scores on the validation texts come at step {step}."
        ).format(step=self.last_step["next_evaluation"])

    def _show_progress(self, time_left: bool = True) -> None:
        """The last step: the bar, its speed, epoch and loss; the time left only while the run goes on."""
        step = self.last_step
        if step is None:
            self.speed_label.clear()
            return
        self.live.show_step(step, self.tr("{speed:.1f} texts/s · epoch {epoch:.2f} · loss {loss:.3f}").format(
            speed=step["samples_per_second"], epoch=step["epoch"], loss=step["loss"]
        ), time_left and not self.stopping)

    def _end_run(self) -> None:
        self._drain()
        self._show_progress(time_left=False)
        if self.progress.maximum() == 0:  # ended before its first step
            self.live.show_not_started()
        self.find_resumable_run()
        if self.split_set_aside:  # a run without validation texts set some aside
            self.session.refresh(OpChanges(all_examples=True, splits=True, counts=True))

    def _finished(self, result: Any) -> None:
        self.last_result = result
        self._end_run()
        metrics = result.metrics or {}
        if result.status is RunStatus.FINISHED:
            self.live.show_finished()
            self.status_label.setText(self.tr(
                "Finished run #{run}: accuracy {accuracy:.1%}, macro-F1 {macro:.1%} on the validation texts."
            ).format(run=result.run_id, accuracy=metrics.get("accuracy", 0.0), macro=metrics.get("macro_f1", 0.0))
                + (f"\n{self.still_improving}" if self.still_improving else "")
                + self._baseline_text(metrics))
        elif result.status is RunStatus.CANCELLED:
            self.status_label.setText(self.tr(
                "Stopped. Run #{run} keeps the best model it reached; Resume carries it on."
            ).format(run=result.run_id))
        else:
            self.status_label.setText(self.tr("Run #{run} failed.").format(run=result.run_id))
            QMessageBox.critical(
                self, self.tr("Training failed"),
                (result.error or self.tr("The run stopped with an unknown error.")) + "\n\n" + self.tr(
                    "The project is unchanged. You can change the settings (for example a "
                    "smaller batch size or a shorter max length) and start again."
                ),
            )
        self.session.run_op(run_ended, RunId(result.run_id))
        self.run_finished.emit(RunId(result.run_id))

    def _baseline_text(self, metrics: dict[str, Any]) -> str:
        """The fast baseline's scores beside the run's, and what to try when the run is not
        better; empty when the run has no baseline (a fast run, or the baseline failed)."""
        from bertdesk.ml.models.fast import BASELINE_NOT_BEATEN, beats_baseline

        baseline = metrics.get("baseline")
        if not isinstance(baseline, dict):
            return ""
        text = "\n" + self.tr(
            "Fast baseline (TF-IDF + linear) on the same texts: accuracy {accuracy:.1%}, macro-F1 {macro:.1%}."
        ).format(accuracy=baseline.get("accuracy", 0.0), macro=baseline.get("macro_f1", 0.0))
        if beats_baseline(metrics) is False:
            text += "\n" + translated_text(BASELINE_NOT_BEATEN)
        return text

    def _crashed(self, error: BaseException) -> None:
        self._end_run()
        self.status_label.setText(self.tr("Training did not start."))
        if isinstance(error, BertdeskError):
            QMessageBox.warning(self, self.tr("Training cannot start"), error_text(error))
        else:
            QMessageBox.critical(
                self, self.tr("Training failed"),
                self.tr("Something went wrong: {error}").format(error=error) + "\n\n"
                + self.tr("The details are in the log file. Try again, or with a smaller batch size."),
            )

    def _stopped_before_run(self) -> None:
        self._end_run()
        self.status_label.setText(self.tr("Stopped before the first step."))

    # -------------------------------------------------------------- closing
    def confirm_close(self) -> bool:
        """Closing the window or the project: ask during a run, then stop it cleanly."""
        if not self.running and not (self.pretraining and self.pretraining.running):
            self.shutdown()
            return True
        answer = QMessageBox.question(
            self, self.tr("Training is running"),
            self.tr("A training run is in progress. Stop it (the best model so far is kept) and close?"),
        )
        if answer != QMessageBox.StandardButton.Yes:
            return False
        self.shutdown()
        return True

    def shutdown(self) -> None:
        """Stop and join every background job of the panel."""
        for job in (self.job, *self.coverage_jobs, self.device_job):
            if job is not None:
                job.cancel()
                job.wait()
        if self.pretraining is not None:
            self.pretraining.shutdown()
        self.models.shutdown()
