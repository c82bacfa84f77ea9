"""Screenshots of Combine runs… and of the run history with an ensemble, in English and Chinese.

    xvfb-run -a -s "-screen 0 1200x800x24" python scripts/ensemble_screenshots.py [--out docs/screenshots]

On the demo project, with the fast model (seconds): three fast runs (the second weighs the
labels by their rarity, the third another seed) and a 5-fold cross-validation, then, as a
person would, two runs selected in the Train tab's history, "Combine runs…" pressed, and
Create. Saves ``ensemble-dialog-<language>.png`` (the dialog after Create: the runs, the
choice, the ensemble's score against its best run) and ``ensemble-history-<language>.png``
(the history with the ensemble current, each run's kind): the whole 1200x800 screen with the
main window on it.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Optional

from analysis_screenshots import SCREEN, save_screen
from screenshots import open_main_window, shoot_each_language, wait_until

JOB_SECONDS = 300
TRAIN_AND_HISTORY_HEIGHTS = [330, 400]  # the history taller than the Train tab gives it by default


def shoot(language: str, project_path: Path, out: Path) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QSplitter

    from bertdesk.core import RunId
    from bertdesk.gui.evaluation.combine_runs_dialog import CombineRunsDialog
    from bertdesk.gui.training.run_history import RunHistory
    from bertdesk.ml.config import TrainConfig
    from bertdesk.ml.crossval import cross_validate
    from bertdesk.ml.models import FAST, train_model
    from bertdesk.ops import OpChanges

    window = open_main_window(project_path, SCREEN)
    session = window.session
    history = window.findChild(RunHistory)
    assert session is not None and history is not None
    runs = [RunId(train_model(session.project, config).run_id) for config in (
        TrainConfig(model=FAST), TrainConfig(model=FAST, class_weights=True), TrainConfig(model=FAST, seed=1),
    )]
    cross_validate(session.project, TrainConfig(model=FAST), folds=5)
    session.refresh(OpChanges(runs=True))
    window.tabs.setCurrentIndex(1)  # Train
    splitter = history.parentWidget()
    assert isinstance(splitter, QSplitter) and splitter.orientation() == Qt.Orientation.Vertical
    splitter.setSizes(TRAIN_AND_HISTORY_HEIGHTS)

    history.select_runs(runs[:2])
    history.combine_button.click()
    dialog = history.findChild(CombineRunsDialog)
    assert dialog is not None
    dialog.create_button.click()
    wait_until(lambda: not dialog.running, timeout=JOB_SECONDS)
    if dialog.ensemble is None:
        raise SystemExit(f"no ensemble: {dialog.message.text()}")
    save_screen(out / f"ensemble-dialog-{language}.png")
    ensemble = dialog.ensemble.run_id
    dialog.close()

    history.select_runs([ensemble])
    history.table.setFocus()
    save_screen(out / f"ensemble-history-{language}.png")
    window.close_project()
    window.close()


def main(argv: Optional[list[str]] = None) -> int:
    return shoot_each_language(__doc__.splitlines()[0], shoot, argv)


if __name__ == "__main__":
    sys.exit(main())
