"""The prediction tab: type a text and see, as you type, what the model says and why.

Typing restarts a 250 ms timer; when it fires the text goes to a ``PredictionEngine``, which
runs the model on a background job and then, if "Show why" is on, the explanation on another.
The engine runs one job at a time and keeps only the newest text waiting, so fast typing never
piles work up, and answers for a text that is no longer in the box are dropped. The GUI thread
only paints.

Beside it: the texts tried in this session, "add to the project with this label" for a text
the model got wrong, and buttons for batch prediction and model export.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any, Callable, Optional

from PySide6.QtCore import QObject, QRectF, QSize, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QPainter, QPalette
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QFileDialog,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QSizePolicy,
    QSplitter,
    QVBoxLayout,
    QWidget,
)

from bertdesk.core import BertdeskError, RunId, UserInputError
from bertdesk.gui.common.label_names import fit_label_combo, some_label_names
from bertdesk.gui.common.errors import error_text
from bertdesk.gui.common.style import WARNING_COLOUR
from bertdesk.gui.prediction.explanation_view import ExplanationView
from bertdesk.gui.common.session import ProjectSession
from bertdesk.gui.common.jobs import BackgroundJob
from bertdesk.ml.coverage import GUESS_WARNING
from bertdesk.ops import OpChanges
from bertdesk.store import Project

log = logging.getLogger(__name__)

TYPING_PAUSE_MS = 250  # a prediction starts once typing pauses this long
SETTLED_MS = 1500  # a text that stays this long after its answer goes into the history
EXPLAIN_STEPS = 16  # integrated-gradient steps: about a second for a sentence on a laptop CPU
HISTORY_LIMIT = 200
LISTED_LABELS = 8  # label names in the model line; all of them in its tooltip
VERY_SURE = 0.9
FAIRLY_SURE = 0.7


class PredictionEngine(QObject):
    """Owns the loaded ``Predictor`` and runs it on background jobs, one job at a time.

    ``request(text)`` only records the newest text; the engine predicts it when idle, then
    explains it when explanations are on, so a fast typist never piles work up. Results
    arrive as signals on the GUI thread with the text they belong to; results for an older
    text are never emitted.
    """

    loaded = Signal(list)  # the model's label names
    load_failed = Signal(str)
    predicted = Signal(str, object)  # text, TextPrediction
    explained = Signal(str, object)  # text, Explanation
    failed = Signal(str, str)  # text, message

    def __init__(self, parent: Optional[QObject] = None) -> None:
        super().__init__(parent)
        self.predictor: Any = None
        self.explanations_on = True
        self._folder_to_load: Optional[Path] = None
        self._wanted = ""
        self._predicted: Optional[tuple[str, Any]] = None
        self._explained_text: Optional[str] = None
        self._job: Optional[BackgroundJob[Any]] = None
        self._finished_job: Optional[BackgroundJob[Any]] = None
        self._job_text: Optional[str] = None
        self._generation = 0  # bumped by each load: answers of a replaced model are dropped
        self._closed = False

    def load(self, folder: Path) -> None:
        """Load the model in ``folder`` in the background, replacing the current one."""
        self._folder_to_load = Path(folder)
        self._generation += 1
        self.predictor = None
        self._predicted = None
        self._explained_text = None
        self._cancel_job()
        self._pump()

    def request(self, text: str) -> None:
        """Make ``text`` the one to answer next; work in progress for another is cut short."""
        self._wanted = text
        if self._job_text is not None and self._job_text != text:
            self._cancel_job()
        self._pump()

    def set_explanations_on(self, on: bool) -> None:
        self.explanations_on = on
        self._pump()

    def shutdown(self) -> None:
        """Stop and join the running job (closing the tab, ending a test)."""
        self._closed = True
        if self._job is not None:
            self._job.cancel()
            self._job.wait()

    # ------------------------------------------------------------------ internal
    def _cancel_job(self) -> None:
        if self._job is not None:
            self._job.cancel()

    def _pump(self) -> None:
        """Start the next piece of work, if any and if idle."""
        if self._closed or self._job is not None:
            return
        if self._folder_to_load is not None:
            folder, self._folder_to_load = self._folder_to_load, None
            self._start("load", None, lambda progress, cancel: _load_predictor(folder))
            return
        if self.predictor is None or not self._wanted.strip():
            return
        text, predictor = self._wanted, self.predictor
        if self._predicted is None or self._predicted[0] != text:
            self._start("predict", text, lambda progress, cancel: predictor.predict(text))
        elif (
            self.explanations_on
            and self._explained_text != text
            and self._predicted[1] is not None
        ):
            label = self._predicted[1].label
            self._start("explain", text, lambda progress, cancel: _explain(
                predictor, text, label, cancel
            ))

    def _start(self, kind: str, text: Optional[str], work: Callable[[Any, Any], Any]) -> None:
        job: BackgroundJob[Any] = BackgroundJob(kind, work)
        generation = self._generation
        job.succeeded.connect(lambda result: self._finished(generation, kind, text, result, None))
        job.failed.connect(lambda error: self._finished(generation, kind, text, None, error))
        job.cancelled.connect(lambda: self._finished(generation, kind, text, None, None))
        self._job, self._job_text = job, text
        job.start()

    def _finished(
        self,
        generation: int,
        kind: str,
        text: Optional[str],
        result: Any,
        error: Optional[BaseException],
    ) -> None:
        # The finished job is still emitting this signal: keep it alive until the next one ends.
        self._finished_job, self._job, self._job_text = self._job, None, None
        if generation != self._generation:
            pass  # answered for a model that has been replaced since
        elif kind == "load":
            if error is not None:
                self.predictor = None
                self.load_failed.emit(error_text(error))
            elif result is not None:
                self.predictor = result
                self.loaded.emit(list(result.labels))
        elif error is not None:
            # Remember the failure as the answer, so the same text is not retried in a loop.
            if kind == "predict" and text is not None:
                self._predicted = (text, None)
            self._explained_text = text
            if text == self._wanted:
                self.failed.emit(text, error_text(error))
        elif result is not None and text is not None:
            if kind == "predict":
                self._predicted = (text, result)
                if text == self._wanted:
                    self.predicted.emit(text, result)
            else:
                self._explained_text = text
                if text == self._wanted:
                    self.explained.emit(text, result)
        if not self._closed:
            self._pump()


def _load_predictor(folder: Path) -> Any:
    """Runs on the worker thread."""
    from bertdesk.ml.models import load_predictor

    return load_predictor(folder)


def _explain(predictor: Any, text: str, label: str, cancel: Any) -> Any:
    """Runs on the worker thread."""
    from bertdesk.ml.explain import explain

    return explain(predictor, text, label=label, steps=EXPLAIN_STEPS, cancel=cancel)


class ProbabilityBars(QWidget):
    """One horizontal bar per label: its name, its probability as a bar and in per cent.

    Past ``SHOWN_BARS`` labels only the likeliest (and every chosen one) get a bar, likeliest
    first, and a last line counts the rest: 150 intents made the tab 4,600 pixels tall.
    """

    BAR_HEIGHT = 22
    GAP = 6
    SHOWN_BARS = 6  # with the explanation below, more than fits a laptop screen

    def __init__(self, parent: Optional[QWidget] = None) -> None:
        super().__init__(parent)
        self.probabilities: dict[str, float] = {}
        self.colours: dict[str, str] = {}
        self.highlighted: set[str] = set()
        self.rest = ""  # the last line where labels go without a bar
        self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def set_probabilities(
        self, probabilities: dict[str, float], highlighted: Optional[set[str]] = None
    ) -> None:
        self.highlighted = set(highlighted or ())
        self.probabilities, self.rest = dict(probabilities), ""
        if len(probabilities) > self.SHOWN_BARS:
            from bertdesk.ml.predict import likeliest_labels

            shown, unshown = likeliest_labels(probabilities, self.highlighted, self.SHOWN_BARS)
            self.probabilities = dict(shown)
            if unshown:  # none when every label is chosen
                self.rest = self.tr("%n more label(s), none above {percent}", "", len(unshown)).format(
                    percent=f"{max(unshown) * 100:.1f} %")
        self.updateGeometry()
        self.update()

    def set_colours(self, colours: dict[str, str]) -> None:
        """Label colours from the project, so a label looks the same in every view."""
        self.colours = dict(colours)
        self.update()

    def sizeHint(self) -> QSize:
        rows = max(len(self.probabilities) + bool(self.rest), 2)
        return QSize(320, rows * (self.BAR_HEIGHT + self.GAP))

    def minimumSizeHint(self) -> QSize:
        return self.sizeHint()

    def paintEvent(self, event: object) -> None:
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        palette = self.palette()
        bold = QFont(self.font())
        bold.setBold(True)
        metrics = QFontMetrics(bold)  # the widest a name is drawn
        name_width = min(
            max((metrics.horizontalAdvance(n) for n in self.probabilities), default=0) + 12,
            self.width() // 3,
        )
        percent_width = metrics.horizontalAdvance("100.0 %") + 8
        bar_left = name_width
        bar_width = max(self.width() - name_width - percent_width, 10)
        for row, (name, probability) in enumerate(self.probabilities.items()):
            top = row * (self.BAR_HEIGHT + self.GAP)
            painter.setFont(bold if name in self.highlighted else self.font())
            painter.setPen(palette.color(QPalette.ColorRole.WindowText))
            painter.drawText(
                QRectF(0, top, name_width - 8, self.BAR_HEIGHT),
                Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter,
                metrics.elidedText(name, Qt.TextElideMode.ElideRight, name_width - 8),
            )
            track = QRectF(bar_left, top + 3, bar_width, self.BAR_HEIGHT - 6)
            painter.fillRect(track, palette.color(QPalette.ColorRole.AlternateBase))
            colour = QColor(self.colours.get(name) or palette.color(QPalette.ColorRole.Highlight))
            if name not in self.highlighted:
                colour.setAlphaF(0.55)
            painter.fillRect(
                QRectF(track.left(), track.top(), track.width() * probability, track.height()),
                colour,
            )
            painter.drawText(
                QRectF(bar_left + bar_width + 6, top, percent_width, self.BAR_HEIGHT),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter,
                f"{probability * 100:.1f} %",
            )
        if self.rest:
            painter.setFont(self.font())
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                QRectF(bar_left, len(self.probabilities) * (self.BAR_HEIGHT + self.GAP), bar_width, self.BAR_HEIGHT),
                Qt.AlignmentFlag.AlignLeft | Qt.AlignmentFlag.AlignVCenter, self.rest,
            )
        painter.end()


class PredictTab(QWidget):
    """Ad-hoc prediction with explanations, history and "add to project".

    Give it the open project's session (it then uses the session's current run, else the
    latest finished run, and follows changes of either), or any model folder with
    ``set_model_folder``. Texts it adds and suggestions a batch stores are announced through
    the session, so the labeling view shows them.
    """

    def __init__(
        self, session: Optional[ProjectSession] = None, parent: Optional[QWidget] = None
    ) -> None:
        super().__init__(parent)
        self.session: Optional[ProjectSession] = None
        self.run_id: Optional[RunId] = None
        self.model_folder: Optional[Path] = None
        self._model_description = ""
        self.prediction: Optional[Any] = None
        self.prediction_text = ""
        self.engine = PredictionEngine(self)
        self._build()
        self._typing_timer = QTimer(self, singleShot=True, interval=TYPING_PAUSE_MS)
        self._typing_timer.timeout.connect(self._send_text)
        self._settled_timer = QTimer(self, singleShot=True, interval=SETTLED_MS)
        self._settled_timer.timeout.connect(self._remember_text)
        self.input.textChanged.connect(self._text_edited)
        self.engine.loaded.connect(self._model_loaded)
        self.engine.load_failed.connect(self._model_failed)
        self.engine.predicted.connect(self._show_prediction)
        self.engine.explained.connect(self._show_explanation)
        self.engine.failed.connect(self._show_failure)
        self.set_session(session)

    # -------------------------------------------------------------------- layout
    def _build(self) -> None:
        self.model_label = QLabel()
        self.model_label.setWordWrap(True)
        self.folder_button = QPushButton(self.tr("Use a model folder…"))
        self.folder_button.setToolTip(self.tr(
            "Try a model saved elsewhere, such as an exported ONNX or Hugging Face folder"
        ))
        self.folder_button.clicked.connect(self._ask_model_folder)
        self.batch_button = QPushButton(self.tr("Predict many texts…"))
        self.batch_button.clicked.connect(self.open_batch_prediction)
        self.export_button = QPushButton(self.tr("Export model…"))
        self.export_button.clicked.connect(self.open_export)
        top = QHBoxLayout()
        top.addWidget(self.model_label, 1)
        top.addWidget(self.folder_button)
        top.addWidget(self.batch_button)
        top.addWidget(self.export_button)

        self.input = QPlainTextEdit()
        self.input.setPlaceholderText(
            self.tr("Type or paste a text; the answer updates as you type.")
        )
        self.input.setMinimumHeight(70)
        self.input.setMaximumHeight(160)
        self.top_label = QLabel()
        big = QFont(self.font())
        big.setPointSizeF(big.pointSizeF() * 2.0)
        big.setBold(True)
        self.top_label.setFont(big)
        self.confidence_label = QLabel()
        self.guess_label = QLabel()  # the model does not know this text's words
        self.guess_label.setWordWrap(True)
        self.guess_label.setStyleSheet(f"color: {WARNING_COLOUR};")
        self.bars = ProbabilityBars()
        self.note_label = QLabel()
        self.note_label.setWordWrap(True)
        self.why_box = QCheckBox(self.tr("Show why (highlight the words that decided)"))
        self.why_box.setChecked(True)
        self.why_box.toggled.connect(self._why_toggled)
        self.explanation_view = ExplanationView()

        answer = QHBoxLayout()
        answer.addWidget(self.top_label)
        answer.addWidget(self.confidence_label, 1, Qt.AlignmentFlag.AlignBottom)
        main = QWidget()
        main_layout = QVBoxLayout(main)
        main_layout.addWidget(QLabel(self.tr("Text")))
        main_layout.addWidget(self.input, 1)
        main_layout.addLayout(answer)
        main_layout.addWidget(self.guess_label)
        main_layout.addWidget(self.bars)
        main_layout.addWidget(self.note_label)
        main_layout.addWidget(self.why_box)
        main_layout.addWidget(self.explanation_view, 2)

        self.history = QListWidget()
        self.history.setTextElideMode(Qt.TextElideMode.ElideRight)
        self.history.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        self.history.itemActivated.connect(self._history_chosen)
        self.history.itemClicked.connect(self._history_chosen)
        history_box = QGroupBox(self.tr("Texts tried in this session"))
        QVBoxLayout(history_box).addWidget(self.history)
        self.add_label_combo = fit_label_combo(QComboBox())
        self.add_button = QPushButton(self.tr("Add to project"))
        self.add_button.clicked.connect(self.add_to_project)
        self.add_status = QLabel()
        self.add_status.setWordWrap(True)
        add_box = QGroupBox(self.tr("Model got it wrong? Add this text with the right label"))
        add_layout = QVBoxLayout(add_box)
        add_row = QHBoxLayout()
        add_row.addWidget(self.add_label_combo, 1)
        add_row.addWidget(self.add_button)
        add_layout.addLayout(add_row)
        add_layout.addWidget(self.add_status)
        side = QWidget()
        side_layout = QVBoxLayout(side)
        side_layout.addWidget(history_box, 1)
        side_layout.addWidget(add_box)

        splitter = QSplitter(Qt.Orientation.Horizontal)
        splitter.addWidget(main)
        splitter.addWidget(side)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(splitter, 1)
        self._clear_answer()

    # --------------------------------------------------------------------- model
    @property
    def project(self) -> Optional[Project]:
        return self.session.project if self.session is not None else None

    def set_session(self, session: Optional[ProjectSession]) -> None:
        """Follow the project of ``session`` (None: no project open)."""
        if self.session is not None:
            self.session.labels_changed.disconnect(self._refresh_labels)
            self.session.runs_changed.disconnect(self._runs_changed)
            self.session.current_run_changed.disconnect(self._use_run)
        self.session = session
        if session is not None:
            session.labels_changed.connect(self._refresh_labels)
            session.runs_changed.connect(self._runs_changed)
            session.current_run_changed.connect(self._use_run)
        self._refresh_labels()
        self._use_run(None)

    def _runs_changed(self) -> None:
        """A first finished run gives the tab its model; a deleted one takes it away."""
        project = self.project
        if project is not None and self.run_id not in {run.id for run in project.runs()}:
            self._use_run(None)

    def _use_run(self, run_id: Optional[RunId]) -> None:
        """Load the model of ``run_id`` (None: the current run, else the latest finished one)."""
        project = self.project
        if project is None:
            self._set_model(None, self.tr("Open a project, or load a model folder."))
            return
        from bertdesk.ml.predict import run_model_folder

        try:
            self.run_id, folder = run_model_folder(project, run_id)
        except UserInputError as error:
            self.run_id = None
            self._set_model(None, error_text(error))
            return
        self._set_model(folder, self.tr("Model: run {run} of {project}").format(
            run=self.run_id, project=project.path.name
        ))

    def set_model_folder(self, folder: Path) -> None:
        """Use the classifier in ``folder`` (a run's ``best`` folder or an exported one)."""
        self.run_id = None
        self._set_model(Path(folder), self.tr("Model: {folder}").format(folder=folder))

    def _ask_model_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a model folder"))
        if folder:
            self.set_model_folder(Path(folder))

    def _set_model(self, folder: Optional[Path], description: str) -> None:
        self.model_folder = folder
        self._model_description = description
        self.model_label.setText(
            description + " " + self.tr("(loading…)") if folder is not None else description
        )
        self.batch_button.setEnabled(False)
        self.export_button.setEnabled(False)
        self.input.setEnabled(folder is not None)
        self._clear_answer()
        if folder is not None:
            self.engine.load(folder)

    def _model_loaded(self, labels: list[str]) -> None:
        # A few names say what the model tells apart; 150 intents would fill half the tab.
        self.model_label.setText(self._model_description + " " + self.tr(
            "— labels: {labels}"
        ).format(labels=some_label_names(labels, LISTED_LABELS)))
        self.model_label.setToolTip(", ".join(labels) if len(labels) > LISTED_LABELS else "")
        from bertdesk.ml.models import Capability

        capabilities = self.engine.predictor.capabilities
        explains = Capability.EXPLAIN in capabilities
        self.batch_button.setEnabled(True)
        self.export_button.setEnabled(Capability.ONNX_EXPORT in capabilities)
        self.why_box.setEnabled(explains)
        self.why_box.setToolTip(
            "" if explains
            else self.tr("Explanations need the PyTorch model; this is an ONNX export.")
            if getattr(self.engine.predictor, "is_onnx", False)
            else self.tr("This kind of model cannot explain its predictions.")
        )
        if not explains:
            self.why_box.setChecked(False)
        self._send_text()

    def _model_failed(self, message: str) -> None:
        self.model_label.setText(self.tr("The model could not be loaded: {message}").format(
            message=message
        ))
        self.input.setEnabled(False)

    def _refresh_labels(self) -> None:
        self.add_label_combo.clear()
        labels = self.project.labels() if self.project is not None else []
        for label in labels:
            self.add_label_combo.addItem(label.name, label.id)
        self.bars.set_colours({label.name: label.color for label in labels})
        self._update_add_controls()

    # ------------------------------------------------------------------ typing
    def _text_edited(self) -> None:
        self._settled_timer.stop()
        self._typing_timer.start()
        self.add_status.clear()
        self._update_add_controls()

    def _send_text(self) -> None:
        text = self.input.toPlainText()
        if not text.strip():
            self._clear_answer()
        self.engine.request(text)

    def _show_prediction(self, text: str, prediction: Any) -> None:
        self.prediction, self.prediction_text = prediction, text
        chosen = prediction.predicted_labels or [prediction.label]
        self.top_label.setText(" + ".join(chosen) if len(chosen) > 1 else prediction.label)
        top = prediction.probabilities[prediction.label]
        guess = prediction.unknown_share > GUESS_WARNING
        self.confidence_label.setText(self._confidence_words(top, guess))
        self.guess_label.setText(self.tr(
            "The model does not know {percent:.0f} % of this text's words: its answer is a guess, "
            "however sure it looks. Train with the built-in multilingual model (it works offline and "
            "reads about 100 languages), or where you are online a model for this language."
        ).format(percent=prediction.unknown_share * 100) if guess else "")
        self.guess_label.setVisible(guess)
        self.bars.set_probabilities(prediction.probabilities, set(chosen))
        self.note_label.setText(self._coverage_note(prediction))
        self.note_label.setVisible(bool(self.note_label.text()))
        if self.add_label_combo.findText(prediction.label) >= 0:
            self.add_label_combo.setCurrentText(prediction.label)
        if self.why_box.isChecked():
            self.explanation_view.show_message(self.tr("Working out why…"))
        self._settled_timer.start()
        self._update_add_controls()

    def _show_explanation(self, text: str, explanation: Any) -> None:
        if self.why_box.isChecked():
            self.explanation_view.show_explanation(text, explanation)

    def _show_failure(self, text: str, message: str) -> None:
        self.explanation_view.show_message(self.tr("Something went wrong: {message}").format(
            message=message
        ))

    def _why_toggled(self, on: bool) -> None:
        self.engine.set_explanations_on(on)
        self.explanation_view.setVisible(on)
        if on and self.prediction is not None:
            self.explanation_view.show_message(self.tr("Working out why…"))

    def _clear_answer(self) -> None:
        self.prediction, self.prediction_text = None, ""
        self.top_label.setText("—")
        self.confidence_label.clear()
        self.guess_label.clear()
        self.guess_label.setVisible(False)
        self.bars.set_probabilities({})
        self.note_label.clear()
        self.note_label.setVisible(False)
        self.explanation_view.show_message("")
        self._update_add_controls()

    def _confidence_words(self, probability: float, guess: bool) -> str:
        if guess:
            words = self.tr("a guess")
        elif probability >= VERY_SURE:
            words = self.tr("very sure")
        elif probability >= FAIRLY_SURE:
            words = self.tr("fairly sure")
        else:
            words = self.tr("unsure")
        return self.tr("{words} ({percent:.0f} %)").format(words=words, percent=probability * 100)

    def _coverage_note(self, prediction: Any) -> str:
        if prediction.windows > 1:
            return self.tr(
                "This text is longer than the model reads at once, so it was covered by {n} "
                "overlapping windows and their answers combined."
            ).format(n=prediction.windows)
        if prediction.truncated:
            return self.tr(
                "This text is longer than the model reads at once: only its start was read."
            )
        return ""

    # ----------------------------------------------------------------- history
    def _remember_text(self) -> None:
        """Keep the text whose answer is on screen in the history, newest first, once."""
        if self.prediction is None or self.prediction_text != self.input.toPlainText():
            return
        text = self.prediction_text
        for row in range(self.history.count()):
            if self.history.item(row).data(Qt.ItemDataRole.UserRole) == text:
                self.history.takeItem(row)
                break
        probability = self.prediction.probabilities[self.prediction.label]
        line = " ".join(text.split())
        item = QListWidgetItem(f"{self.prediction.label} · {probability * 100:.0f} % — {line}")
        item.setData(Qt.ItemDataRole.UserRole, text)
        item.setToolTip(text)
        self.history.insertItem(0, item)
        while self.history.count() > HISTORY_LIMIT:
            self.history.takeItem(self.history.count() - 1)

    def _history_chosen(self, item: QListWidgetItem) -> None:
        text = item.data(Qt.ItemDataRole.UserRole)
        if text != self.input.toPlainText():
            self.input.setPlainText(text)

    # ------------------------------------------------------------ add to project
    def _update_add_controls(self) -> None:
        self.add_button.setEnabled(
            self.project is not None
            and self.add_label_combo.count() > 0
            and bool(self.input.toPlainText().strip())
        )

    def add_to_project(self) -> None:
        """Add the typed text to the project with the chosen label (committed at once)."""
        if self.session is None or self.add_label_combo.currentIndex() < 0:
            return
        text = self.input.toPlainText()
        label_id = self.add_label_combo.currentData()
        try:
            example_id = self.session.project.add_example(text, label_ids=[label_id])
        except BertdeskError as error:
            self.add_status.setText(error_text(error))
            return
        self.add_status.setText(self.tr("Added to the project as “{label}”.").format(
            label=self.add_label_combo.currentText()
        ))
        self.add_button.setEnabled(False)
        if self.session is not None:
            self.session.refresh(OpChanges(examples=frozenset([example_id]), counts=True))

    def take_over(self, old: PredictTab) -> None:
        """Keep the model folder, the typed text and the texts tried of the tab this one
        replaces (the window builds its tabs anew in another language)."""
        if old.run_id is None and old.model_folder is not None:
            self.set_model_folder(old.model_folder)
        for row in range(old.history.count()):
            self.history.addItem(old.history.item(row).clone())
        self.input.setPlainText(old.input.toPlainText())

    # ---------------------------------------------------------- other windows
    def open_batch_prediction(self) -> None:
        from bertdesk.gui.prediction.batch_predict import BatchPredictDialog

        if self.model_folder is None:
            return
        dialog = BatchPredictDialog(
            self.model_folder, self.session, self.run_id, self, predictor=self.engine.predictor
        )
        dialog.exec()

    def open_export(self) -> None:
        from bertdesk.gui.prediction.export_dialog import ExportDialog

        if self.model_folder is None:
            return
        ExportDialog(self.model_folder, self.project, self).exec()

    def shutdown(self) -> None:
        """Stop background work; the window calls this before closing."""
        self._typing_timer.stop()
        self._settled_timer.stop()
        self.engine.shutdown()
