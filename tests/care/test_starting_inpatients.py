"""The acute inpatients in a hospital's ward beds when a care run starts keep the remaining
stay of a stay under way (length-biased), so the ward stays as full as planned from day one."""

from __future__ import annotations

import numpy as np
import pytest
import simpy

from patientflow.care.pathway import CareModel
from patientflow.care.wards import AcuteBedLoad, HospitalBeds, MeasuredWindow
from patientflow.core.streams import Streams


def _ward(seed: int, days: int = 6, warmup_days: float = 0.0) -> tuple[CareModel, HospitalBeds]:
    """A model holding only one hospital's acute ward stream (no interventions)."""
    model = CareModel.__new__(CareModel)
    model.env, model.days, model.acute = simpy.Environment(), days, AcuteBedLoad()
    model.measured = MeasuredWindow(warmup_days * 1440.0, days * 1440.0)
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
    return model, beds


def _occupied_by_day(seed: int, days: int = 6) -> np.ndarray:
    model, beds = _ward(seed, days)
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


def test_the_ward_counts_its_bed_minutes_in_the_measured_window_only():
    """Bed minutes counted each stay whole when it began, the warm-up's and those running past
    the end included: 2,000 acute inpatients over 5 measured days read about twice that."""
    model, beds = _ward(4, days=6, warmup_days=1.0)
    model.env.run(until=6 * 1440.0)
    assert beds.acute_minutes / (2_000.0 * 5 * 1440.0) == pytest.approx(1.0, abs=0.03)
    admitted = 2_000.0 / model.acute.stay.mean * 5 * 1440.0  # those of the measured days
    assert beds.acute_admissions == pytest.approx(admitted, rel=0.05)
