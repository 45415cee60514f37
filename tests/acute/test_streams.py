"""Common random numbers in the acute model: every channel has its own named streams, and every
patient draws its choices and service times on arrival, so a change to one channel or one
service leaves the other patients, choices and times exactly as they were."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import patientflow
from patientflow.acute import agents
from patientflow.acute.demand import ArrivalStream, DemandModel, ScenarioRates
from patientflow.acute.journey import N_UNIFORMS, SERVICE_TIMES, service_distributions
from patientflow.acute.logs import JOURNEY_SCHEMA
from patientflow.acute.model import PatientFlowModel
from patientflow.acute.world import build_world
from patientflow.config.demand import Channel, ChannelsConfig, FluPeak
from patientflow.core.area import study_area
from patientflow.core.eventlog import ParquetLog
from patientflow.core.network import build_network
from patientflow.core.streams import Streams
from patientflow.runner import as_run_config, load_run_data, run_travel_model

POP = np.array([40_000.0, 120_000.0, 15_000.0])
SHARE_65 = np.array([0.18, 0.22, 0.27])
POINT_MUNI = np.array([0, 0, 1, 1, 1, 2])
POINT_POP = np.array([10_000.0, 30_000.0, 50_000.0, 50_000.0, 20_000.0, 15_000.0])
PLACES = ["GM0001", "GM0002", "GM0003"]


def _days(channels: ChannelsConfig, n: int = 2) -> list:
    demand = DemandModel(POP, SHARE_65, channels, ScenarioRates(), 0.21)
    stream = ArrivalStream(demand, POINT_MUNI, POINT_POP, Streams(7, 0), N_UNIFORMS, PLACES)
    return list(stream.days(n))


def _patients(days: list, channel: str) -> list[tuple]:
    return [
        (t, p, tuple(u))
        for day in days
        for t, c, p, u in zip(day.times, day.channels, day.points, day.rows(), strict=True)
        if c == channel
    ]


@settings(max_examples=10, deadline=None)
@given(channel=st.sampled_from(list(Channel)), factor=st.sampled_from([0.3, 2.0, 4.0]))
def test_raising_one_channel_leaves_every_other_channels_patients_identical(channel, factor):
    base = ChannelsConfig()
    changed = dataclasses.replace(base)
    cfg = getattr(base, channel.value)
    setattr(
        changed,
        channel.value,
        dataclasses.replace(cfg, rate_per_1000_per_year=cfg.rate_per_1000_per_year * factor),
    )
    before, after = _days(base), _days(changed)
    for other in Channel:
        if other is not channel:
            assert _patients(before, other.value) == _patients(after, other.value), other
    assert _patients(before, channel.value) != _patients(after, channel.value)


def _day_in_euregio(tmp_path, name: str, *overrides: str) -> pd.DataFrame:
    """The journey log of one simulated day in Euregio (municipality demand points)."""
    cfg = patientflow.compose(
        [
            "region=euregio",
            "demand=municipality",
            "sim.days=1",
            "sim.warmup_days=0.25",
            "report.figures=false",
            "report.accessibility_area=study_area",
            "sim.progress=false",
            *overrides,
        ]
    )
    return pd.read_parquet(patientflow.run(cfg, tmp_path / name).paths["journeys"])


@pytest.fixture(scope="module")
def euregio_day(tmp_path_factory) -> pd.DataFrame:
    """The baseline day in Euregio, shared by the tests that change one thing against it."""
    return _day_in_euregio(tmp_path_factory.mktemp("euregio"), "base")


def _journeys(log: pd.DataFrame) -> pd.DataFrame:
    j = log[["arrival_min", "point_id", "channel", "urgency"]]
    return j.sort_values(["arrival_min", "point_id"], kind="stable").reset_index(drop=True)


@pytest.mark.slow
def test_more_gp_post_calls_leave_the_112_callers_where_and_when_they_were(tmp_path, euregio_day):
    base = _journeys(euregio_day)
    more = _journeys(
        _day_in_euregio(tmp_path, "more", "demand.channels.gp_post_call.rate_per_1000_per_year=500")
    )
    for channel in ("call_112", "self_referral", "gp_referral", "other_referral"):
        a = base[base["channel"] == channel].reset_index(drop=True)
        b = more[more["channel"] == channel].reset_index(drop=True)
        pd.testing.assert_frame_equal(a, b)
    n_base = (base["channel"] == "gp_post_call").sum()
    assert (more["channel"] == "gp_post_call").sum() > 1.5 * n_base


@pytest.fixture(scope="module")
def fast_world():
    run, _ = as_run_config(patientflow.compose(["debug=fast", "report.figures=false"]))
    data = load_run_data(run)
    network = build_network(data, run.network)
    return data, network


def _model(tmp_path, fast_world, *overrides: str) -> PatientFlowModel:
    data, network = fast_world
    run, _ = as_run_config(patientflow.compose(["debug=fast", "report.figures=false", *overrides]))
    world = build_world(data, study_area(data, run), network, run_travel_model(run, data), run)
    log = ParquetLog(tmp_path / f"j{len(overrides)}.parquet", JOURNEY_SCHEMA, 1000)
    return PatientFlowModel(run, world, log)


def test_a_longer_mean_lengthens_that_time_of_every_patient_and_no_other():
    """Each patient's times come from its own uniforms through the inverse distribution
    function: a call of mean 9 instead of 6 minutes (the same spread) is every patient's call
    times 1.5, and every other time and choice stays the patient's own."""
    base_cfg, _ = as_run_config(patientflow.compose([]))
    longer_cfg, _ = as_run_config(patientflow.compose(["facilities.triage.call.mean=9.0"]))
    demand = DemandModel(POP, SHARE_65, ChannelsConfig(), ScenarioRates(), 0.21)

    def own(cfg) -> np.ndarray:
        stream = ArrivalStream(
            demand,
            POINT_MUNI,
            POINT_POP,
            Streams(7, 0),
            N_UNIFORMS,
            PLACES,
            service_distributions(cfg),
        )
        return np.array([row for day in stream.days(2) for row in day.rows()])

    base, longer = own(base_cfg), own(longer_cfg)
    call = N_UNIFORMS + list(SERVICE_TIMES).index("call")
    assert base.shape == (len(base), N_UNIFORMS + len(SERVICE_TIMES)) and len(base) > 100
    np.testing.assert_allclose(longer[:, call], 1.5 * base[:, call], rtol=1e-12)
    others = [k for k in range(base.shape[1]) if k != call]
    np.testing.assert_array_equal(longer[:, others], base[:, others])
    assert (base[:, N_UNIFORMS:] > 0).all()


