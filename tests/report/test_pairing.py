"""The report pairs a job with the baseline only when both ran on the same seed: otherwise
their replications share no patients and a 'paired' difference would mislead."""

from __future__ import annotations

import json

import pandas as pd
import pytest

from patientflow.report.aggregate import paired_differences, seed_mismatches
from patientflow.report.cli import build_report
from patientflow.report.jobs import find_jobs


def _job(root, name: str, seed: int, seats: list[float]) -> None:
    folder = root / name
    folder.mkdir(parents=True)
    (folder / "config.yaml").write_text(f"sim:\n  seed: {seed}\n", encoding="utf-8")
    summary = {
        "seed": seed,
        "norm_min": 45.0,
        "indicators": {"share_beyond_norm": 0.01, "population_beyond_norm": 100},
    }
    (folder / "summary.json").write_text(json.dumps(summary), encoding="utf-8")
    pd.DataFrame(
        {
            "seed": seed,
            "replication": range(len(seats)),
            "national.volumes_per_year.seh_visits": seats,
        }
    ).to_csv(folder / "replications.csv", index=False)


def test_a_job_on_another_seed_is_refused_naming_both(tmp_path, capsys):
    _job(tmp_path, "0_baseline", 1, [100.0, 110.0, 105.0])
    _job(tmp_path, "1_same_seed", 1, [120.0, 131.0, 124.0])
    _job(tmp_path, "2_other_seed", 2, [90.0, 95.0, 99.0])
    jobs = find_jobs(tmp_path)
    base = next(j for j in jobs if j.path.name == "0_baseline")
    messages = seed_mismatches(jobs, base)
    assert len(messages) == 1
    assert "2_other_seed" in messages[0] and "0_baseline" in messages[0]
    assert "sim.seed=2" in messages[0] and "sim.seed=1" in messages[0]
    diff = paired_differences(jobs, base)
    assert set(diff["job"]) == {"1_same_seed"}
    assert diff["difference"].iloc[0] == 20.0
    # paired replication by replication: 20, 21, 19, so a deviation of 1 and a 95 % half-width
    # of t(0.975, 2) / sqrt(3) = 2.484; unpaired (the jobs' spreads of about 5) it would be wide
    assert diff["ci_low"].iloc[0] == pytest.approx(20.0 - 2.48414, abs=1e-4)
    assert diff["ci_high"].iloc[0] == pytest.approx(20.0 + 2.48414, abs=1e-4)
    result = build_report(tmp_path, baseline="0_baseline")
    assert result["unpaired"] == messages
    assert "2_other_seed" in capsys.readouterr().err
    assert "Jobs not paired with the baseline" in result["markdown"].read_text(encoding="utf-8")
