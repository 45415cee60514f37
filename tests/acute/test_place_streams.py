"""Random streams keyed by place: a regional run draws exactly the patients that a national run
of the same seed and replication draws in that region's municipalities, with their choice
uniforms and service times (issue 19)."""

from __future__ import annotations

import pandas as pd
import pytest

import patientflow
from patientflow.acute.catchments import catchments
from patientflow.acute.demand import ArrivalStream
from patientflow.acute.journey import N_UNIFORMS, service_distributions
from patientflow.core.area import study_area
from patientflow.core.network import build_network
from patientflow.core.streams import Streams
from patientflow.runner import as_run_config, load_run_data, run_travel_model

# Every test here needs seconds of work (a simulation, a build or a command line, itself or
# in its module fixture): `make test-fast` leaves them out (pyproject.toml's slow marker).
pytestmark = pytest.mark.slow


def _patients(region: str, replication: int, days: int = 2) -> pd.DataFrame:
    cfg, _ = as_run_config(patientflow.compose([f"region={region}"]))
    data = load_run_data(cfg)
    area = study_area(data, cfg)
    world = catchments(
        data, area, build_network(data, cfg.network), run_travel_model(cfg, data), cfg
    )
    stream = ArrivalStream(
        world.demand,
        world.point_muni,
        world.points["population"].to_numpy(dtype=float),
        Streams(cfg.sim.seed, replication),
        N_UNIFORMS,
        world.municipalities["municipality_code"].astype(str).tolist(),
        service_distributions(cfg),
    )
    ids = world.points["id"].to_numpy()
    rows = []
    for day in stream.days(days):
        for t, c, p, u in zip(day.times, day.channels, day.points, day.rows(), strict=True):
            rows.append((t, c, ids[p], *u))
    frame = pd.DataFrame(rows).rename(columns={0: "time_min", 1: "channel", 2: "point_id"})
    codes = world.points.set_index("id")["municipality_code"]
    return frame.assign(municipality_code=frame["point_id"].map(codes))


@pytest.fixture(scope="module")
def national() -> pd.DataFrame:
    return _patients("nl", replication=1)


@pytest.mark.parametrize("region", ["midden", "zuidwest"])
def test_a_region_draws_exactly_the_national_runs_patients_there(national, region):
    regional = _patients(region, replication=1)
    mine = national[national["municipality_code"].isin(set(regional["municipality_code"]))]
    assert len(regional) > 500
    pd.testing.assert_frame_equal(
        regional.reset_index(drop=True), mine.reset_index(drop=True), check_exact=True
    )


def test_another_replication_draws_other_patients(national):
    other = _patients("midden", replication=2)
    mine = national[national["municipality_code"].isin(set(other["municipality_code"]))]
    assert not other["time_min"].head(50).equals(mine["time_min"].head(50).reset_index(drop=True))
