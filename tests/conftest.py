"""Shared fixtures: the default dataset and a finished default-ish run, each built once."""

from __future__ import annotations

import importlib
import os
import sys
from pathlib import Path

import pytest

import patientflow
from patientflow.data import load_dataset

REPO = Path(__file__).resolve().parents[1]


def build_script():
    """scripts/build_dataset.py as a module (its sibling build_water.py importable)."""
    scripts = str(REPO / "scripts")
    if scripts not in sys.path:
        sys.path.insert(0, scripts)
    return importlib.import_module("build_dataset")


def shared_sources() -> Path:
    """The raw public data folder (../shared/data-sources), or PATIENTFLOW_SOURCES."""
    return Path(os.environ.get("PATIENTFLOW_SOURCES", REPO.parent / "shared" / "data-sources"))


@pytest.fixture(scope="session")
def dataset():
    return load_dataset()


@pytest.fixture(scope="session")
def nl_run(tmp_path_factory):
    """The default job on the whole country at municipality resolution, no figures."""
    out = tmp_path_factory.mktemp("nl_run")
    cfg = patientflow.compose(
        ["sim=accessibility", "region=nl", "demand=municipality", "report.figures=false"]
    )
    return patientflow.run(cfg, out)
