"""The care job honours sim.replication: the same replication repeats exactly, another one
draws other patients."""

from __future__ import annotations

import pandas as pd
import pytest

import patientflow

# Every test here needs seconds of work (a simulation, a build or a command line, itself or
# in its module fixture): `make test-fast` leaves them out (pyproject.toml's slow marker).
pytestmark = pytest.mark.slow


def _patients(tmp_path, replication: int, name: str) -> pd.DataFrame:
    cfg = patientflow.compose(
        [
            "sim=care",
            "region=midden",
            "demand=municipality",
            "sim.days=60",
            "sim.warmup_days=7",
            f"sim.replication={replication}",
            "report.figures=false",
            "report.accessibility_area=study_area",
        ]
    )
    result = patientflow.run(cfg, tmp_path / name)
    assert result.summary["replication"] == replication
    return pd.read_parquet(result.paths["care_patients"])


def test_two_care_replications_differ_and_one_repeats_exactly(tmp_path):
    first = _patients(tmp_path, 0, "a")
    again = _patients(tmp_path, 0, "b")
    other = _patients(tmp_path, 1, "c")
    assert len(first) > 50
    pd.testing.assert_frame_equal(first, again)
    cols = ["intervention", "point", "referral_min"]
    assert not first[cols].equals(other[cols])


def _replicated(tmp_path, network: str) -> dict:
    cfg = patientflow.compose(
        [
            "sim=care",
            "region=midden",
            "demand=municipality",
            f"network={network}",
            "care.national_rules_on_region=true",
            "sim.days=90",
            "sim.warmup_days=7",
            "sim.replications=3",
            "report.figures=false",
            "report.accessibility_area=study_area",
        ]
    )
    result = patientflow.run(cfg, tmp_path / network)
    reps = pd.read_csv(result.paths["care_replications"])
    assert sorted(reps["replication"].unique()) == [0, 1, 2]
    return result.summary["care"]


def test_a_replicated_care_run_reports_intervals_paired_on_the_same_patients(tmp_path):
    care = _replicated(tmp_path, "tranche1_2025")
    wait = care["lung_resection"]["pathway"]["replications"]["national"]["wait_weeks_p50"]
    for side in ("current", "new", "difference"):
        ci = wait[side]
        assert ci["n"] == 3 and ci["ci_low"] <= ci["mean"] <= ci["ci_high"]


def test_a_replicated_care_runs_intervals_stay_within_what_can_be_measured(tmp_path):
    """A wait or time to surgery lasts at most the measured days, a share lies in [0, 1], a
    difference of shares in [-1, 1]: a 60-day run's stomach wait read 1.46 weeks [0, 19.6]."""
    care = _replicated(tmp_path, "tranche1_2025")
    weeks = (90 - 7) / 7
    top = {
        "wait_weeks_p50": weeks,
        "to_surgery_days_p90": 83.0,
        "acute_to_surgery_min_mean": 83.0 * 1440,
        "acute_to_surgery_min_p90": 83.0 * 1440,
    }
    for name, s in care.items():
        for ind, ci in s["pathway"]["replications"]["national"].items():
            high = 1.0 if "share" in ind else top[ind]
            for side, lo, hi in (
                ("current", 0, high),
                ("new", 0, high),
                ("difference", -high, high),
            ):
                if ci[side]["ci_low"] is not None:
                    assert lo <= ci[side]["ci_low"] and ci[side]["ci_high"] <= hi, (name, ind, side)


def test_keeping_todays_providers_changes_no_indicator(tmp_path):
    care = _replicated(tmp_path, "current")
    for name, s in care.items():
        assert s["extra_travel_min_mean"] == 0 and s["providers_new"] == s["providers_current"]
        for ind, ci in s["pathway"]["replications"]["national"].items():
            diff = ci["difference"]
            if diff["mean"] is not None:
                assert diff["mean"] == 0 and diff["ci_low"] == diff["ci_high"] == 0, (name, ind)
