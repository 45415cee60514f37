"""A closed emergency department leaves the simulation: no patients, no beds planned, and no
place in any SEH indicator or its denominator."""

from __future__ import annotations

import pandas as pd
import pytest

import patientflow
from patientflow.acute.world import build_world
from patientflow.core.area import study_area
from patientflow.core.network import SEH_CLOSED, SEH_OPEN_247, build_network
from patientflow.runner import as_run_config, load_run_data, run_travel_model

# Every test here needs seconds of work (a simulation, a build or a command line, itself or
# in its module fixture): `make test-fast` leaves them out (pyproject.toml's slow marker).
pytestmark = pytest.mark.slow

COMMON = [
    "region=midden",
    "demand=municipality",
    "sim.days=2",
    "sim.warmup_days=0.5",
    "report.figures=false",
    "report.accessibility_area=study_area",
    "sim.progress=false",
]


def _a_24_7_seh_of_midden(dataset) -> str:
    """The first (by site id) of the 24/7 SEHs in Midden-Nederland."""
    munis = dataset.municipalities.set_index("municipality_code")
    sites = dataset.sites
    midden = sites["municipality_code"].map(munis["roaz_code"]) == "MIDDEN"
    open247 = (sites["seh"] == 1) & (sites["seh_hours"] == "24/7")
    candidates = sites.loc[midden & open247 & (sites["status_2025"] == "open"), "site_id"]
    assert len(candidates) >= 3
    return str(sorted(candidates)[0])


@pytest.fixture(scope="module")
def closed(tmp_path_factory, dataset):
    site = _a_24_7_seh_of_midden(dataset)
    out = tmp_path_factory.mktemp("closed")
    cfg = patientflow.compose([*COMMON, f"network.closed_sites=[{site}]"])
    return site, cfg, patientflow.run(cfg, out)


def test_the_network_marks_the_closed_seh_and_keeps_it_out_of_every_service(closed, dataset):
    site, cfg, _ = closed
    run, _ = as_run_config(cfg)
    network = build_network(dataset, run.network)
    status = network.sites.set_index("site_id")["seh_status"]
    assert status[site] == SEH_CLOSED
    assert (status == SEH_OPEN_247).sum() > 50
    for service, provider in network.providers.items():
        assert site not in set(provider.frame["id"]), service
    assert site not in set(network.emergency_departments()["site_id"])


def test_a_closed_seh_has_no_place_and_no_beds_in_the_world(closed):
    site, cfg, _ = closed
    run, _ = as_run_config(cfg)
    data = load_run_data(run)
    network = build_network(data, run.network)
    world = build_world(data, study_area(data, run), network, run_travel_model(run, data), run)
    assert site not in set(world.sehs["id"])
    assert len(world.initial_inpatients) == len(world.sehs) == len(world.seh_hours)
    assert world.seh_amb.shape[1] == len(world.sehs)


def test_a_closed_seh_gets_no_patients_and_no_row_in_any_indicator(closed):
    site, _, result = closed
    journeys = pd.read_parquet(result.paths["journeys"], columns=["seh_site_id"])
    assert journeys["seh_site_id"].notna().sum() > 100
    assert not (journeys["seh_site_id"] == site).any()
    ts = pd.read_parquet(result.paths["timeseries"], columns=["facility_type", "facility_id"])
    assert not (ts["facility_id"] == site).any()
    assert (ts["facility_type"] == "seh").any()
    facilities = pd.read_parquet(result.paths["facilities"])
    assert site not in set(facilities["facility_id"])
    points = pd.read_parquet(result.paths["accessibility_points"])
    assert site not in set(points["seh_247_site_id"]) | set(points["ambulance_seh_site_id"])
