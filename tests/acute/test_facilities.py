"""The engine's own building blocks: server pools, the hourly clock, ambulance dispatch, the
event log and recycled agent slots."""

from __future__ import annotations

import inspect
from types import SimpleNamespace

import numpy as np
import pyarrow.parquet as pq
import pytest
import simpy
from hypothesis import given, settings
from hypothesis import strategies as st

import patientflow
from patientflow.acute.agents import PatientAgent
from patientflow.acute.facilities import (
    AmbulanceFleet,
    BedPool,
    EmergencyDepartment,
    HourlyClock,
    ServerPool,
    StaffedResource,
)
from patientflow.acute.journey import N_UNIFORMS, SERVICE_TIMES
from patientflow.acute.logs import JOURNEY_SCHEMA
from patientflow.acute.model import PatientFlowModel
from patientflow.acute.world import build_world
from patientflow.config.demand import Channel
from patientflow.core.area import study_area
from patientflow.core.eventlog import ParquetLog
from patientflow.core.hours import OpenHours
from patientflow.core.network import build_network
from patientflow.runner import as_run_config, load_run_data, run_travel_model


def _served_order(priorities: list[int], capacity: int = 1) -> list[int]:
    """Customers arriving at once with these priorities; the order in which they are served."""
    env = simpy.Environment()
    pool = ServerPool(env, "desk", capacity)
    order: list[int] = []

    def customer(k: int, prio: int):
        wait = pool.acquire(prio)
        if wait is not None:
            yield wait
        order.append(k)
        yield env.timeout(1.0)
        pool.release()

    for k, prio in enumerate(priorities):
        env.process(customer(k, prio))
    env.run()
    return order


def test_lower_priority_number_first_then_first_come():
    assert _served_order([1, 1, 0, 1, 0]) == [0, 2, 4, 1, 3]


@settings(max_examples=60, deadline=None)
@given(
    ops=st.lists(
        st.one_of(
            st.tuples(st.just("acquire"), st.integers(0, 2)),
            st.tuples(st.just("release"), st.just(0)),
            st.tuples(st.just("capacity"), st.integers(0, 4)),
        ),
        max_size=60,
    )
)
def test_a_pool_never_lets_anyone_wait_beside_a_free_server(ops):
    """Whatever the order of arrivals, departures and shift changes: nobody waits while a
    server on shift is free, nobody is served twice, and servers above a lowered capacity only
    finish their patient (busy falls back to capacity as they leave)."""
    env = simpy.Environment()
    pool = ServerPool(env, "desk", 2)
    served = left = 0
    for op, arg in ops:
        before = pool.busy
        if op == "acquire":
            if pool.acquire(arg) is None:
                served += 1
        elif op == "release" and pool.busy > 0:
            handed = pool.queue > 0 and pool.busy <= pool.capacity
            pool.release()
            served += handed
            left += 1
            assert pool.busy == (before if handed else before - 1)
        elif op == "capacity":
            queued = pool.queue
            pool.set_capacity(arg)
            served += queued - pool.queue
        assert pool.queue == 0 or pool.busy >= pool.capacity
        assert pool.busy <= max(pool.capacity, before)
    assert served == pool.busy + left


def _ward(lazy: bool, beds: int, patients: list[tuple[float, float, bool]]) -> list:
    """Patients (arrival gap, stay, elective) through a ward: an acute patient waits for a bed,
    an elective one is cancelled when none is free. With `lazy` the beds are a BedPool (stay
    ends applied when looked at); otherwise a ServerPool with a release event per stay, as
    the model had it. Returns each patient's (bed wait, or 'cancelled') and hourly counts."""
    env = simpy.Environment()
    pool = BedPool(env, "beds", beds) if lazy else ServerPool(env, "beds", beds)
    seen: list = []

    def leave_after(stay: float) -> None:
        if lazy:
            pool.occupy_for(stay)
        else:
            env.timeout(stay).callbacks.append(lambda _e: pool.release())

    def patient(k: int, stay: float, elective: bool):
        if elective:
            free = pool.try_acquire() if lazy else pool.busy < pool.capacity
            if not free:
                seen.append((k, "cancelled"))
                return
            if not lazy:
                pool.acquire()
        else:
            t0 = env.now
            wait = pool.acquire()
            if wait is not None:
                yield wait
            seen.append((k, round(env.now - t0, 9)))
        leave_after(stay)

    def arrivals():
        for k, (gap, stay, elective) in enumerate(patients):
            yield env.timeout(gap)
            env.process(patient(k, stay, elective))

    def count():
        yield env.timeout(2.718281828e-4)
        while True:
            yield env.timeout(60)
            seen.append(("occupied", pool.occupied if lazy else pool.busy, len(pool.waiting)))

    env.process(arrivals())
    env.process(count())
    env.run(until=sum(g for g, _, _ in patients) + 60 * 24)
    return seen


