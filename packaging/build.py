"""Build the one-folder desktop app (window and CLI in one executable) with PyInstaller.

    pip install -e ".[packaging]"      # PyInstaller; PyTorch must be a CPU build
    python packaging/build.py [--dist FOLDER]

runs ``packaging/bertdesk.spec``, strips the symbols of the Linux binaries, and prints where
the folder is, its size and its largest parts. It refuses a CUDA or ROCm build of PyTorch
before starting: the folder would carry gigabytes of GPU libraries that the desktop app does
not use. ``packaging/smoke_test.sh`` then runs the result as a user would.
"""

from __future__ import annotations

import argparse
import importlib.util
import os
import shutil
import struct
import subprocess
import sys
import time
from collections import Counter
from pathlib import Path, PurePath

PACKAGING = Path(__file__).resolve().parent
ROOT = PACKAGING.parent
SPEC = PACKAGING / "bertdesk.spec"
APP_NAME = "bertdesk"
CPU_TORCH_INDEX = "https://download.pytorch.org/whl/cpu"
LARGEST_SHOWN = 12
ELF_MAGIC = b"\x7fELF"
LOADABLE_SEGMENT = 1  # PT_LOAD
PAGE_SIZE = 4096


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--dist", type=Path, default=ROOT / "dist",
                        help="where the bertdesk folder goes (default: dist/ in the checkout)")
    parser.add_argument("--work", type=Path, default=ROOT / "build" / "pyinstaller",
                        help="PyInstaller's working folder (default: build/pyinstaller)")
    parser.add_argument("--no-shrink", action="store_true",
                        help="keep every file the hooks collect (to measure what shrinking saves)")
    parser.add_argument("--no-strip", action="store_true", help="leave the symbols in the Linux binaries")
    return parser.parse_args(argv)


def environment_problems() -> list[str]:
    """What stops a good build, each with the command that fixes it."""
    problems = []
    if importlib.util.find_spec("PyInstaller") is None:
        problems.append('PyInstaller is not installed: pip install -e ".[packaging]"')
    if importlib.util.find_spec("torch") is None:
        problems.append(f"PyTorch is not installed: pip install torch --index-url {CPU_TORCH_INDEX}")
    else:
        import torch

        gpu_build = torch.version.cuda or getattr(torch.version, "hip", None)
        if gpu_build:
            problems.append(
                f"PyTorch {torch.__version__} is a GPU build (CUDA/ROCm {gpu_build}), which would put its GPU "
                f"libraries in the folder: pip install --force-reinstall torch --index-url {CPU_TORCH_INDEX}")
    return problems


def is_elf(path: Path) -> bool:
    with path.open("rb") as handle:
        return handle.read(4) == ELF_MAGIC


def segments_aligned(path: Path) -> bool:
    """Whether each loadable segment of a 64-bit little-endian ELF file has an address and a
    file offset that agree modulo the page: the loader refuses a library where they do not
    ("ELF load command address/offset not page-aligned"), and strip leaves the libraries that
    auditwheel's patchelf rewrote (numpy's and scipy's OpenBLAS) that way. Other files: False."""
    with path.open("rb") as handle:
        header = handle.read(64)
        if len(header) < 64 or header[:4] != ELF_MAGIC or header[4:6] != b"\x02\x01":
            return False
        (table_offset,) = struct.unpack_from("<Q", header, 0x20)
        entry_size, entries = struct.unpack_from("<HH", header, 0x36)
        handle.seek(table_offset)
        table = handle.read(entry_size * entries)
    for index in range(entries):
        kind, _, offset, address, _, _, _, alignment = struct.unpack_from("<IIQQQQQQ", table, index * entry_size)
        if kind == LOADABLE_SEGMENT and (address - offset) % max(alignment, PAGE_SIZE):
            return False
    return True


def strip_binaries(library: Path) -> tuple[int, int, list[Path]]:
    """Strip the symbols that linking does not need from every ELF file under ``library``,
    keeping a file as it was where strip fails or would make it unloadable. Returns the bytes
    of those files before and after, and the files kept as they were."""
    before = after = 0
    kept = []
    for path in sorted(library.rglob("*")):
        if path.is_symlink() or not path.is_file() or not is_elf(path):
            continue
        before += path.stat().st_size
        stripped = path.with_name(path.name + ".stripped")
        done = subprocess.run(["strip", "--strip-unneeded", "-o", str(stripped), str(path)],
                              capture_output=True, check=False)
        if done.returncode == 0 and segments_aligned(stripped):
            shutil.copymode(path, stripped)
            os.replace(stripped, path)
        else:
            stripped.unlink(missing_ok=True)
            kept.append(path)
        after += path.stat().st_size
    return before, after, kept


def folder_size(folder: Path) -> int:
    """Bytes of the files under ``folder``, a link counted as itself (as an archive of it would)."""
    return sum(path.lstat().st_size for path in folder.rglob("*") if not path.is_dir() or path.is_symlink())


def largest_parts(folder: Path, depth: int = 2) -> list[tuple[str, int]]:
    """The folder's size by its subfolders ``depth`` levels below the bundle's library folder."""
    library = folder / "_internal" if (folder / "_internal").is_dir() else folder
    sizes: Counter[str] = Counter()
    for path in library.rglob("*"):
        if path.is_dir() and not path.is_symlink():
            continue
        parts = PurePath(path.relative_to(library)).parts
        sizes["/".join(parts[:depth])] += path.lstat().st_size
    return sizes.most_common(LARGEST_SHOWN)


def megabytes(size: int) -> str:
    return f"{size / 1e6:,.0f} MB"


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    problems = environment_problems()
    if problems:
        print("Cannot build:\n  " + "\n  ".join(problems), file=sys.stderr)
        return 2
    command = [sys.executable, "-m", "PyInstaller", str(SPEC), "--noconfirm", "--log-level", "WARN",
               "--distpath", str(args.dist), "--workpath", str(args.work),
               *(["--", "--no-shrink"] if args.no_shrink else [])]
    started = time.monotonic()
    done = subprocess.run(command, cwd=ROOT, check=False)
    if done.returncode != 0:
        print(f"PyInstaller failed (exit status {done.returncode}).", file=sys.stderr)
        return done.returncode
    folder = args.dist / APP_NAME
    # Linux only: Windows has no strip, and on macOS it would break the libraries' signatures.
    # The bootloader executable is left alone: its archive is appended after the ELF image.
    if sys.platform.startswith("linux") and not (args.no_strip or args.no_shrink):
        if shutil.which("strip") is None:
            print("strip is not installed (binutils): the binaries keep their symbols.")
        else:
            before, after, kept = strip_binaries(folder / "_internal")
            print(f"Stripped the binaries: {megabytes(before)} -> {megabytes(after)}; "
                  f"{len(kept)} kept as they were (strip would make them unloadable): "
                  + ", ".join(path.name for path in kept))
    files = sum(1 for path in folder.rglob("*") if not path.is_dir())
    print(f"\nBuilt {folder} in {time.monotonic() - started:.0f} s: {megabytes(folder_size(folder))} in {files} files.")
    print("Largest parts:")
    for name, size in largest_parts(folder):
        print(f"  {megabytes(size):>10}  {name}")
    print(f"Try it: packaging/smoke_test.sh {folder}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
