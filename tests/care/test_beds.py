"""Beds that add up: each hospital's ward beds serve its complex care and its acute admissions
together, planned on their summed expected occupancy, the same acute admissions in both
networks."""

from __future__ import annotations

import pandas as pd
import pytest

import patientflow

# Every test here needs seconds of work (a simulation, a build or a command line, itself or
# in its module fixture): `make test-fast` leaves them out (pyproject.toml's slow marker).
pytestmark = pytest.mark.slow

SMALL = [
    "sim=care",
    "region=midden",
    "care.national_rules_on_region=true",
    "demand=municipality",
    "network=tranche1_2025",
    "sim.days=120",
    "sim.warmup_days=7",
    "report.figures=false",
]


@pytest.fixture(scope="module")
def shared(tmp_path_factory):
    out = tmp_path_factory.mktemp("beds") / "shared"
    return patientflow.run(patientflow.compose(SMALL), out)


def test_ward_beds_are_planned_on_complex_and_acute_occupancy_together(shared):
    beds = pd.read_csv(shared.paths["care_beds"])
    load = beds["complex_ward_occupancy_expected"] + beds["acute_ward_occupancy_expected"]
    assert (beds["ward_beds_planned"] >= load / 0.85).all()
    # Patients of the study area (Midden) reach hospitals across the country; the acute load
    # is that of the study area's SEHs.
    with_seh = beds[beds["acute_ward_occupancy_expected"] > 0]
    assert len(with_seh) >= 8
    # The acute stream keeps its expected occupancy (Little's law): simulated acute bed use
    # over the run equals the expected acute inpatients, within sampling noise.
    used = with_seh["acute_ward_utilisation"] * with_seh["ward_beds_planned"]
    expected = with_seh["acute_ward_occupancy_expected"]
    assert used.sum() == pytest.approx(expected.sum(), rel=0.05)
    totals = shared.summary["care_beds"]["current"]
    assert totals["acute_ward_occupancy_expected"] > 10 * totals["complex_ward_occupancy_expected"]
    assert totals["ward_beds_planned"] <= totals["hospital_beds"]


def test_the_same_acute_admissions_reach_a_hospital_in_both_networks(shared):
    beds = pd.read_csv(shared.paths["care_beds"]).set_index(["network", "site_id"])
    both = sorted(set(beds.loc["current"].index) & set(beds.loc["new"].index))
    assert both
    for site in both:
        assert (
            beds.loc[("current", site), "acute_admissions"]
            == beds.loc[("new", site), "acute_admissions"]
        )


def test_without_sharing_complex_care_has_beds_of_its_own(shared, tmp_path):
    alone = patientflow.run(
        patientflow.compose([*SMALL, "care.share_beds_with_acute=false"]), tmp_path / "alone"
    )
    beds = pd.read_csv(alone.paths["care_beds"]).set_index(["network", "site_id"])
    assert (beds["acute_ward_occupancy_expected"] == 0).all()
    assert (beds["acute_admissions"] == 0).all()
    both = pd.read_csv(shared.paths["care_beds"]).set_index(["network", "site_id"])
    busy = both[both["acute_ward_occupancy_expected"] > 0].index
    assert beds.loc[busy, "ward_beds_planned"].sum() < both.loc[busy, "ward_beds_planned"].sum() / 5
