"""The layer rule: core, store, io, ml, ops, system and cli work with Qt made unimportable."""

from __future__ import annotations

import subprocess
import sys
import textwrap

HEADLESS_PACKAGES = ("bertdesk.core", "bertdesk.store", "bertdesk.io", "bertdesk.ml", "bertdesk.ops", "bertdesk.cli",
                     "bertdesk.system")


def test_headless_packages_never_import_qt() -> None:
    script = textwrap.dedent(
        f"""
        import importlib, pkgutil, sys

        class BlockQt:
            def find_spec(self, name, path=None, target=None):
                if name.split(".")[0] in ("PySide6", "shiboken6", "pyqtgraph"):
                    raise ImportError(f"{{name}} imported by a headless package")
                return None

        sys.meta_path.insert(0, BlockQt())
        for package_name in {HEADLESS_PACKAGES!r}:
            package = importlib.import_module(package_name)
            for module in pkgutil.walk_packages(package.__path__, package_name + "."):
                importlib.import_module(module.name)
        from bertdesk.cli import build_parser
        build_parser()
        print("ok")
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "ok"
