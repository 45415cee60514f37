"""The beds behind an SEH are the hospital's: acute admissions share them with the hospital's
other inpatients, who are cancelled (never queued before an acute patient) when no bed is
free."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import patientflow
from patientflow.acute.beds import national_acute_inpatients
from patientflow.acute.catchments import mean_of
from patientflow.acute.job import study_area_sehs
from patientflow.acute.logs import JOURNEY_SCHEMA
from patientflow.acute.model import PatientFlowModel
from patientflow.core.eventlog import ParquetLog
from tests.acute.worlds import QUICK, world_of

# Every test here needs seconds of work (a simulation, a build or a command line, itself or
# in its module fixture): `make test-fast` leaves them out (pyproject.toml's slow marker).
pytestmark = pytest.mark.slow

COMMON = (*QUICK, "region=euregio", "sim.days=4", "sim.warmup_days=1")


def test_the_national_acute_inpatients_are_the_sum_over_the_countrys_sehs():
    world, run, data = world_of("region=nl")
    assert national_acute_inpatients(run, data) == pytest.approx(
        world.initial_inpatients.sum(), rel=1e-6
    )
    other = world.other_inpatients.sum()
    # The SEH hospitals hold most, not all, of the country's other inpatients.
    assert 0.7 * (16_592 - world.initial_inpatients.sum()) < other < 16_592
    beds = world.sehs["beds"].to_numpy(dtype=float)
    assert np.allclose(world.other_inpatients / beds, world.other_inpatients[0] / beds[0])


def test_the_beds_stay_as_full_as_they_start_over_the_first_days(tmp_path):
    """The inpatients in bed at the start have the remaining stays of stays under way
    (length-biased), so the occupancy holds; a fraction of a fresh stay emptied a quarter of
    the beds by day 2 (Midden-Nederland: 2,350 to 1,783) and took weeks to recover."""
    world, run, _ = world_of("region=midden", "sim.progress=false")
    journeys = ParquetLog(tmp_path / "journeys.parquet", JOURNEY_SCHEMA, 100_000)
    model = PatientFlowModel(run, world, journeys)
    start = sum(ed.beds.occupied for ed in model.seh)
    assert start > 1000
    for _day in range(3):
        for _hour in range(24):
            model.step()
        occupied = sum(ed.beds.occupied for ed in model.seh)
        assert 0.96 * start < occupied < 1.04 * start, (start, occupied)


def test_the_other_inpatients_grow_with_the_population():
    """Split off the acute inpatients at the base year, the other inpatients grow with the
    population: a later year or a population factor brings more of them, never fewer (taking
    off the later year's acute inpatients made them shrink as the population grew)."""
    now, _, data_now = world_of("region=midden")
    later, _, data_later = world_of("region=midden", "demand.year=2040")
    grown, _, _ = world_of("region=midden", "scenario.population_factor=1.25")
    pop = [float(d.municipalities["population"].sum()) for d in (data_now, data_later)]
    assert pop[1] > 1.03 * pop[0]
    assert later.other_inpatients.sum() == pytest.approx(
        now.other_inpatients.sum() * pop[1] / pop[0], rel=1e-9
    )
    assert grown.other_inpatients.sum() == pytest.approx(1.25 * now.other_inpatients.sum())


def test_without_sharing_there_are_no_other_inpatients():
    world, _, _ = world_of(
        "region=euregio", "facilities.seh.share_beds_with_other_inpatients=false"
    )
    assert (world.other_inpatients == 0).all()


def _run(tmp_path, name, *overrides):
    return patientflow.run(patientflow.compose([*COMMON, *overrides]), tmp_path / name)


def test_fewer_open_beds_cancel_other_inpatients_and_keep_every_acute_admission(tmp_path):
    base = _run(tmp_path, "base")
    short = _run(tmp_path, "short", "scenario.acute_beds_factor=0.6")
    b, s = base.summary["acute"], short.summary["acute"]
    assert b["other_inpatients"]["admitted"] > 100  # Euregio's 3 hospitals, 3 days
    assert s["other_inpatients"]["share_cancelled"] > b["other_inpatients"]["share_cancelled"]
    assert s["other_inpatients"]["share_cancelled"] > 0.05
    # Acute admissions are the patients' decisions: the same count, only they wait longer.
    key = "admissions"
    assert s["national"]["volumes_per_year"][key] == pytest.approx(
        b["national"]["volumes_per_year"][key], rel=0.01
    )
    waits = [
        pd.read_parquet(r.paths["journeys"], columns=["bed_wait_min"])["bed_wait_min"].dropna()
        for r in (base, short)
    ]
    assert waits[1].mean() > waits[0].mean()
    ts = pd.read_parquet(short.paths["timeseries"])
    seh = ts[ts["facility_type"] == "seh"]
    assert seh["occupied_beds"].max() > 0


def test_a_regional_run_counts_the_other_inpatients_of_its_own_hospitals(tmp_path):
    """A regional run simulates every SEH hospital's other inpatients (the world holds the
    country's SEHs), but those across its border admit none of the region's acute patients:
    counted with them, Euregio's winter read 1.9 % of other inpatients cancelled for its
    hospitals' 8.7 %, over twelve times the admissions. Like the stop minutes, the count is
    now of the study area's SEH hospitals."""
    world, run, _ = world_of("region=euregio")
    ids = world.sehs["id"].astype(str)
    mine = ids.isin(study_area_sehs(world)).to_numpy()
    assert 0 < mine.sum() < len(ids)
    per_day = world.other_inpatients[mine].sum() / (
        mean_of(run.facilities.seh.inpatient_stay) / 1440
    )
    got = _run(tmp_path, "area").summary["acute"]["other_inpatients"]
    assert got["admitted"] + got["cancelled_no_bed"] == pytest.approx(3 * per_day, rel=0.2)


def test_the_beds_of_gp_post_referrals_are_planned_where_the_post_sends_them(monkeypatch):
    """After a consultation at the GP post the patient drives on to the SEH nearest the post,
    after a home visit to the one nearest home (agents.py); the beds planned at the start
    follow them. They all sat at the SEH nearest home."""
    from patientflow.acute import beds
    from patientflow.config.demand import Channel
    from patientflow.core.area import study_area

    world, run, data = world_of("region=midden")
    post_first = world.gp_seh_order_car[world.point_gp, 0]
    home_first = world.seh_order_car[:, 0]
    point = int(np.flatnonzero(post_first != home_first)[0])
    post_seh, home_seh = int(post_first[point]), int(home_first[point])

    def one_caller(world, area, channel, ooh_only):
        calls = np.zeros((len(world.seh_order_car), 168))
        if channel == Channel.gp_post_call:
            calls[point] = 1.0
        return calls

    monkeypatch.setattr(beds, "weekly_calls", one_caller)
    planned = beds.expected_occupied_beds(world, run, study_area(data, run))
    t = run.facilities.triage
    # A consultation is five times as likely as a home visit (0.5 against 0.1).
    assert t.consult > 2 * t.home_visit
    assert planned[post_seh] > planned[home_seh] > 0
    assert planned.sum() == pytest.approx(
        beds.mean_of(run.facilities.seh.inpatient_stay)
        * (t.consult + t.home_visit)
        * t.seh_after_gp
        * run.facilities.seh.admit_referred
        / 60,
        rel=1e-9,
    )