@settings(max_examples=60, deadline=None)
@given(
    beds=st.integers(1, 4),
    patients=st.lists(
        st.tuples(
            st.floats(0.01, 120, allow_nan=False),
            st.floats(0.5, 900, allow_nan=False),
            st.booleans(),
        ),
        min_size=1,
        max_size=40,
    ),
)
def test_beds_freed_when_looked_at_give_the_waits_of_a_release_event_per_stay(beds, patients):
    """Equal except at exact ties of times (a stay ending at the very minute another patient
    arrives), which either version may order either way and continuous draws never produce:
    every time is moved by its own irrational offset under a thousandth of a minute."""
    patients = [
        (gap + (k + 1) * 0.6180339887 % 1 * 1e-3, stay + (k + 1) * 0.4142135623 % 1 * 1e-3, el)
        for k, (gap, stay, el) in enumerate(patients)
    ]
    assert _ward(True, beds, patients) == _ward(False, beds, patients)


@pytest.mark.parametrize("stay", [float("nan"), -1.0])
def test_a_stay_that_is_not_a_number_of_minutes_is_refused(stay):
    pool = BedPool(simpy.Environment(), "beds", 2)
    assert pool.try_acquire()
    with pytest.raises(ValueError, match="beds: a stay of"):
        pool.occupy_for(stay)


def test_shift_end_lets_the_server_finish_and_shift_start_serves_the_queue():
    """Two servers, one from 01:00 to 02:00. The server going off shift at 01:00 finishes its
    patient (c, until 01:10) and then leaves: d waits for the other server (free at 01:30);
    e, arriving at 01:35, waits for the second server to come back at 02:00."""
    env = simpy.Environment()
    pool = StaffedResource(env, "desk", np.array([2, 1] + [2] * 166))
    HourlyClock(env, [pool])
    log: list[tuple[str, float]] = []

    def patient(name: str, service: float):
        wait = pool.acquire()
        if wait is not None:
            yield wait
        log.append((name, env.now))
        yield env.timeout(service)
        pool.release()

    def arrivals():
        env.process(patient("a", 90.0))
        env.process(patient("b", 30.0))
        yield env.timeout(50.0)
        env.process(patient("c", 20.0))
        env.process(patient("d", 40.0))
        yield env.timeout(45.0)
        env.process(patient("e", 10.0))

    env.process(arrivals())
    env.run(until=200)
    assert log == [("a", 0.0), ("b", 0.0), ("c", 50.0), ("d", 90.0), ("e", 120.0)]


def test_ambulance_fleet_sends_the_nearest_free_vehicle_and_queues_by_urgency():
    env = simpy.Environment()
    minutes = np.array([[5.0, 20.0], [9.0, 3.0]])  # posts x points
    fleet = AmbulanceFleet(env, "VR", np.array([0, 1]), np.ones((2, 168), int), minutes)
    assert fleet.send(0, 2) == (0, 5.0)
    assert fleet.send(0, 2) == (1, 9.0)
    b_call = fleet.send(1, 2)
    a1_call = fleet.send(1, 0)
    assert isinstance(a1_call, simpy.Event) and fleet.queue == 2
    fleet.release(1)
    env.run()
    assert a1_call.value == (1, 3.0) and not b_call.triggered


