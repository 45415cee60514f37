"""The layers of docs/architecture.md are enforced: import-linter's contracts (pyproject.toml)
hold on the package, and they do fail when a module breaks one."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO

LINT_IMPORTS = Path(sys.executable).with_name("lint-imports")


def _lint(src: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(src)}
    return subprocess.run(
        [str(LINT_IMPORTS), "--config", str(REPO / "pyproject.toml"), "--no-cache"],
        cwd=src,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.fixture(scope="module")
def lint_available():
    if not LINT_IMPORTS.is_file():
        pytest.fail(f"import-linter is part of the test extra; {LINT_IMPORTS} is missing")


def test_the_package_keeps_every_import_contract(lint_available):
    result = _lint(REPO / "src")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "0 broken" in result.stdout


@pytest.mark.parametrize(
    "module,line,contract",
    [
        ("core/area.py", "import simpy", "know nothing of SimPy or Mesa"),
        ("acute/world.py", "from patientflow.care import rules", "Layers point down"),
        ("core/travel.py", "from patientflow.report import figures", "Layers point down"),
        ("care/job.py", "import matplotlib.pyplot", "Only the report draws"),
    ],
)
def test_a_broken_layer_is_caught(tmp_path, lint_available, module, line, contract):
    copy = tmp_path / "src" / "patientflow"
    shutil.copytree(
        REPO / "src" / "patientflow", copy, ignore=shutil.ignore_patterns("__pycache__", "nl")
    )
    target = copy / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = _lint(tmp_path / "src")
    assert result.returncode != 0
    broken = [ln for ln in result.stdout.splitlines() if ln.endswith("BROKEN")]
    assert any(contract in b for b in broken), result.stdout
