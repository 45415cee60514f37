"""The built distributions carry the licences: the code's MIT LICENSE and the data tables'
per-file statement (src/patientflow/data/nl/LICENSE), in the wheel and in the sdist, and the
wheel's metadata names the licence and the one version. Built offline from the working tree
(no build isolation: the backend must be installed, as the test extras do)."""

from __future__ import annotations

import importlib.util
import subprocess
import sys
import tarfile
import zipfile

import pytest

from patientflow.data import default_data_dir
from patientflow.version import __version__
from tests.conftest import REPO

DATA_LICENCE = "src/patientflow/data/nl/LICENSE"
MISSING = [m for m in ("build", "hatchling") if importlib.util.find_spec(m) is None]


@pytest.fixture(scope="module")
def dists(tmp_path_factory):
    """The wheel and the sdist, built once into a temporary folder."""
    if MISSING:
        pytest.skip(
            f"{', '.join(MISSING)} not installed: the packaging test builds offline without "
            "isolation (pip install -e '.[test]' installs both)"
        )
    out = tmp_path_factory.mktemp("dist")
    proc = subprocess.run(
        [sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    (wheel,) = out.glob("*.whl")
    (sdist,) = out.glob("*.tar.gz")
    return wheel, sdist


@pytest.mark.slow
def test_the_wheel_holds_both_licences_and_names_the_licence(dists):
    wheel, _ = dists
    assert wheel.name == f"patientflow-{__version__}-py3-none-any.whl"
    info = f"patientflow-{__version__}.dist-info"
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        code = zf.read(f"{info}/licenses/LICENSE").decode()
        data = zf.read(f"{info}/licenses/{DATA_LICENCE}").decode()
        metadata = zf.read(f"{info}/METADATA").decode()
    assert "MIT License" in code and "2026 the patientflow developers" in code
    assert "Bron: CBS, Kadaster" in data and "EUPL-1.2" in data
    # the data statement also travels beside the tables it describes
    assert "patientflow/data/nl/LICENSE" in names
    # PEP 561: the package says it is typed, so type checkers read its hints
    assert "patientflow/py.typed" in names
    # the sweeper that conf/config.yaml names, where Hydra's plugin discovery finds it
    assert "hydra_plugins/patientflow_sweeper/sweeper.py" in names
    lines = metadata.splitlines()
    assert "License-Expression: MIT" in lines
    assert "License-File: LICENSE" in lines
    assert f"License-File: {DATA_LICENCE}" in lines
    assert f"Version: {__version__}" in lines


@pytest.mark.slow
def test_the_sdist_holds_both_licences(dists):
    _, sdist = dists
    root = f"patientflow-{__version__}"
    with tarfile.open(sdist) as tf:
        names = set(tf.getnames())
        assert f"{root}/LICENSE" in names
        assert f"{root}/{DATA_LICENCE}" in names
        assert f"{root}/src/patientflow/py.typed" in names
        text = tf.extractfile(f"{root}/{DATA_LICENCE}").read().decode()
    assert text == (REPO / DATA_LICENCE).read_text(encoding="utf-8")


def test_every_data_file_has_its_licence_stated():
    """A table added to the embedded dataset without its licence and source fails here."""
    text = (default_data_dir() / "LICENSE").read_text(encoding="utf-8")
    stated = {line.removeprefix("### ").strip() for line in text.splitlines() if line[:4] == "### "}
    shipped = {p.name for p in default_data_dir().iterdir() if p.is_file()}
    assert shipped == stated
    for block in text.split("\n### ")[1:]:
        name = block.splitlines()[0]
        if name != "LICENSE":
            assert "Licence:" in block and "Source:" in block, name
