"""Export a model: Hugging Face folder, ONNX (with its parity check) or int8 ONNX.

The export is built in a hidden staging folder beside the destination and its report shown
first: the ONNX parity check, and for int8 its accuracy on the project's validation texts and
its speed beside the full model's. A finished export is kept (renamed into place: same disk, so
instant) by "Keep" and by closing the dialog alike; only "Discard", on purpose, drops it. A
cancel, or closing while it still runs, leaves nothing behind.
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path
from typing import Any, Optional

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QButtonGroup,
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QProgressBar,
    QPushButton,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from bertdesk.core import CancelToken, ProgressCallback, Split
from bertdesk.gui.common.errors import error_text
from bertdesk.gui.common.jobs import BackgroundJob
from bertdesk.store import Project

SAMPLE_TEXTS = 32  # project texts the parity check and the latency measure run on
LABELLED_LIMIT = 2000  # validation texts the int8 accuracy is measured on


def checking_texts(project: Optional[Project]) -> tuple[list[str], list[tuple[str, str]]]:
    """Sample texts and (text, label) pairs from the project's validation split (else any
    labelled texts), so the checks speak about the user's own data."""
    if project is None:
        return [], []
    names = {label.id: label.name for label in project.labels()}
    labelled = project.labelled_examples([Split.VALIDATION]) or project.labelled_examples()
    pairs = [
        (text, names[label_ids[0]]) for _, text, label_ids, _ in labelled[:LABELLED_LIMIT]
        if len(label_ids) == 1
    ]
    return [text for text, _ in pairs[:SAMPLE_TEXTS]], pairs