MINUTES = st.sampled_from([0.0, 3.0, 7.5, 7.5, 12.0, float("inf")])


@settings(max_examples=200, deadline=None)
@given(
    posts=st.integers(1, 6).flatmap(
        lambda n: st.lists(
            st.tuples(st.lists(MINUTES, min_size=3, max_size=3), st.integers(0, 2)),
            min_size=n,
            max_size=n,
        )
    ),
    calls=st.lists(st.tuples(st.integers(0, 2), st.booleans()), max_size=25),
)
def test_a_call_gets_the_free_vehicle_with_the_shortest_drive_first_post_on_ties(posts, calls):
    """Against every post looked at in turn: the same post and minutes for each call, and
    the same minutes to the nearest free vehicle, whichever vehicles are out."""
    env = simpy.Environment()
    minutes = np.array([m for m, _ in posts])  # posts x points
    duty = [d for _, d in posts]
    fleet = AmbulanceFleet(
        env, "VR", np.arange(len(posts)), np.repeat([[d] for d in duty], 168, axis=1), minutes
    )
    busy = [0] * len(posts)
    for point, back in calls:
        free = [k for k in range(len(posts)) if busy[k] < duty[k]]
        nearest = min(free, key=lambda k: (minutes[k, point], k)) if free else None
        expected = (nearest, minutes[nearest, point]) if free else None
        assert fleet.nearest_free(point) == expected
        if nearest is None:
            continue
        assert fleet.send(point, 1) == (nearest, minutes[nearest, point])
        busy[nearest] += 1
        if back:
            fleet.release(nearest)
            busy[nearest] -= 1


def test_response_minutes_with_nan_are_refused():
    with pytest.raises(ValueError, match="NaN"):
        AmbulanceFleet(
            simpy.Environment(), "VR", np.array([0]), np.ones((1, 168), int), np.array([[np.nan]])
        )


def _debug_model(tmp_path, *overrides: str) -> tuple[PatientFlowModel, ParquetLog]:
    """A `debug=fast` model with these overrides, logging its journeys to j.parquet."""
    run, _ = as_run_config(patientflow.compose(["debug=fast", *overrides]))
    data = load_run_data(run)
    network = build_network(data, run.network)
    world = build_world(data, study_area(data, run), network, run_travel_model(run, data), run)
    journeys = ParquetLog(tmp_path / "j.parquet", JOURNEY_SCHEMA, 10_000)
    return PatientFlowModel(run, world, journeys), journeys


def test_agent_slots_are_recycled_but_every_patient_is_one_journey(tmp_path):
    model, journeys = _debug_model(
        tmp_path, "sim.days=2", "report.figures=false", "sim.progress=false"
    )
    model.run_days()
    open_now = model.finish()
    journeys.close()
    j = pq.read_table(tmp_path / "j.parquet").to_pandas()
    assert len(j) == model.arrived and j["journey_id"].is_unique
    assert open_now == int(j["end_min"].isna().sum())
    assert len(model.agents) < model.arrived / 5


def test_every_channel_has_a_journey_and_another_name_is_refused_not_sent_to_the_seh(tmp_path):
    """A channel the journey does not know (a new one, a typing error) must fail loudly, not
    walk another channel's path as an 'other' referral."""
    run, _ = as_run_config(patientflow.compose(["debug=fast", "sim.days=2"]))
    data = load_run_data(run)
    network = build_network(data, run.network)
    world = build_world(data, study_area(data, run), network, run_travel_model(run, data), run)
    model = PatientFlowModel(run, world, ParquetLog(tmp_path / "j.parquet", JOURNEY_SCHEMA, 10))
    agent = PatientAgent(model)
    own = [0.5] * (N_UNIFORMS + len(SERVICE_TIMES))
    for channel in Channel:
        agent.begin(channel.value, 0, 0.0, 1, own)
        assert inspect.isgenerator(agent.journey())
    agent.begin("walk_in", 0, 0.0, 2, own)
    with pytest.raises(ValueError, match="no journey for channel 'walk_in'"):
        agent.journey()


