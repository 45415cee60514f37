"""The acute inpatients in a hospital's ward beds when a care run starts keep the remaining
stay of a stay under way (length-biased), so the ward stays as full as planned from day one."""

from __future__ import annotations

import numpy as np
import simpy

from patientflow.care.pathway import CareModel
from patientflow.care.wards import AcuteBedLoad, HospitalBeds
from patientflow.core.streams import Streams


def _occupied_by_day(seed: int, days: int = 6) -> np.ndarray:
    model = CareModel.__new__(CareModel)  # only the acute ward stream, no interventions
    model.env, model.days, model.acute = simpy.Environment(), days, AcuteBedLoad()
    beds = HospitalBeds(
        site_id="H1",
        ward=simpy.Container(model.env, capacity=10_000, init=10_000),
        icu=simpy.Container(model.env, capacity=1, init=1),
        expected_ward=0.0,
        expected_icu=0.0,
        expected_acute=2_000.0,
        hospital_beds=10_000,
        hospital_icu_beds=1,
    )
    model.env.process(model._acute_admissions(beds, Streams(seed, 0)))
    occupied = []
    for day in range(1, days + 1):
        model.env.run(until=day * 1440.0)
        occupied.append(beds.ward.capacity - beds.ward.level)
    return np.array(occupied)


def test_the_acute_ward_stays_as_full_as_expected_over_the_first_days():
    """With U x a fresh stay as the remaining stay the ward fell by about a tenth in two days
    (the acute stay's cv is below 1) before the admissions filled it again."""
    occupied = np.mean([_occupied_by_day(seed) for seed in (1, 2, 3)], axis=0)
    assert np.all(np.abs(occupied / 2_000.0 - 1.0) < 0.03), occupied
