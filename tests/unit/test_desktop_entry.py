"""`bertdesk install-desktop` in a temporary HOME: the launcher, icon and file type land where
xdg looks, are valid, name each other, and go again with uninstall-desktop."""

from __future__ import annotations

import configparser
import shutil
import subprocess
import sys
import xml.etree.ElementTree as ElementTree
from pathlib import Path

import pytest

from bertdesk.cli import main as cli_main
from bertdesk.system.desktop_entry import (
    MIME_TYPE,
    data_home,
    desktop_entry_text,
    install_desktop_entry,
    launcher_command,
    uninstall_desktop_entry,
)

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="freedesktop.org desktops only")
MIME_NAMESPACE = "{http://www.freedesktop.org/standards/shared-mime-info}"


@pytest.fixture
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh HOME without XDG_DATA_HOME: xdg's default, ~/.local/share, applies."""
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    monkeypatch.delenv("XDG_DATA_HOME", raising=False)
    return tmp_path / "home"


def read_desktop_entry(path: Path) -> configparser.SectionProxy:
    """The [Desktop Entry] group, checked by desktop-file-validate where it is installed."""
    validator = shutil.which("desktop-file-validate")
    if validator is not None:
        done = subprocess.run([validator, str(path)], capture_output=True, text=True)
        assert done.returncode == 0 and not done.stdout.strip(), done.stdout + done.stderr
    parser = configparser.ConfigParser(interpolation=None, strict=True)
    parser.optionxform = str  # type: ignore[assignment,method-assign]  # keys are case-sensitive
    parser.read(path, encoding="utf-8")
    return parser["Desktop Entry"]


def test_install_puts_the_files_where_xdg_looks(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert cli_main(["install-desktop"]) == 0
    share = home / ".local" / "share"
    assert data_home() == share
    desktop = share / "applications" / "bertdesk.desktop"
    icon = share / "icons" / "hicolor" / "scalable" / "apps" / "bertdesk.svg"
    mime = share / "mime" / "packages" / "bertdesk.xml"
    printed = capsys.readouterr().out
    for path in (desktop, icon, mime):
        assert f"wrote {path}" in printed

    entry = read_desktop_entry(desktop)
    assert entry["Type"] == "Application" and entry["Name[zh_CN]"] == "bertdesk 文本分类"
    assert entry["Icon"] == icon.stem
    assert entry["MimeType"].split(";")[:-1] == [MIME_TYPE]
    assert ElementTree.parse(icon).getroot().tag == "{http://www.w3.org/2000/svg}svg"

    mime_type = ElementTree.parse(mime).getroot().find(f"{MIME_NAMESPACE}mime-type")
    assert mime_type is not None and mime_type.get("type") == MIME_TYPE
    assert [glob.get("pattern") for glob in mime_type.iter(f"{MIME_NAMESPACE}glob")] == ["*.bertdesk"]

    if shutil.which("update-mime-database"):  # the database xdg-mime and file managers read
        assert f"{MIME_TYPE}:*.bertdesk" in (share / "mime" / "globs2").read_text()
    if shutil.which("update-desktop-database"):  # which application opens the type
        assert f"{MIME_TYPE}=bertdesk.desktop;" in (share / "applications" / "mimeinfo.cache").read_text()


def test_the_launcher_starts_this_bertdesk(home: Path) -> None:
    install_desktop_entry()
    entry = read_desktop_entry(home / ".local/share/applications/bertdesk.desktop")
    command = entry["Exec"].removesuffix(" %f")
    assert command.split() == launcher_command() and Path(launcher_command()[0]).is_absolute()
    done = subprocess.run([*launcher_command(), "--version"], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0 and done.stdout.startswith("bertdesk ")


def test_xdg_data_home_is_where_it_goes_when_set(home: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    changes = install_desktop_entry()
    assert all(path.is_relative_to(tmp_path / "data") for path in changes.files) and len(changes.files) == 3
    assert not (home / ".local").exists()
    monkeypatch.setenv("XDG_DATA_HOME", "relative/path")  # the spec ignores a relative one
    assert data_home() == home / ".local" / "share"


@pytest.mark.parametrize(("command", "exec_line"), [
    (["/opt/my apps/bertdesk"], 'Exec="/opt/my apps/bertdesk" %f'),
    (["/usr/bin/python3", "-m", "bertdesk"], "Exec=/usr/bin/python3 -m bertdesk %f"),
    (['/home/a "b"/$HOME/100%/bertdesk'], 'Exec="/home/a \\\\"b\\\\"/\\\\$HOME/100%%/bertdesk" %f'),
])
def test_the_exec_line_quotes_as_the_spec_says(tmp_path: Path, command: list[str], exec_line: str) -> None:
    assert exec_line in desktop_entry_text(command).splitlines()
    install_desktop_entry(tmp_path, command)
    read_desktop_entry(tmp_path / "applications" / "bertdesk.desktop")  # valid where the validator is installed


def test_uninstall_removes_what_install_added(home: Path, capsys: pytest.CaptureFixture[str]) -> None:
    share = home / ".local" / "share"
    installed = install_desktop_entry().files
    (share / "applications" / "someone-else.desktop").write_text("[Desktop Entry]\n")
    assert cli_main(["uninstall-desktop"]) == 0
    assert not any(path.exists() for path in installed)
    assert (share / "applications" / "someone-else.desktop").exists()
    if shutil.which("update-mime-database"):
        assert "bertdesk" not in (share / "mime" / "globs2").read_text()
    capsys.readouterr()
    assert cli_main(["uninstall-desktop"]) == 0
    assert "Nothing to remove" in capsys.readouterr().out
