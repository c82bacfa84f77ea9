"""Screenshots of pretraining from the Train tab, in English and Chinese.

    xvfb-run -a -s "-screen 0 1200x800x24" python scripts/pretrain_screenshots.py [--out docs/screenshots]

On the demo project in the main window at a small laptop's 1200×800, pretrains for real from
the dialog that "Adapt the model to your texts first…" opens (English: the built-in model
adapted to the texts; Chinese: a small BERT from scratch), then saves ``pretrain-<language>.png``,
the whole screen: the finished run's masked-word loss and held-out perplexity, and behind the
dialog the Train tab's base-model picker offering the new model.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from analysis_screenshots import SCREEN, save_screen
from screenshots import open_main_window, shoot_each_language, wait_until

BASES = {"en": "auto", "zh": "scratch"}
STEPS = 30  # ten evaluations: enough points for both curves, a minute or two on a laptop
JOB_SECONDS = 1800


def shoot(language: str, project_path: Path, out: Path) -> None:
    from bertdesk.gui.training.train_panel import TrainPanel

    window = open_main_window(project_path, SCREEN)
    panel = window.findChild(TrainPanel)
    assert panel is not None
    window.tabs.setCurrentIndex(1)  # Train
    wait_until(lambda: "…" not in panel.coverage_label.text(), timeout=JOB_SECONDS)
    dialog = panel.open_pretraining()
    dialog.move((SCREEN[0] - dialog.width()) // 2, (SCREEN[1] - dialog.height()) // 2)
    dialog.base_box.setCurrentIndex(dialog.base_box.findData(BASES[language]))
    dialog.unit_box.setCurrentIndex(dialog.unit_box.findData("steps"))
    dialog.steps_input.setValue(STEPS)
    dialog.start()
    wait_until(lambda: not dialog.running, timeout=JOB_SECONDS)
    result = dialog.last_result
    assert result is not None and result.status == "finished", result
    print(f"{language}: pretrained #{result.model.id} in {result.model.duration_seconds} s, "
          f"held-out {result.model.metrics}", flush=True)
    save_screen(out / f"pretrain-{language}.png")
    dialog.close()
    window.close_project()
    window.close()


def main(argv: Optional[list[str]] = None) -> int:
    return shoot_each_language(__doc__.splitlines()[0], shoot, argv)


if __name__ == "__main__":
    raise SystemExit(main())
