"""The bundle's build files: the CI workflow builds and tries the bundle on the three systems,
build.py explains itself and refuses a GPU build of PyTorch, the spec and the smoke test parse.
Building the bundle takes many minutes and gigabytes, so the build itself runs in CI
(.github/workflows/bundle.yml) and by hand (packaging/build.py, then packaging/smoke_test.sh)."""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from types import ModuleType
from typing import Any

import pytest

from tests.conftest import REPO_ROOT

PACKAGING = REPO_ROOT / "packaging"
WORKFLOW = REPO_ROOT / ".github" / "workflows" / "bundle.yml"


def workflow_steps() -> tuple[dict[str, Any], list[dict[str, Any]]]:
    yaml = pytest.importorskip("yaml")  # PyYAML comes with transformers
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    (job,) = workflow["jobs"].values()
    return job, job["steps"]


def test_workflow_builds_and_tries_the_bundle_on_linux_windows_and_macos() -> None:
    job, steps = workflow_steps()
    systems = job["strategy"]["matrix"]["os"]
    assert job["runs-on"] == "${{ matrix.os }}"
    for system in ("ubuntu", "windows", "macos"):
        assert any(name.startswith(f"{system}-") for name in systems), system
    commands = [step["run"] for step in steps if "run" in step]
    assert any("packaging/build.py" in command for command in commands)
    assert any("packaging/smoke_test.sh" in command for command in commands)


def test_workflow_installs_cpu_pytorch_before_bertdesk() -> None:
    _, steps = workflow_steps()
    commands = "\n".join(step["run"] for step in steps if "run" in step)
    cpu_torch = commands.index("download.pytorch.org/whl/cpu")
    assert cpu_torch < commands.index("[packaging]")


def test_build_script_explains_itself() -> None:
    done = subprocess.run([sys.executable, str(PACKAGING / "build.py"), "--help"],
                          capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    assert "--dist" in done.stdout and "--no-shrink" in done.stdout


def load_build_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("packaging_build", PACKAGING / "build.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_build_refuses_a_gpu_build_of_pytorch(monkeypatch: pytest.MonkeyPatch) -> None:
    torch = pytest.importorskip("torch")
    build = load_build_script()
    monkeypatch.setattr(torch.version, "cuda", "12.4")
    (problem,) = [text for text in build.environment_problems() if "PyTorch" in text]
    assert "GPU build" in problem and build.CPU_TORCH_INDEX in problem


def test_spec_compiles() -> None:
    spec = PACKAGING / "bertdesk.spec"
    compile(spec.read_text(encoding="utf-8"), str(spec), "exec")


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
def test_smoke_test_is_valid_bash() -> None:
    script = PACKAGING / "smoke_test.sh"
    done = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True, timeout=60)
    assert done.returncode == 0, done.stderr
