"""The care job honours sim.replication: the same replication repeats exactly, another one
draws other patients."""

from __future__ import annotations

import pandas as pd

import patientflow


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
    return pd.read_parquet(result.tables["care_patients"])


def test_two_care_replications_differ_and_one_repeats_exactly(tmp_path):
    first = _patients(tmp_path, 0, "a")
    again = _patients(tmp_path, 0, "b")
    other = _patients(tmp_path, 1, "c")
    assert len(first) > 50
    pd.testing.assert_frame_equal(first, again)
    cols = ["intervention", "point", "referral_min"]
    assert not first[cols].equals(other[cols])
