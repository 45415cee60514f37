"""A run's summary.json names the sha256 of every data table it read (the user's files
included), so a report can be traced to the tables it ran on; a changed table file changes its
checksum."""

from __future__ import annotations

import hashlib
import json
import shutil

import pytest

import patientflow
from patientflow.config.schema import RunConfig
from patientflow.data import default_data_dir, load_dataset
from patientflow.data.checksums import checksums, file_sha256, run_data_checksums
from patientflow.data.schema import TABLES


def sha256(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture(scope="module")
def own_sites(tmp_path_factory):
    """A user's copy of the sites table."""
    path = tmp_path_factory.mktemp("own") / "my_sites.csv"
    shutil.copyfile(default_data_dir() / "sites.csv", path)
    return path


@pytest.fixture(scope="module")
def small_run(tmp_path_factory, own_sites):
    """The accessibility job on one region with the user's sites table."""
    out = tmp_path_factory.mktemp("checksum_run")
    cfg = patientflow.compose(
        [
            "sim=accessibility",
            "region=zuidwest",
            "demand=municipality",
            "report.figures=false",
            "report.accessibility_area=study_area",
            f"data.tables.sites={own_sites}",
        ]
    )
    return patientflow.run(cfg, out)


@pytest.mark.slow
def test_summary_json_names_every_table_checksum(small_run, own_sites):
    summary = json.loads((small_run.out_dir / "summary.json").read_text(encoding="utf-8"))
    sums = summary["data_checksums"]
    assert set(sums) == {t.name for t in TABLES if t.name != "od_matrix"} | {"municipal_boundaries"}
    for name, digest in sums.items():
        path = own_sites if name == "sites" else default_data_dir() / f"{name}.csv"
        if name == "municipal_boundaries":
            path = default_data_dir() / "municipal_boundaries.geojson"
        assert digest == sha256(path), name
    assert summary["data"]["sites"] == str(own_sites)
    # version and commit beside them (the commit is null outside a git checkout)
    assert summary["patientflow_version"] == patientflow.__version__
    assert set(summary["code"]) == {"version", "commit"}


def test_a_changed_table_file_changes_its_checksum(own_sites, tmp_path):
    changed = tmp_path / "sites.csv"
    text = own_sites.read_text(encoding="utf-8")
    changed.write_text(text.replace(",Goes,", ",Goes ,", 1), encoding="utf-8")
    assert changed.read_text(encoding="utf-8") != text
    before = run_data_checksums(load_dataset(None, {"sites": str(own_sites)}), RunConfig())
    after = run_data_checksums(load_dataset(None, {"sites": str(changed)}), RunConfig())
    assert before["sites"] != after["sites"] == sha256(changed)
    assert {k: v for k, v in before.items() if k != "sites"} == {
        k: v for k, v in after.items() if k != "sites"
    }
    # the same path rewritten in place is hashed anew
    changed.write_text(text, encoding="utf-8")
    assert file_sha256(changed) == before["sites"]


def test_the_users_other_files_and_absent_tables(tmp_path):
    volumes = tmp_path / "volumes.csv"
    volumes.write_text("hospital,intervention,year,volume\n", encoding="utf-8")
    run = RunConfig()
    run.care.volumes_file = str(volumes)
    run.travel.od_matrix = str(tmp_path / "od.csv")  # named but absent: None, not a crash
    sums = run_data_checksums(load_dataset(), run)
    assert sums["care_volumes"] == sha256(volumes)
    assert sums["site_interventions"] == sha256(default_data_dir() / "site_interventions.csv")
    assert sums["od_matrix"] is None
    assert "prognosis" not in sums
    assert checksums({"a": None, "b": volumes}) == {"b": sha256(volumes)}