def test_the_agents_read_each_time_where_the_stream_puts_it():
    for k, name in enumerate(SERVICE_TIMES):
        assert getattr(agents, name.upper()) == N_UNIFORMS + k, name


def _calls(log: pd.DataFrame) -> pd.DataFrame:
    """Per GP-post caller who got phone advice (keyed by arrival and place): its wait for the
    desk and the call's own length (from its end, its arrival and that wait)."""
    j = log[(log["channel"] == "gp_post_call") & (log["outcome"] == "advice")]
    minutes = j["end_min"] - j["arrival_min"] - j["call_wait_min"]
    calls = pd.DataFrame({"wait": j["call_wait_min"], "minutes": minutes})
    return calls.set_axis(pd.MultiIndex.from_frame(j[["arrival_min", "point_id"]])).sort_index()


@pytest.mark.slow
def test_fewer_desk_staff_change_when_a_call_is_answered_not_how_long_it_takes(
    tmp_path, euregio_day
):
    """Common random numbers for service times: with desks staffed for a higher occupancy the
    calls wait longer and are answered in another order, and each call lasts as long as in
    the baseline (with times drawn in the order of service, the calls would swap lengths)."""
    base = _calls(euregio_day)
    fewer = _calls(_day_in_euregio(tmp_path, "fewer", "facilities.staffing.target_occupancy=0.95"))
    both = base.index.intersection(fewer.index)
    assert len(both) > 100 and len(both) >= len(base) - 2
    base, fewer = base.loc[both], fewer.loc[both]
    assert fewer["wait"].sum() > 2 * base["wait"].sum()
    np.testing.assert_allclose(fewer["minutes"], base["minutes"], rtol=0, atol=1e-9)