def _two_sehs_at(now: float) -> tuple[list[EmergencyDepartment], SimpleNamespace]:
    """A part-time SEH (08:00-22:00) 10 minutes away and a 24/7 one 30 minutes away, at `now`."""
    env = simpy.Environment()
    env.run(until=now)

    def seh(site: str, hours: OpenHours) -> EmergencyDepartment:
        pools = ServerPool(env, "triage", 1), ServerPool(env, "bays", 1)
        return EmergencyDepartment(env, site, *pools, BedPool(env, "beds", 1), hours, 3)

    sehs = [
        seh("PART", OpenHours(always=False, open_min=480, close_min=1320)),
        seh("FULL", OpenHours()),
    ]
    ctx = SimpleNamespace(env=env, p=SimpleNamespace(conveyed_beyond_nearest=0.5), seh=sehs)
    own = [0.99] * (N_UNIFORMS + len(SERVICE_TIMES))
    return sehs, SimpleNamespace(ctx=ctx, own=own, point=0)


@pytest.mark.parametrize(
    ("now", "stopped", "expected"),
    [
        (7 * 60 + 55, False, (0, False)),  # closed now, open on arrival at 08:05: no diversion
        (7 * 60 + 55, True, (1, True)),  # on stop: diverted
        (12 * 60, True, (1, True)),
        (21 * 60 + 55, False, (1, False)),  # closed on arrival: the 24/7 one is the intended
    ],
)
def test_an_ambulance_is_diverted_by_a_stop_not_by_hours_that_start_during_the_ride(
    now, stopped, expected
):
    """An SEH that opens before the ambulance arrives takes it: diverting it to an SEH further
    away and counting it in `diverted_ambulances` needs a stop, not closed doors at departure."""
    sehs, patient = _two_sehs_at(now)
    if stopped:
        sehs[0].stopped_since = now - 5.0
    assert PatientAgent._choose_seh(patient, True, [0, 1], [10.0, 30.0]) == expected


@pytest.mark.parametrize(("quiet", "helped"), [(False, True), (True, False)])
def test_help_across_the_border_is_within_its_minutes_as_the_ride_drives_them(quiet, helped):
    """The neighbouring region's free vehicle is 14 minutes away with signals, 20 at car
    speeds: it helps an A1 (signals) but not an A2 that drives without them, whose response
    would be 20 drive minutes against `mutual_aid_min` 15."""
    env = simpy.Environment()
    week = np.ones((1, 168), int)
    own = AmbulanceFleet(env, "VR01", np.array([0]), week, np.array([[5.0]]))
    other = AmbulanceFleet(env, "VR02", np.array([1]), week, np.array([[14.0]]))
    assert own.send(0, 0) == (0, 5.0) and not own.can_send_now()
    ctx = SimpleNamespace(
        p=SimpleNamespace(mutual_aid_min=15.0),
        aid_fleets=[own, other],
        amb_car=np.array([[7.0], [20.0]]),  # posts x points
    )
    patient = SimpleNamespace(ctx=ctx, point=0)
    chosen = PatientAgent._helping_fleet(patient, own, quiet)
    assert chosen is (other if helped else own)


@pytest.mark.slow
def test_a_run_stops_at_its_horizon_between_two_steps(tmp_path):
    """A horizon off the hourly step (1.51 days: minute 2,174.4) ends the run there: the clock
    ran on to the next full hour (2,220), counting stop minutes and other inpatients past the
    measured window and logging journeys that ended after it as finished."""
    model, journeys = _debug_model(tmp_path, "sim.days=1.51", "sim.warmup_days=0.5")
    model.run_days()
    assert model.env.now == pytest.approx(1.51 * 1440)
    for ed in model.seh:  # on stop from the start: the minutes counted end at the horizon
        ed.stopped_since, ed.stopped_minutes = 0.0, 0.0
    assert list(model.stop_minutes().values()) == pytest.approx([1.51 * 1440] * len(model.seh))
    model.finish()
    journeys.close()
    ends = pq.read_table(tmp_path / "j.parquet").to_pandas()["end_min"]
    assert (ends.dropna() <= 1.51 * 1440).all()
