"""Golden back-test: a small fixed configuration of each job, whose key indicators are stored
in values.json and compared exactly. A refactor that changes a number fails here; a deliberate
change updates the stored values in the same commit, saying why in its message:

    PATIENTFLOW_UPDATE_GOLDEN=1 python -m pytest tests/golden
"""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import patientflow

# Every test here needs seconds of work (a simulation, a build or a command line, itself or
# in its module fixture): `make test-fast` leaves them out (pyproject.toml's slow marker).
pytestmark = pytest.mark.slow

VALUES = Path(__file__).with_name("values.json")
UPDATE = os.environ.get("PATIENTFLOW_UPDATE_GOLDEN") == "1"
SMALL = [
    "region=midden",
    "demand=municipality",
    "report.figures=false",
    "report.accessibility_area=study_area",
    "sim.progress=false",
]
JOBS = {
    "accessibility": ["sim=accessibility", "network=close_regional_seh_example", *SMALL],
    "acute": ["sim.days=2", "sim.warmup_days=0.5", *SMALL],
    "care": [
        "sim=care",
        "network=tranche1_2025",
        "sim.days=56",
        "sim.warmup_days=7",
        *SMALL,
        "care.national_rules_on_region=true",
    ],
}


def key_indicators(job: str, summary: dict) -> dict:
    """The numbers of a run that the back-test holds fixed."""
    out = {"indicators": summary["indicators"]}
    if job == "acute":
        acute = summary["acute"]
        out["acute"] = {
            k: acute[k]
            for k in (
                "arrivals",
                "unfinished_journeys",
                "national",
                "utilisation",
                "seh_peak_occupancy",
                "seh_stop_min_per_day",
            )
        }
    if job == "care":
        out["care"] = summary["care"]
        out["care_beds"] = summary["care_beds"]
    return json.loads(json.dumps(out))


@pytest.mark.parametrize("job", sorted(JOBS))
def test_key_indicators_are_unchanged(job, tmp_path):
    result = patientflow.run(patientflow.compose(JOBS[job]), tmp_path / job)
    got = key_indicators(job, result.summary)
    stored = json.loads(VALUES.read_text(encoding="utf-8")) if VALUES.is_file() else {}
    if UPDATE:
        stored[job] = got
        VALUES.write_text(json.dumps(stored, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        pytest.skip("golden values updated")
    assert job in stored, "no stored values: run with PATIENTFLOW_UPDATE_GOLDEN=1 once"
    assert got == stored[job]