@pytest.mark.slow
def test_a_free_agent_slot_keeps_no_draws(tmp_path, fast_world):
    """A patient's draws are a view of its week's block of draws: a slot that keeps them after
    the journey keeps the whole block in memory for as long as the slot stays idle."""
    model = _model(tmp_path, fast_world)
    model.run_days()
    free = [a for a in model.agents if a.rec is None]
    busy = [a for a in model.agents if a.rec is not None]
    assert len(free) > 10
    assert all(len(a.own) == 0 for a in free)
    assert all(len(a.own) == N_UNIFORMS + len(SERVICE_TIMES) for a in busy)


def _scenario_days(scenario: ScenarioRates, n: int) -> list:
    demand = DemandModel(POP * 20, SHARE_65, ChannelsConfig(), scenario, 0.21)
    stream = ArrivalStream(demand, POINT_MUNI, POINT_POP, Streams(7, 0), N_UNIFORMS, PLACES)
    return list(stream.days(n))


def test_a_flu_week_adds_patients_and_leaves_every_other_day_as_it_was():
    """Before 5 December a week of higher rates redrew its channels' patients on every later
    day too: a flu peak and the baseline shared no patient after it, and their pairs were no
    closer than two seeds'."""
    flu = FluPeak(start_day=7, weeks=1, gp_post_call=1.3, call_112=1.1)
    base, peak = _scenario_days(ScenarioRates(), 21), _scenario_days(ScenarioRates(flu=flu), 21)
    for d in [*range(7), *range(14, 21)]:
        assert base[d].frame().equals(peak[d].frame()), d
        assert base[d].rows() == peak[d].rows(), d
    for d in range(7, 14):
        before, during = (set(_patients([days[d]], "gp_post_call")) for days in (base, peak))
        assert before < during, d
        assert _patients([base[d]], "self_referral") == _patients([peak[d]], "self_referral")
    added = sum(len(peak[d]) - len(base[d]) for d in range(7, 14))
    assert added > 0


def test_a_lower_rate_keeps_a_share_of_the_days_patients():
    base = _scenario_days(ScenarioRates(), 7)
    cool = _scenario_days(ScenarioRates(heatwave_days=(3,), heatwave_factor=0.5), 7)
    for d in (0, 1, 2, 4, 5, 6):
        assert base[d].frame().equals(cool[d].frame()), d
    for channel in ("call_112", "self_referral", "other_referral"):
        before, after = (set(_patients([days[3]], channel)) for days in (base, cool))
        assert after < before and 0.4 < len(after) / len(before) < 0.6, channel
    assert _patients([base[3]], "gp_post_call") == _patients([cool[3]], "gp_post_call")


@pytest.mark.parametrize("factor", [0.6, 1.0, 1.35])
def test_a_scenario_multiplier_gives_poisson_counts_at_the_multiplied_rate(factor):
    """Superposition (factor above 1) and thinning (below) keep the counts Poisson with the
    multiplied mean: over 28 days of 120 hourly counts, mean and variance both match."""
    flu = FluPeak(start_day=0, weeks=4, call_112=factor)
    demand = DemandModel(POP, SHARE_65, ChannelsConfig(), ScenarioRates(flu=flu), 0.21)
    stream = ArrivalStream(demand, POINT_MUNI, POINT_POP, Streams(3, 1), N_UNIFORMS, PLACES)
    hours = np.arange(28 * 24)
    expected = demand.hourly_rates(Channel.call_112, hours).sum(axis=0)
    times = [
        t
        for day in stream.days(28)
        for t, c in zip(day.times, day.channels, strict=True)
        if c == "call_112"
    ]
    counts = np.bincount((np.array(times) // 60).astype(int), minlength=len(hours))
    z = (counts - expected) / np.sqrt(expected)
    assert abs(z.mean()) < 4 / np.sqrt(len(hours))
    assert 0.85 < z.var() < 1.15
