"""The long version of tests/validation/test_littles_law.py: Little's law (Little 1961) on every
facility type and every facility, over longer runs, another region with several ambulance
fleets, a coarser sampling step (5 minutes, so the grid term of the tolerance matters) and
the planned (unstressed) staffing. The tolerances are the same data-derived bounds (see
tests/validation/little.py): Little's law holds on every sample path, so only the measurement
is allowed for."""

from __future__ import annotations

import pytest

from tests.validation.little import STRESS, assert_all, full_run, little_checks

KINDS = {
    "baseline_2025": ["seh/queue", "seh/system", "gp_desk", "gp_doctor", "gp_visit", "ambulance"],
    "zcc_2025": ["seh/queue", "seh/system", "zcc_desk", "gp_doctor", "gp_visit", "ambulance"],
}
# (region, scenario, days, sampling step in minutes, stressed staffing)
RUNS = [
    ("midden", "baseline_2025", 29, 1.0, True),
    ("midden", "zcc_2025", 29, 1.0, True),
    ("euregio", "baseline_2025", 15, 5.0, True),
    ("euregio", "zcc_2025", 15, 5.0, True),
    ("west", "baseline_2025", 8, 1.0, False),
]


@pytest.mark.parametrize("region, scenario, days, step, stressed", RUNS)
def test_littles_law_on_a_longer_run(tmp_path, region, scenario, days, step, stressed):
    run_cfg, j, ts = full_run(
        tmp_path / "run", scenario, days, step, region=region, stress=STRESS if stressed else ()
    )
    start = 1440.0 + 300.0  # 05:00 after the warm-up day
    # Two days before the horizon: an admitted patient waiting for an acute bed keeps the bay,
    # for a day and more when the beds of a small SEH are full, and everyone who joins inside
    # the window must have left by the horizon.
    end = start + (days - 3) * 1440.0
    checks = little_checks(run_cfg, j, ts, KINDS[scenario], start, end, step)
    assert_all(checks)
    assert sum(c.arrivals for c in checks if c.label.endswith("(all)")) > 1000
