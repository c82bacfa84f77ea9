"""Screenshots of the Label tab with suggestions, in English and Chinese.

    xvfb-run -a -s "-screen 0 1200x800x24" python scripts/suggestion_screenshots.py [--out docs/screenshots]

On the demo project, with the fast model chosen as the source as a person would choose it
(it learns from the demo's labels in a second or two): saves ``suggestions_<language>.png``
(all texts in the file's order: the faint chips on the unlabelled rows and the suggestion of
the chosen text under it), ``suggestions_least_confident_<language>.png`` (the unlabelled
texts, least confident first), ``suggestions_accept_all_<language>.png`` (the unlabelled
texts suggested the first label with at least 60 %, and the button that accepts them all) and
``suggestions_focus_<language>.png`` (focus mode): the whole 1200x800 screen with the main
window on it.
"""

from __future__ import annotations

from pathlib import Path
from typing import Optional

from analysis_screenshots import SCREEN, save_screen
from screenshots import open_main_window, shoot_each_language, wait_until

JOB_SECONDS = 120


def shoot(language: str, project_path: Path, out: Path) -> None:
    from bertdesk.gui.labeling.suggestion_refresher import Activity
    from bertdesk.store.suggestions import MARGIN_KIND

    window = open_main_window(project_path, SCREEN)
    view = window.label_view
    assert view is not None
    bar = view.suggestion_bar
    bar.source.setCurrentIndex(bar.source.findData("fast"))
    bar.source.activated.emit(bar.source.currentIndex())
    wait_until(lambda: view.suggestions.activity is Activity.IDLE, timeout=JOB_SECONDS)
    first_unlabelled = next(row for row in range(view.model.rowCount()) if not view.model.row(row).label_ids)
    view.move_to(first_unlabelled)
    view.table.setFocus()
    save_screen(out / f"suggestions_{language}.png")

    view.label_filter.setCurrentIndex(view.label_filter.findData("unlabeled"))
    bar.order.setCurrentIndex(bar.order.findData(MARGIN_KIND))
    bar.order.activated.emit(bar.order.currentIndex())
    view.table.setFocus()
    save_screen(out / f"suggestions_least_confident_{language}.png")

    window.focus_action.trigger()
    save_screen(out / f"suggestions_focus_{language}.png")
    window.focus_action.trigger()

    bar.order.setCurrentIndex(0)
    bar.suggested.setCurrentIndex(1)
    bar.min_confidence.setValue(60)
    bar.suggested.activated.emit(1)
    wait_until(lambda: not view.model.counting, timeout=JOB_SECONDS)
    view.table.setFocus()
    save_screen(out / f"suggestions_accept_all_{language}.png")
    window.close_project()
    window.close()


def main(argv: Optional[list[str]] = None) -> int:
    return shoot_each_language(__doc__.splitlines()[0], shoot, argv)


if __name__ == "__main__":
    raise SystemExit(main())
