"""The base-model picker: automatic, the two built-in models, the models pretrained on the
project's texts, the Hugging Face cache, a folder, or a Hub download.

Listing the cache and downloading both run as background jobs; a download shows a progress
dialog whose Cancel stops it. Offline, the engine's message (what happened, what to do) is shown
as it is.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any, Optional

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QHBoxLayout,
    QInputDialog,
    QMessageBox,
    QProgressDialog,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from bertdesk.core import BertdeskError, CancelToken, ProgressCallback, RunStatus
from bertdesk.core.owner import unsure
from bertdesk.gui.common.errors import delete_anyway_question, error_text, translated_text
from bertdesk.gui.common.jobs import BackgroundJob

# The engine's specs (bertdesk.ml.sources), named here so the window opens without loading ml.
AUTO_SPEC = "auto"
DEFAULT_SPEC = "default"
MULTILINGUAL_SPEC = "multilingual"
FAST_SPEC = "fast"  # bertdesk.ml.family.FAST: TF-IDF + linear, not a base model to fine-tune
PRETRAINED_SPEC_PREFIX = "pretrained:"  # bertdesk.ml.sources.PRETRAINED_PREFIX: one of the project's


def human_size(size_bytes: int) -> str:
    """1.2 GB, 438 MB: sizes as people read them."""
    size = float(size_bytes)
    for unit in ("B", "KB", "MB"):
        if size < 1000:
            return f"{size:.0f} {unit}"
        size /= 1000
    return f"{size:.1f} GB"


def model_language(folder: Path) -> Optional[str]:
    """The ``language:`` of a model card's front matter ("zh", "en, de"), when it says one."""
    card = folder / "README.md"
    if not card.is_file():
        return None
    lines = card.read_text(encoding="utf-8", errors="replace").splitlines()
    if not lines or lines[0].strip() != "---":
        return None
    languages: list[str] = []
    in_list = False
    for line in lines[1:]:
        if line.strip() == "---":
            break
        if line.startswith("language:"):
            value = line.split(":", 1)[1].strip()
            languages += [value] if value else []
            in_list = not value
        elif in_list and line.lstrip().startswith("- "):
            languages.append(line.strip()[2:].strip())
        else:
            in_list = False
    return ", ".join(languages[:3]) or None