class ExportDialog(QDialog):
    """Choose a format and a destination, export, read the report, then keep or discard."""

    kept = Signal(str)  # the destination path

    def __init__(
        self,
        model_folder: Path,
        project: Optional[Project] = None,
        parent: Optional[QWidget] = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Export model"))
        self.model_folder = Path(model_folder)
        self.project = project
        self.job: Optional[BackgroundJob[Any]] = None
        self._finished_job: Optional[BackgroundJob[Any]] = None
        self.staging: Optional[Path] = None  # holds the finished export until kept
        self.report: Any = None
        self._build()

    def _build(self) -> None:
        self.hf_choice = QRadioButton(self.tr(
            "Hugging Face folder: loads with transformers.pipeline, with a model card"
        ))
        self.onnx_choice = QRadioButton(self.tr(
            "ONNX: runs with ONNX Runtime in many languages; checked against the original"
        ))
        self.int8_choice = QRadioButton(self.tr(
            "ONNX int8: about 4× smaller and faster on CPUs, slightly less exact"
        ))
        self.formats = QButtonGroup(self)
        for button, name in ((self.hf_choice, "hf"), (self.onnx_choice, "onnx"),
                             (self.int8_choice, "onnx-int8")):
            button.setProperty("format", name)
            self.formats.addButton(button)
        self.hf_choice.setChecked(True)
        self.destination_edit = QLineEdit()
        self.destination_edit.setPlaceholderText(self.tr("A new folder"))
        self.destination_edit.textChanged.connect(self._update_buttons)
        choose = QPushButton(self.tr("Choose…"))
        choose.clicked.connect(self._ask_destination)
        destination_row = QHBoxLayout()
        destination_row.addWidget(self.destination_edit, 1)
        destination_row.addWidget(choose)
        form = QFormLayout()
        form.addRow(self.tr("Save as folder:"), destination_row)

        self.export_button = QPushButton(self.tr("Export and check"))
        self.export_button.clicked.connect(self.start)
        self.cancel_button = QPushButton(self.tr("Cancel"))
        self.cancel_button.clicked.connect(self.cancel)
        self.progress = QProgressBar()
        self.progress.setRange(0, 1000)
        run_row = QHBoxLayout()
        run_row.addWidget(self.export_button)
        run_row.addWidget(self.cancel_button)
        run_row.addWidget(self.progress, 1)
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.report_label = QLabel()
        self.report_label.setWordWrap(True)
        self.keep_button = QPushButton(self.tr("Keep"))
        self.keep_button.clicked.connect(self.keep)
        self.discard_button = QPushButton(self.tr("Discard"))
        self.discard_button.clicked.connect(self.discard)
        decision_row = QHBoxLayout()
        decision_row.addStretch(1)
        decision_row.addWidget(self.discard_button)
        decision_row.addWidget(self.keep_button)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)

        layout = QVBoxLayout(self)
        layout.addWidget(QLabel(self.tr("Format:")))
        layout.addWidget(self.hf_choice)
        layout.addWidget(self.onnx_choice)
        layout.addWidget(self.int8_choice)
        layout.addLayout(form)
        layout.addLayout(run_row)
        layout.addWidget(self.status)
        layout.addWidget(self.report_label, 1)
        layout.addLayout(decision_row)
        layout.addWidget(buttons)
        self.resize(620, 420)
        # Enter presses only the default button _update_buttons names, never the focused one
        # (it would be Cancel or Close while the export runs, and stop it).
        for push_button in self.findChildren(QPushButton):
            push_button.setAutoDefault(False)
        self._update_buttons()

    @property
    def export_format(self) -> str:
        checked = self.formats.checkedButton()
        assert checked is not None  # one radio button is always checked
        return str(checked.property("format"))

    def _ask_destination(self) -> None:
        name, _ = QFileDialog.getSaveFileName(
            self, self.tr("Export the model as the folder"), self.destination_edit.text()
        )
        if name:
            self.destination_edit.setText(name)

    def _update_buttons(self) -> None:
        idle = self.job is None
        waiting = idle and self.report is not None  # a finished export awaits the decision
        self.export_button.setEnabled(
            idle and not waiting and bool(self.destination_edit.text().strip())
        )
        self.cancel_button.setEnabled(not idle)
        self.keep_button.setEnabled(waiting)
        self.discard_button.setEnabled(waiting)
        for button in self.formats.buttons():
            button.setEnabled(idle and not waiting)
        self.destination_edit.setEnabled(idle and not waiting)
        # Enter exports, then keeps the export (as Close would); while it runs it does nothing.
        self.export_button.setDefault(idle and not waiting)
        self.keep_button.setDefault(waiting)
        if waiting:
            self.keep_button.setFocus()

    # ----------------------------------------------------------------- exporting
    def start(self) -> None:
        """Export to a staging folder beside the destination, on a background job."""
        destination = Path(self.destination_edit.text().strip())
        if destination.exists():
            self.status.setText(self.tr(
                "{path} exists already. Choose a new folder name."
            ).format(path=destination))
            return
        if not destination.parent.is_dir():
            self.status.setText(self.tr("The folder {path} does not exist.").format(
                path=destination.parent
            ))
            return
        self.staging = Path(tempfile.mkdtemp(prefix=".bertdesk-export-", dir=destination.parent))
        samples, labelled = checking_texts(self.project)
        model_folder, output, export_format = (
            self.model_folder, self.staging / destination.name, self.export_format
        )

        def work(progress: ProgressCallback, cancel: CancelToken) -> Any:
            """Runs on the worker thread."""
            from bertdesk.ml.export import export_model

            return export_model(
                model_folder, output, export_format, samples, labelled, progress, cancel
            )

        self.report = None
        self.report_label.clear()
        self.status.setText(self.tr("Exporting…"))
        self.progress.setValue(0)
        job: BackgroundJob[Any] = BackgroundJob("export", work)
        job.progressed.connect(
            lambda fraction, message: self.progress.setValue(round(fraction * 1000))
        )
        job.succeeded.connect(self._exported)
        job.cancelled.connect(lambda: self._ended(self.tr("Cancelled: nothing was saved.")))
        job.failed.connect(lambda error: self._ended(error_text(error)))
        self.job = job
        self._update_buttons()
        job.start()

    def cancel(self) -> None:
        if self.job is not None:
            self.job.cancel()
            self.status.setText(self.tr("Stopping…"))

    def _ended(self, message: str) -> None:
        """A cancel or failure: drop the staging folder and say why."""
        self._forget_job()
        self._remove_staging()
        self.progress.setValue(0)
        self.status.setText(message)
        self._update_buttons()

    def _forget_job(self) -> None:
        # The finished job is still emitting its last signal: keep it alive until the next one.
        self._finished_job, self.job = self.job, None

    def _exported(self, report: Any) -> None:
        self._forget_job()
        self.report = report
        self.progress.setValue(1000)
        self.status.setText(self.tr(
            "Exported. Check the report: Keep (or Close) saves it, Discard throws it away."
        ))
        self.report_label.setText(self.report_text(report))
        self._update_buttons()

    def report_text(self, report: Any) -> str:
        """The report in plain words, one finding per line."""
        lines = [self.tr("Size: {size:.1f} MB").format(size=report.size_bytes / 1e6)]
        if report.format == "onnx" and report.parity_max_abs_diff is not None:
            lines.append(self.tr(
                "Probabilities match the original model's: largest difference {diff:.1e} "
                "on the sample texts."
            ).format(diff=report.parity_max_abs_diff))
        elif report.format == "onnx-int8" and report.parity_max_abs_diff is not None:
            lines.append(self.tr(
                "Probabilities differ slightly from the original model's: largest difference "
                "{diff:.1e} on the sample texts."
            ).format(diff=report.parity_max_abs_diff))
        if report.accuracy is not None and report.reference_accuracy is not None:
            lines.append(self.tr(
                "Accuracy on the validation texts: {accuracy:.1%} (original model {reference:.1%})."
            ).format(accuracy=report.accuracy, reference=report.reference_accuracy))
        elif report.format != "hf":
            lines.append(self.tr("No labelled validation texts, so accuracy was not measured."))
        if report.latency_ms is not None and report.reference_latency_ms is not None:
            lines.append(self.tr(
                "Time per text: {latency:.1f} ms (original model {reference:.1f} ms)."
            ).format(latency=report.latency_ms, reference=report.reference_latency_ms))
        return "\n".join(lines)

    # ------------------------------------------------------------------ deciding
    def keep(self) -> bool:
        """Move the checked export to the destination the user chose; False if it could not."""
        if self.staging is None or self.report is None:
            return True
        destination = Path(self.destination_edit.text().strip())
        try:
            os.replace(self.report.path, destination)
        except OSError as error:
            self.status.setText(self.tr("Could not move the export to {path}: {error}").format(
                path=destination, error=error
            ))
            return False
        self._remove_staging()
        self.status.setText(self.tr("Saved to {path}.").format(path=destination))
        self._update_buttons()
        self.kept.emit(str(destination))
        return True

    def discard(self) -> None:
        self._remove_staging()
        self.report_label.clear()
        self.status.setText(self.tr("Discarded."))
        self._update_buttons()

    def _remove_staging(self) -> None:
        if self.staging is not None:
            shutil.rmtree(self.staging, ignore_errors=True)
        self.staging, self.report = None, None

    def done(self, result: int) -> None:
        """Closing stops a running export, and keeps a finished one nobody discarded (it
        stays open, saying why, if the export cannot be moved into place)."""
        if self.job is not None:
            self.job.cancel()
            self.job.wait()
            self._forget_job()
            self._remove_staging()
        if not self.keep():
            return
        super().done(result)
