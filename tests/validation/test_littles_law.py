"""Little's law (Little 1961) on every kind of facility of a full model run: SEH treatment bays
(their queue, and bays plus queue), GP-post phone desks, GP doctors and visit cars, ZCC desks
(scenario zcc_2025) and ambulance fleets. The level each facility reports every minute in
timeseries.parquet must equal the arrival rate times the mean time, both from journeys.parquet,
for each facility type (its facilities summed) and for each facility on its own.

Two runs of ROAZ Midden, five days (warm-up one day) with facilities staffed tighter than
planned, so that every kind of queue is actually used: the baseline and zcc_2025 (where the ZCC
takes the out-of-hours calls and the GP-post desks stay empty). The window is three days from
05:00 on day 1: the warm-up is excluded, and everyone who joins a queue in it has left before
the horizon. The tolerances come from the measurement alone (sampling the level every minute,
customers at the window's edges), computed from the data; see tests/validation/little.py.
"""

from __future__ import annotations

import pytest

from tests.validation.little import assert_all, facility_visits, full_run, little_checks

# Every test here needs seconds of work (a simulation, a build or a command line, itself or
# in its module fixture): `make test-fast` leaves them out (pyproject.toml's slow marker).
pytestmark = pytest.mark.slow

DAYS, STEP = 5, 1.0
# From 05:00 after the warm-up day, for three days: the window's edges fall in the quiet hours
# of the night, and the last day leaves time for everyone who joined to leave.
START = 1440.0 + 300.0
END = START + 3 * 1440.0
BASELINE_KINDS = ["seh/queue", "seh/system", "gp_desk", "gp_doctor", "gp_visit", "ambulance"]


@pytest.fixture(scope="module")
def baseline(tmp_path_factory):
    return full_run(tmp_path_factory.mktemp("little") / "baseline", "baseline_2025", DAYS, STEP)


@pytest.fixture(scope="module")
def zcc(tmp_path_factory):
    return full_run(tmp_path_factory.mktemp("little") / "zcc", "zcc_2025", DAYS, STEP)


@pytest.mark.parametrize("kind", BASELINE_KINDS)
def test_littles_law_on_the_baseline_facilities(baseline, kind):
    """L = lambda W per facility type and per facility, baseline scenario. The queues are
    really used (at least 50 customers waited in the window), so the check is not 0 = 0."""
    run_cfg, j, ts = baseline
    checks = little_checks(run_cfg, j, ts, [kind], START, END, STEP)
    assert_all(checks)
    assert checks[0].arrivals * checks[0].wait > 0
    waited = (facility_visits(run_cfg, j)[kind].minutes > 0).sum()
    assert waited >= 50, f"{kind}: only {waited} customers waited; the check would be weak"


@pytest.mark.parametrize("kind", ["zcc_desk", "gp_doctor", "gp_visit", "ambulance"])
def test_littles_law_with_the_zcc(zcc, kind):
    """The same with the ZCC taking the out-of-hours calls (its desk, and the GP care and the
    A2 ambulances that follow a ZCC call); the GP-post desks get no calls at all."""
    run_cfg, j, ts = zcc
    assert_all(little_checks(run_cfg, j, ts, [kind], START, END, STEP))
    assert j["desk_id"].isna().all()
    gp_desk = ts[ts["facility_type"] == "gp_desk"]
    assert (gp_desk["busy"] == 0).all() and (gp_desk["queue"] == 0).all()