class BaseModelPicker(QWidget):
    """A combo of known base models with buttons to add a folder or download a Hub model.

    ``model_changed`` carries the spec the engine takes: "auto", "default" (English),
    "multilingual", a folder path or a Hub id.
    """

    model_changed = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.combo = QComboBox()
        self.combo.setMinimumContentsLength(24)
        self.combo.setSizeAdjustPolicy(QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon)
        self.combo.addItem(self.tr("Automatic: a built-in model for your texts' language"), AUTO_SPEC)
        self.combo.addItem(self.tr("Built in: all-MiniLM-L6-v2 (English, 6 layers, 90 MB)"), DEFAULT_SPEC)
        self.combo.addItem(
            self.tr("Built in: multilingual-e5-small (Chinese and ~100 languages, 12 layers, 240 MB)"),
            MULTILINGUAL_SPEC,
        )
        self.combo.addItem(self.tr("Fast (TF-IDF + linear, any language, seconds)"), FAST_SPEC)
        self.combo.setToolTip(self.tr(
            "The model training starts from. Both built-in models work offline: the English one "
            "is smaller and faster, the multilingual one reads Chinese and about 100 other "
            "languages. Automatic picks between them by your texts."
        ))
        self.folder_button = QPushButton(self.tr("Folder…"))
        self.folder_button.setToolTip(self.tr("Use a Hugging Face model saved in a folder on this computer."))
        self.download_button = QPushButton(self.tr("Download…"))
        self.download_button.setToolTip(self.tr("Download a model from the Hugging Face Hub by its id."))
        self.delete_button = QPushButton(self.tr("Delete…"))
        self.delete_button.setToolTip(self.tr(
            "Delete this pretrained model and its folder. Runs fine-tuned from it keep their models."))
        self.delete_button.setVisible(False)  # for a pretrained model only
        buttons = QHBoxLayout()
        buttons.addWidget(self.folder_button)
        buttons.addWidget(self.download_button)
        buttons.addWidget(self.delete_button)
        buttons.addStretch()
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.combo)
        layout.addLayout(buttons)
        self.cache_job: Optional[BackgroundJob[Any]] = None
        self.pretrained_job: Optional[BackgroundJob[Any]] = None
        self.download_job: Optional[BackgroundJob[Any]] = None
        self._progress_dialog: Optional[QProgressDialog] = None
        self.project: Any = None  # whose pretrained models are listed (scan_pretrained)
        self.combo.currentIndexChanged.connect(lambda _index: self.model_changed.emit(self.spec()))
        self.combo.currentIndexChanged.connect(
            lambda _index: self.delete_button.setVisible(self.spec().startswith(PRETRAINED_SPEC_PREFIX)))
        self.folder_button.clicked.connect(self._choose_folder)
        self.download_button.clicked.connect(self._ask_download)
        self.delete_button.clicked.connect(self._ask_delete_pretrained)

    def spec(self) -> str:
        return str(self.combo.currentData() or AUTO_SPEC)

    def add_model(self, spec: str, title: str, select: bool = True) -> None:
        """Add (or find) an entry; selecting it announces the change."""
        index = self.combo.findData(spec)
        if index < 0:
            self.combo.addItem(title, spec)
            index = self.combo.count() - 1
        if select:
            self.combo.setCurrentIndex(index)

    def base_models(self) -> list[tuple[str, str]]:
        """(title, spec) of every entry a model can be pretrained from: all but the fast model."""
        entries = ((self.combo.itemText(index), str(self.combo.itemData(index))) for index in range(self.combo.count()))
        return [(title, spec) for title, spec in entries if spec != FAST_SPEC]

    def add_pretrained(self, model: Any, select: bool = False) -> None:
        """A model pretrained on the project's texts (a ``PretrainedModel``), titled by what it
        learnt; its entry is renamed when a resumed run has taken more steps."""
        title = self.tr("Pretrained #{id}: {description}").format(
            id=model.id, description=translated_text(model.description))
        if model.status is RunStatus.CANCELLED:
            title += " " + self.tr("(stopped)")
        self.add_model(model.spec, title, select)
        self.combo.setItemText(self.combo.findData(model.spec), title)

    def scan_pretrained(self, project: Any) -> None:
        """Offer the project's pretrained models (their records are read in the background)."""
        self.project = project

        def work(progress: ProgressCallback, cancel: CancelToken) -> list[Any]:
            from bertdesk.ml.pretraining import pretrained_models

            return [model for model in pretrained_models(project) if model.usable]

        self.pretrained_job = BackgroundJob("pretrained-models", work, self)
        self.pretrained_job.succeeded.connect(self._add_pretrained_models)
        self.pretrained_job.start()

    def _add_pretrained_models(self, models: list[Any]) -> None:
        for model in models:
            self.add_pretrained(model)

    def _ask_delete_pretrained(self) -> None:
        """Delete the selected pretrained model (after asking) and pick Automatic instead."""
        from bertdesk.ml.pretraining import delete_pretrained_models, pretrained_model

        spec, title = self.spec(), self.tr("Delete pretrained model")
        if self.project is None:
            return
        try:
            model = pretrained_model(self.project, spec.removeprefix(PRETRAINED_SPEC_PREFIX))
            doubt = unsure(model.job, model.status, model.owner)
            question = self.tr("Delete {name} and its folder? Runs fine-tuned from it keep their models, but a "
                               "stopped one can no longer be resumed. This cannot be undone.").format(
                name=self.combo.currentText())
            if doubt is not None:  # recorded as pretraining on another computer, say
                question += "\n\n" + delete_anyway_question(doubt)
            if QMessageBox.question(self, title, question) != QMessageBox.StandardButton.Yes:
                return
            delete_pretrained_models(self.project, [spec], force=doubt is not None)
        except BertdeskError as error:  # still pretraining, or gone meanwhile: said as the engine says it
            QMessageBox.warning(self, title, error_text(error))
            return
        self.combo.removeItem(self.combo.findData(spec))
        self.combo.setCurrentIndex(self.combo.findData(AUTO_SPEC))

    def scan_cache(self) -> None:
        """List the Hugging Face cache in the background (it may be large or on a slow disk)."""

        def work(progress: ProgressCallback, cancel: CancelToken) -> list[tuple[Any, Optional[str]]]:
            from bertdesk.ml.sources import cached_models

            return [(model, model_language(Path(model.path))) for model in cached_models()]

        self.cache_job = BackgroundJob("model-cache", work, self)
        self.cache_job.succeeded.connect(self._add_cached)
        self.cache_job.start()

    def _add_cached(self, models: list[tuple[Any, Optional[str]]]) -> None:
        for model, language in models:
            size = human_size(model.size_bytes)
            title = (
                self.tr("{name} ({language}, {size}, downloaded)").format(
                    name=model.repo_id, language=language, size=size
                ) if language else
                self.tr("{name} ({size}, downloaded)").format(name=model.repo_id, size=size)
            )
            self.add_model(model.repo_id, title, select=False)

    def _choose_folder(self) -> None:
        folder = QFileDialog.getExistingDirectory(self, self.tr("Choose a model folder"))
        if folder:
            self.add_model(folder, self.tr("Folder: {path}").format(path=folder))

    def _ask_download(self) -> None:
        hub_id, accepted = QInputDialog.getText(
            self, self.tr("Download a model"),
            self.tr("Hugging Face model id (for example bert-base-chinese):"),
        )
        if accepted and hub_id.strip():
            self.download(hub_id.strip())

    def download(self, hub_id: str) -> None:
        """Fetch a Hub model with a progress dialog; Cancel stops the download."""

        def work(progress: ProgressCallback, cancel: CancelToken) -> Path:
            from bertdesk.ml.sources import resolve_model

            return resolve_model(hub_id, progress, cancel, allow_download=True)

        dialog = QProgressDialog(
            self.tr("Downloading {name}…").format(name=hub_id), self.tr("Cancel"), 0, 100, self
        )
        dialog.setWindowTitle(self.tr("Download a model"))
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setAutoClose(False)
        dialog.setAutoReset(False)
        self._progress_dialog = dialog
        job = BackgroundJob("model-download", work, self)
        self.download_job = job
        dialog.canceled.connect(job.cancel)

        def show_progress(fraction: float, message: str) -> None:
            dialog.setValue(round(fraction * 100))
            dialog.setLabelText(message)

        job.progressed.connect(show_progress)
        job.succeeded.connect(lambda _path: self.add_model(hub_id, hub_id))
        job.failed.connect(lambda error: QMessageBox.warning(
            self, self.tr("Download failed"), error_text(error)
        ))
        for signal in (job.succeeded, job.failed, job.cancelled):
            signal.connect(lambda *_: dialog.close())
        self.download_button.setEnabled(False)
        for signal in (job.succeeded, job.failed, job.cancelled):
            signal.connect(lambda *_: self.download_button.setEnabled(True))
        dialog.show()
        job.start()

    def shutdown(self) -> None:
        """Stop and join the picker's jobs (closing the panel)."""
        for job in (self.cache_job, self.pretrained_job, self.download_job):
            if job is not None:
                job.cancel()
                job.wait()
