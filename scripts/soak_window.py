"""A long session in the real window: hundreds of label keys, then a long training run watched live.

What a user does for an afternoon, compressed: it opens a project of unlabelled texts in the
main window, presses the label keys (1, 2, 1, 2 …) at a user's pace, then starts a training
run of a tiny BERT in the Train tab and keeps the tab on screen, its curves redrawing, for as
long as asked (starting another run when one ends sooner). It prints the reference count of
``None`` as it goes (the count that PySide6 6.12.0 wore away on Python 3.10/3.11 until the
window died) and the process's memory (garbage is collected on the GUI thread's timer, as in
the app), and saves screenshots.

    xvfb-run -a -s "-screen 0 1200x800x24" python scripts/soak_window.py --keys 1000 --train-minutes 30

It exits 0 when every key was saved and the run was watched to the end; a crash shows as a
non-zero exit (and in bertdesk.log).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import tempfile
import time
from pathlib import Path

import psutil
import torch
from PySide6.QtCore import QTimer
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication
from transformers import BertConfig, BertForSequenceClassification, BertTokenizerFast


def tiny_model(folder: Path) -> Path:
    """A random 2-layer BERT that knows the soak texts' words: a run of it never ends by itself."""
    folder.mkdir(parents=True, exist_ok=True)
    words = "review number good bad food service slow fast".split()
    vocab = ["[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", *words, *map(str, range(10))]
    (folder / "vocab.txt").write_text("\n".join(vocab) + "\n", encoding="utf-8")
    tokenizer = BertTokenizerFast(vocab=str(folder / "vocab.txt"), do_lower_case=True)
    config = BertConfig(vocab_size=len(vocab), hidden_size=32, num_hidden_layers=2, num_attention_heads=2,
                        intermediate_size=64, max_position_embeddings=64, num_labels=2)
    torch.manual_seed(0)
    BertForSequenceClassification(config).save_pretrained(folder, safe_serialization=True)
    tokenizer.save_pretrained(folder)
    return folder


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--keys", type=int, default=1000)
    parser.add_argument("--keys-per-second", type=float, default=4.0)
    parser.add_argument("--train-minutes", type=float, default=30.0)
    parser.add_argument("--screenshots", type=Path, default=Path("soak-screenshots"))
    args = parser.parse_args()

    from bertdesk.core import Split
    from bertdesk.gui.app import use_cjk_font
    from bertdesk.gui.common.jobs import garbage_collected_on_gui_thread
    from bertdesk.gui.common.settings import install_translator
    from bertdesk.gui.main_window import MainWindow
    from bertdesk.gui.training.train_panel import TrainPanel
    from bertdesk.ops import make_splits
    from bertdesk.store import Project

    work = Path(tempfile.mkdtemp(prefix="bertdesk-soak-"))
    path = work / "soak.bertdesk"
    with Project.create(path) as project:
        with project.bulk_writer() as writer:
            writer.label_id("good")
            writer.label_id("bad")
            for index in range(max(args.keys + 50, 400)):
                writer.add(f"review number {index} {'good food fast' if index % 2 else 'bad service slow'}",
                           Split.UNASSIGNED)
    app = QApplication(sys.argv[:1])
    garbage_collection = contextlib.ExitStack()  # as in the app: collected on the GUI thread
    garbage_collection.enter_context(garbage_collected_on_gui_thread())
    install_translator(app, "en")
    use_cjk_font(app)
    args.screenshots.mkdir(parents=True, exist_ok=True)
    window = MainWindow()
    window.resize(1200, 800)
    window.show()
    assert window.open_project(path) and window.label_view is not None
    table = window.label_view.table
    table.setFocus()
    started = time.monotonic()
    pressed = 0

    def report(what: str) -> None:
        print(f"{time.monotonic() - started:7.1f} s  {what}  refcount(None)={sys.getrefcount(None)}  "
              f"memory {psutil.Process().memory_info().rss / 2**20:,.0f} MiB", flush=True)

    def press() -> None:
        nonlocal pressed
        if pressed == args.keys:
            key_timer.stop()
            window.grab().save(str(args.screenshots / "after_keys.png"))
            QTimer.singleShot(500, start_training)
            return
        QTest.keyClick(table, "12"[pressed % 2])
        pressed += 1
        if pressed % 100 == 0:
            report(f"{pressed} label keys")

    def start_training() -> None:
        assert window.session is not None
        project = window.session.project
        saved = sum(1 for row in project.page(limit=args.keys + 50) if row.label_ids)
        report(f"{saved} texts saved with a label after {pressed} keys")
        if saved != args.keys:
            print("FAIL: a label key was not saved", flush=True)
            app.exit(2)
            return
        window.session.run_op(make_splits, 0.8, 0.2, 0.0, seed=0)
        window.tabs.setCurrentIndex(1)
        panel = window.findChild(TrainPanel)
        assert panel is not None
        model = tiny_model(work / "tiny")
        panel.models.add_model(str(model), "tiny soak model")
        epochs = panel.settings.input_for("epochs")
        epochs.setValue(epochs.maximum())  # small batches, most epochs, no early stop: a long run
        patience = panel.settings.input_for("early_stopping_patience")
        patience.setValue(patience.minimum())
        panel.settings.input_for("batch_size").setValue(2)
        panel.settings.input_for("max_length").setValue(32)
        panel.start()
        deadline = time.monotonic() + args.train_minutes * 60

        def watch() -> None:
            report(f"training, {panel.curves.point_counts()}")
            window.grab().save(str(args.screenshots / "training.png"))
            if not panel.running and time.monotonic() < deadline:  # a run ended before the watch did
                report("run finished; starting another")
                panel.start()
            if time.monotonic() >= deadline:
                watch_timer.stop()
                panel.stop()
                QTimer.singleShot(0, wait_for_stop)

        def wait_for_stop() -> None:
            if panel.running:
                QTimer.singleShot(200, wait_for_stop)
                return
            report("stopped")
            window.grab().save(str(args.screenshots / "stopped.png"))
            panel.shutdown()
            app.exit(0)

        watch_timer.timeout.connect(watch)
        watch_timer.start(60_000)

    key_timer = QTimer()
    key_timer.timeout.connect(press)
    watch_timer = QTimer()
    report("window open")
    key_timer.start(int(1000 / args.keys_per_second))
    code = app.exec()
    window.close_project()
    garbage_collection.close()
    report(f"exit {code}")
    return code


if __name__ == "__main__":
    sys.exit(main())
