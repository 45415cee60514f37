"""Sweeps never relabel old results, a failed job fails the sweep, and patientflow-report lists
every expected job with its state and survives broken folders; outputs are complete or
absent."""

from __future__ import annotations

import json
import subprocess
import sys

import pandas as pd
import pytest

from patientflow.core.eventlog import ParquetLog
from patientflow.core.files import part_path, written
from patientflow.report.cli import build_report, main
from patientflow.report.jobs import find_jobs

SMALL = [
    "sim=accessibility",
    "region=midden",
    "demand=municipality",
    "report.figures=false",
    "report.accessibility_area=study_area",
]


def _cli(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "patientflow", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.mark.slow
def test_a_rerun_with_other_overrides_never_reuses_old_results(tmp_path):
    sweep = tmp_path / "sw"
    first = _cli(
        "-m", *SMALL, "network=baseline_2025,current", f"hydra.sweep.dir={sweep}", cwd=tmp_path
    )
    assert first.returncode == 0, first.stderr[-2000:]
    before = json.loads((sweep / "1" / "summary.json").read_text(encoding="utf-8"))
    stamp = (sweep / "1" / "summary.json").stat().st_mtime_ns
    again = _cli(
        "-m",
        *SMALL,
        "network=baseline_2025,close_regional_seh_example",
        f"hydra.sweep.dir={sweep}",
        cwd=tmp_path,
    )
    assert again.returncode == 1
    assert "would be relabelled" in again.stderr
    assert "complete already, skipped" in again.stdout  # job 0 is the same job: reused
    assert (sweep / "1" / "summary.json").stat().st_mtime_ns == stamp
    assert before["network"] == "current"
    result = build_report(sweep, tmp_path / "report")
    assert result["states"] == {"0": "complete", "1": "stale"}
    table = pd.read_csv(tmp_path / "report" / "comparison.csv")
    assert "close_regional_seh_example" not in set(table.get("network", pd.Series(dtype=str)))


@pytest.mark.slow
def test_a_rerun_after_a_config_file_changed_never_reuses_old_results(tmp_path):
    """The same overrides, code commit and data, but the network's config file edited since:
    the old results (no closure) were skipped as this job's (the closure's) and reported as
    complete."""
    conf = tmp_path / "myconf" / "network"
    conf.mkdir(parents=True)
    plan = conf / "my_plan.yaml"
    args = [f"--config-dir={tmp_path / 'myconf'}", *SMALL, "network=my_plan"]
    folder = f"hydra.run.dir={tmp_path / 'run'}"
    plan.write_text("name: my_plan\nclosed_sites: []\nnight_closures: []\n", encoding="utf-8")
    first = _cli(*args, folder, cwd=tmp_path)
    assert first.returncode == 0, first.stderr[-2000:]
    same = _cli(*args, folder, cwd=tmp_path)
    assert same.returncode == 0 and "complete already, skipped" in same.stdout
    stamp = (tmp_path / "run" / "summary.json").stat().st_mtime_ns
    plan.write_text(
        "name: my_plan\nclosed_sites: [H105801]\nnight_closures: []\n", encoding="utf-8"
    )
    again = _cli(*args, folder, cwd=tmp_path)
    assert again.returncode == 2, again.stdout[-2000:]
    assert "would be relabelled" in again.stderr and "another configuration" in again.stderr
    assert (tmp_path / "run" / "summary.json").stat().st_mtime_ns == stamp
    (job,) = find_jobs(tmp_path / "run")
    assert job.status == "stale" and "another configuration" in job.error


def _fake_job(folder, summary_text: str | None = None, error: str | None = None) -> None:
    (folder / ".hydra").mkdir(parents=True)
    (folder / ".hydra" / "config.yaml").write_text("sim: {}\n", encoding="utf-8")
    (folder / ".hydra" / "overrides.yaml").write_text(
        f"- network=n{folder.name}\n", encoding="utf-8"
    )
    if summary_text is not None:
        (folder / "summary.json").write_text(summary_text, encoding="utf-8")
    if error is not None:
        (folder / "error.txt").write_text(error + "\n", encoding="utf-8")


def test_the_report_lists_never_started_failed_and_truncated_jobs(tmp_path, capsys):
    (tmp_path / "multirun.yaml").write_text(
        "hydra:\n  overrides:\n    task: ['network=n0,n1,n2,n3']\n  sweeper:\n    params: null\n",
        encoding="utf-8",
    )
    good = {"seed": 1, "overrides": ["network=n0"], "indicators": {"share_beyond_norm": 0.1}}
    _fake_job(tmp_path / "0", json.dumps(good))
    _fake_job(tmp_path / "1", error="network.closed_sites[0]='X': is not a site id")
    _fake_job(tmp_path / "2", '{"seed": 1, "indicators": {"share_bey')
    assert main([str(tmp_path)]) == 1
    err = capsys.readouterr().err
    for line in ("job 1: failed", "job 2: unreadable", "job 3: never started"):
        assert line in err
    states = build_report(tmp_path)["states"]
    assert states == {"0": "complete", "1": "failed", "2": "unreadable", "3": "never started"}
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "never started" in md and "unreadable" in md and "is not a site id" in md


@pytest.mark.parametrize(
    "text, why",
    [
        ("- 'network=n1\n", "not YAML"),
        ("network: n1\n", "not a list"),
        (b"\xff\xfe", "UTF-8"),
        ("", "empty"),
    ],
)
def test_a_job_whose_overrides_cannot_be_read_is_unreadable_not_the_baseline(tmp_path, text, why):
    """A job is known by its overrides: read as none, a broken overrides.yaml would make a
    closure's results pass for the baseline's (both then have no overrides)."""
    summary = json.dumps({"seed": 1, "indicators": {"share_beyond_norm": 0.1}})
    _fake_job(tmp_path / "0", summary)
    _fake_job(tmp_path / "1", summary)
    path = tmp_path / "1" / ".hydra" / "overrides.yaml"
    path.write_bytes(text if isinstance(text, bytes) else text.encode())
    jobs = {j.path.name: j for j in find_jobs(tmp_path)}
    assert jobs["0"].status == "complete" and jobs["0"].overrides == {"network": "n0"}
    assert jobs["1"].status == "unreadable" and jobs["1"].summary is None
    assert "overrides.yaml" in jobs["1"].error and why in jobs["1"].error


def test_an_unknown_baseline_is_an_error(tmp_path, capsys):
    _fake_job(tmp_path / "0", json.dumps({"seed": 1, "indicators": {}}))
    assert main([str(tmp_path), "--baseline", "nope"]) == 2
    assert "--baseline nope is not a job of this sweep" in capsys.readouterr().err


def test_markdown_escapes_user_strings(tmp_path):
    folder = tmp_path / "0"
    _fake_job(folder, json.dumps({"seed": 1, "indicators": {}}))
    (folder / ".hydra" / "overrides.yaml").write_text(
        "- 'scenario.description=<img src=x> | **bold** [link](http://x)'\n", encoding="utf-8"
    )
    summary = {"seed": 1, "indicators": {}}
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    _fake_job(tmp_path / "1", json.dumps(summary))
    (tmp_path / "1" / ".hydra" / "overrides.yaml").write_text(
        "- scenario.description=plain\n", encoding="utf-8"
    )
    build_report(tmp_path)
    md = (tmp_path / "report.md").read_text(encoding="utf-8")
    assert "<img" not in md and "&lt;img src=x&gt;" in md
    assert r"\| \*\*bold\*\* \[link\]" in md


def test_an_interrupted_write_leaves_no_file_under_its_final_name(tmp_path):
    target = tmp_path / "table.csv"
    with pytest.raises(RuntimeError), written(target) as tmp:
        tmp.write_text("half a ta", encoding="utf-8")
        raise RuntimeError("interrupted")
    assert not target.exists() and not part_path(target).exists()
    log = ParquetLog(tmp_path / "journeys.parquet", {"x": __import__("pyarrow").int64()}, 2)
    for i in range(5):
        log.append({"x": i})
    assert not (tmp_path / "journeys.parquet").exists()  # still being written
    log.close()
    assert pd.read_parquet(tmp_path / "journeys.parquet")["x"].tolist() == [0, 1, 2, 3, 4]
