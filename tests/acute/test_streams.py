"""Common random numbers in the acute model: every channel and every sampler has its own named
stream, so a change to one leaves the others' patients and times exactly as they were."""

from __future__ import annotations

import dataclasses

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import patientflow
from patientflow.acute.agents import N_UNIFORMS
from patientflow.acute.demand import ArrivalStream, DemandModel, ScenarioRates
from patientflow.acute.logs import JOURNEY_SCHEMA
from patientflow.acute.model import PatientFlowModel
from patientflow.acute.world import build_world
from patientflow.config.acute import Channel, ChannelsConfig
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
        for t, c, p, u in zip(day.times, day.channels, day.points, day.uniforms, strict=True)
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


def _journeys(tmp_path, name: str, *overrides: str) -> pd.DataFrame:
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
    result = patientflow.run(cfg, tmp_path / name)
    cols = ["arrival_min", "point_id", "channel", "urgency"]
    j = pd.read_parquet(result.paths["journeys"], columns=cols)
    return j.sort_values(["arrival_min", "point_id"], kind="stable").reset_index(drop=True)


@pytest.mark.slow
def test_more_gp_post_calls_leave_the_112_callers_where_and_when_they_were(tmp_path):
    base = _journeys(tmp_path, "base")
    more = _journeys(tmp_path, "more", "demand.channels.gp_post_call.rate_per_1000_per_year=500")
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


@pytest.mark.slow
def test_each_sampler_draws_from_its_own_stream(tmp_path, fast_world):
    base = _model(tmp_path, fast_world)
    longer = _model(tmp_path, fast_world, "facilities.triage.call.mean=9.0")
    calls = [longer.ctx.draws.call() for _ in range(50)]
    assert calls != [base.ctx.draws.call() for _ in range(50)]
    for name in ("triage", "los_discharged", "on_scene", "inpatient_stay"):
        a, b = getattr(base.ctx.draws, name), getattr(longer.ctx.draws, name)
        assert [a() for _ in range(50)] == [b() for _ in range(50)], name
