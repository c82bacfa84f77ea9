"""The export dialog: the report comes first, and only "Keep" puts the model where asked."""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt

from bertdesk.core import Split
from bertdesk.gui.prediction.export_dialog import ExportDialog, checking_texts
from bertdesk.store import Project

TEXTS = [("good film", "positive"), ("great acting", "positive"), ("awful plot", "negative"),
         ("bad service", "negative"), ("味道很好", "positive"), ("太难吃了", "negative")]


def labelled_project(project: Project) -> Project:
    with project.bulk_writer() as writer:
        for text, label in TEXTS:
            writer.add(text, Split.VALIDATION, [writer.label_id(label)])
    return project


def leftovers(folder: Path) -> list[str]:
    """Exports or staging folders in ``folder``."""
    return [p.name for p in folder.iterdir() if p.name.startswith((".bertdesk-export", "model-"))]


def export(qtbot, dialog: ExportDialog, button, destination: Path) -> None:
    button.setChecked(True)
    dialog.destination_edit.setText(str(destination))
    dialog.export_button.click()
    qtbot.waitUntil(lambda: dialog.job is None, timeout=120_000)


def test_int8_shows_accuracy_and_speed_before_it_is_kept(
    qtbot, project: Project, labelled_model_dir: Path, tmp_path: Path
) -> None:
    dialog = ExportDialog(labelled_model_dir, labelled_project(project))
    qtbot.addWidget(dialog)
    destination = tmp_path / "exports" / "model-int8"
    destination.parent.mkdir()
    export(qtbot, dialog, dialog.int8_choice, destination)

    report = dialog.report_label.text()
    assert dialog.report is not None, dialog.status.text()
    assert "Accuracy on the validation texts" in report and "original model" in report
    assert "Time per text" in report and "ms" in report
    assert not destination.exists()  # nothing where the user asked until they keep it
    assert dialog.keep_button.isEnabled()

    with qtbot.waitSignal(dialog.kept):
        dialog.keep_button.click()
    assert (destination / "model.onnx").is_file()
    assert [p.name for p in destination.parent.iterdir()] == ["model-int8"]  # no staging left
    dialog.close()


def test_discard_leaves_nothing_and_close_keeps_the_export(
    qtbot, project: Project, labelled_model_dir: Path, tmp_path: Path
) -> None:
    dialog = ExportDialog(labelled_model_dir, labelled_project(project))
    qtbot.addWidget(dialog)
    export(qtbot, dialog, dialog.onnx_choice, tmp_path / "model-onnx")
    assert "match the original model" in dialog.report_label.text()
    dialog.discard_button.click()
    assert leftovers(tmp_path) == []

    destination = tmp_path / "model-hf"
    dialog.hf_choice.setChecked(True)
    dialog.destination_edit.setText(str(destination))
    dialog.export_button.click()
    # While it runs there is nothing to keep or discard yet, and Enter does not stop it.
    assert not dialog.keep_button.isEnabled() and not dialog.discard_button.isEnabled()
    dialog.show()
    dialog.cancel_button.setFocus()
    qtbot.keyClick(dialog.cancel_button, Qt.Key.Key_Return)
    qtbot.waitUntil(lambda: dialog.job is None, timeout=120_000)
    assert dialog.report is not None, dialog.status.text()  # finished, not cancelled
    assert dialog.keep_button.isDefault()  # Enter keeps it
    with qtbot.waitSignal(dialog.kept):
        dialog.reject()  # Close (or Escape) without a decision: the finished export is kept
    assert (destination / "config.json").is_file()
    assert leftovers(tmp_path) == ["model-hf"]


def test_closing_while_it_runs_leaves_nothing(
    qtbot, project: Project, labelled_model_dir: Path, tmp_path: Path
) -> None:
    dialog = ExportDialog(labelled_model_dir, labelled_project(project))
    qtbot.addWidget(dialog)
    dialog.onnx_choice.setChecked(True)
    dialog.destination_edit.setText(str(tmp_path / "model-onnx"))
    dialog.export_button.click()
    dialog.reject()
    assert leftovers(tmp_path) == []


def test_an_existing_destination_is_refused(
    qtbot, labelled_model_dir: Path, tmp_path: Path
) -> None:
    dialog = ExportDialog(labelled_model_dir)
    qtbot.addWidget(dialog)
    dialog.destination_edit.setText(str(tmp_path))
    dialog.export_button.click()
    assert dialog.job is None and "exists already" in dialog.status.text()


def test_checking_texts_come_from_the_validation_split(project: Project) -> None:
    samples, labelled = checking_texts(labelled_project(project))
    assert labelled == TEXTS and samples == [text for text, _ in TEXTS]
