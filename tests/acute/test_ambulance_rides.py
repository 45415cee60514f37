"""One patient at a time, with the patient's own draws set by hand: which speeds an ambulance
drives at (lights and sirens or not) on the way out, to the SEH and back to its post, and where
a patient referred by the GP post sets off for the SEH."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from patientflow.acute.agents import PatientAgent
from patientflow.acute.journey import (
    DISPATCH,
    N_UNIFORMS,
    SERVICE_TIMES,
    U_CONVEY,
    U_FURTHER,
    U_OUTCOME,
    U_REFER,
    U_URGENCY,
)
from patientflow.acute.lean_process import run_until
from patientflow.acute.logs import (
    AMB_POST_ID,
    AMB_RESPONSE_MIN,
    JOURNEY_SCHEMA,
    OUTCOME,
    SEH_ARRIVAL_MIN,
    SEH_SITE_ID,
    TRAVEL_MIN,
    URGENCY,
)
from patientflow.acute.model import PatientFlowModel
from patientflow.core.eventlog import ParquetLog
from tests.acute.worlds import world_of

# Every test here needs seconds of work (a simulation, a build or a command line, itself or
# in its module fixture): `make test-fast` leaves them out (pyproject.toml's slow marker).
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def midden():
    return world_of("region=midden", "sim.progress=false")


def ride(
    world,
    run,
    tmp_path,
    urgency_u: float,
    convey_u: float,
    point: int,
    at: float = 600.0,
    dispatch: float = 1.0,
    channel: str = "call_112",
    uniforms: dict[int, float] | None = None,
):
    """One 112 call from `point` at minute `at`, its uniforms as given, call handling
    `dispatch` minutes and every other time 1 minute; returns the journey's row, the delays
    of its later calls (the first releases its vehicle; once the journey ends the slot may
    take other patients) and the model."""
    model = PatientFlowModel(
        run, world, ParquetLog(tmp_path / f"journeys-{at}-{dispatch}.parquet", JOURNEY_SCHEMA, 1000)
    )
    releases = []

    def later(delay, fn, *args):
        releases.append(delay)
        model.later(delay, fn, *args)

    run_until(model.env, at)
    agent = PatientAgent(model)
    agent.ctx = replace(model.ctx, later=later)
    own = [0.5] * (N_UNIFORMS + len(SERVICE_TIMES))
    own[N_UNIFORMS:] = [1.0] * len(SERVICE_TIMES)
    own[U_URGENCY], own[U_CONVEY], own[U_FURTHER] = urgency_u, convey_u, 0.99
    own[DISPATCH] = dispatch
    for k, v in (uniforms or {}).items():
        own[k] = v
    agent.begin(channel, point, at, 1, own)
    rec = agent.rec
    agent.stepper.start(agent.journey())
    run_until(model.env, at + 600.0)
    return rec, releases, model


def post_index(world, rec):
    return int(np.flatnonzero(world.amb_posts["id"].to_numpy() == rec[AMB_POST_ID])[0])


def test_a_planned_transport_drives_without_signals_there_and_back(midden, tmp_path):
    world, run, _ = midden
    rec, releases, _ = ride(world, run, tmp_path, urgency_u=0.999, convey_u=0.99, point=0)
    assert rec[URGENCY] == "B" and rec[OUTCOME] == "planned_transport"
    post = post_index(world, rec)
    car = float(world.post_point_car[post, 0])
    assert car > float(world.post_point_amb[post, 0])
    # Call handling and turn-out 1 minute each, then the drive at car speed; back the same.
    assert rec[AMB_RESPONSE_MIN] == pytest.approx(2.0 + car)
    assert releases[0] == pytest.approx(car)


def test_a_conveyed_a2_drives_back_from_the_seh_without_signals(midden, tmp_path):
    world, run, _ = midden
    p = run.facilities.ambulance
    u = p.share_a1 + 0.5 * p.share_a2
    rec, releases, _ = ride(world, run, tmp_path, urgency_u=u, convey_u=0.0, point=0)
    assert rec[URGENCY] == "A2" and rec[SEH_SITE_ID]
    post = post_index(world, rec)
    seh = list(world.sehs["id"]).index(rec[SEH_SITE_ID])
    assert rec[AMB_RESPONSE_MIN] == pytest.approx(2.0 + float(world.post_point_car[post, 0]))
    assert rec[TRAVEL_MIN] == pytest.approx(float(world.seh_car[0, seh]))
    back = float(world.seh_post_car[seh, post])
    assert back > float(world.seh_post_amb[seh, post])
    assert releases[0] == pytest.approx(1.0 + back)


def test_an_a1_drives_with_signals_there_and_back(midden, tmp_path):
    world, run, _ = midden
    rec, releases, _ = ride(world, run, tmp_path, urgency_u=0.0, convey_u=0.0, point=0)
    assert rec[URGENCY] == "A1"
    post = post_index(world, rec)
    seh = list(world.sehs["id"]).index(rec[SEH_SITE_ID])
    assert rec[AMB_RESPONSE_MIN] == pytest.approx(2.0 + float(world.post_point_amb[post, 0]))
    assert rec[TRAVEL_MIN] == pytest.approx(float(world.seh_amb[0, seh]))
    assert releases[0] == pytest.approx(1.0 + float(world.seh_post_amb[seh, post]))


def test_an_a2_without_signals_goes_to_an_seh_open_when_it_arrives_by_car(tmp_path):
    """The SEH is chosen on the minutes the ride drives: an A2 without signals that would
    reach the nearest SEH before its night closure by ambulance minutes, but after it by car
    minutes, goes to one open when it arrives."""
    world, run, _ = world_of("region=zwolle", "scenario=seh_night_closure", "sim.progress=false")
    sid = list(world.sehs["id"])
    closing = sid.index("H105301")  # Hardenberg, closed at night in this scenario
    point = int(np.argmin(world.seh_amb[:, closing]))
    assert world.seh_order_amb[point][0] == closing
    amb, car = float(world.seh_amb[point, closing]), float(world.seh_car[point, closing])
    assert amb < car
    decide = 23 * 60 - (amb + car) / 2  # Monday: open at decide + amb, closed at decide + car
    p = run.facilities.ambulance
    u = p.share_a1 + 0.5 * p.share_a2
    at = decide - 30.0
    rec, _, _ = ride(world, run, tmp_path, u, 0.0, point, at=at)
    post = post_index(world, rec)
    # Call handling chosen so that the SEH is chosen at `decide` (turn-out, drive, on scene).
    dispatch = 30.0 - 1.0 - float(world.post_point_car[post, point]) - 1.0
    rec, _, model = ride(world, run, tmp_path, u, 0.0, point, at=at, dispatch=dispatch)
    assert rec[URGENCY] == "A2" and rec[AMB_POST_ID] == world.amb_posts["id"].iloc[post]
    ed = model.seh[closing]
    assert ed.is_open(decide + amb) and not ed.is_open(decide + car)
    assert rec[SEH_ARRIVAL_MIN] == pytest.approx(decide + rec[TRAVEL_MIN])
    assert model.seh[sid.index(rec[SEH_SITE_ID])].is_open(rec[SEH_ARRIVAL_MIN])
    assert rec[SEH_SITE_ID] != "H105301"


def _referral_point(world):
    """A demand point whose nearest SEH differs from its GP post's nearest SEH (both 24/7)."""
    for point, post in enumerate(world.point_gp):
        a, b = int(world.seh_order_car[point][0]), int(world.gp_seh_order_car[post][0])
        if a != b and all(world.seh_hours[j].around_the_clock for j in (a, b)):
            return point, int(post), a, b
    raise AssertionError("no such point")


@pytest.mark.parametrize("home", [False, True])
def test_a_gp_post_referral_sets_off_from_where_the_patient_was_seen(midden, tmp_path, home):
    """After a consultation at the GP post the patient drives on from the post to the SEH
    nearest the post; after a home visit from home to the SEH nearest home (it used to drive
    home -> SEH after a consultation too, as if teleported home first)."""
    world, run, _ = midden
    t = run.facilities.triage
    point, post, near_home, near_post = _referral_point(world)
    outcome = t.advice + (t.consult + 0.5 * t.home_visit if home else 0.5 * t.consult)
    rec, _, _ = ride(
        world,
        run,
        tmp_path,
        0.5,
        0.5,
        point,
        at=20 * 60.0,
        channel="gp_post_call",
        uniforms={U_OUTCOME: outcome, U_REFER: 0.0, U_FURTHER: 0.99},
    )
    assert rec[OUTCOME] == ("home_visit" if home else "consult")
    seh = near_home if home else near_post
    assert rec[SEH_SITE_ID] == world.sehs["id"].iloc[seh]
    if home:
        assert rec[TRAVEL_MIN] == pytest.approx(world.seh_car[point, seh])
    else:
        drive = world.gp_car[point, post] + world.gp_seh_car[post, seh]
        assert rec[TRAVEL_MIN] == pytest.approx(drive)
