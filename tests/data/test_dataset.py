"""The embedded dataset loads, passes its own checks and matches the public national figures."""

from __future__ import annotations

import pandas as pd

from patientflow.config.schema import REGION_COLUMNS


def test_342_municipalities_with_the_cbs_population(dataset):
    m = dataset.municipalities
    assert len(m) == 342
    assert m["municipality_code"].is_unique
    assert m["population"].sum() == 17_942_942  # CBS, 1 January 2024


def test_every_municipality_in_exactly_one_region_of_each_level(dataset):
    m = dataset.municipalities
    expected = {
        "roaz_code": 10,
        "oncology_code": 7,
        "zorgkantoor_code": 31,
        "vr_code": 25,
        "province_code": 12,
        "ggd_name": 25,
    }
    for level, (code_col, _) in REGION_COLUMNS.items():
        assert (m[code_col] != "").all(), level
        assert m[code_col].nunique() == expected[code_col], level


def test_seh_count_is_the_documented_79_of_which_76_open_24_7(dataset):
    s = dataset.sites
    seh = s[(s["seh"] == 1) & (s["status_2025"] == "open")]
    assert len(seh) == 79
    assert (seh["seh_hours"] == "24/7").sum() == 76
    limited = set(seh.loc[seh["seh_hours"] == "limited", "site_id"])
    assert limited == {"H102101", "H108401", "H107801"}  # Zutphen, Amstelland, Vlietland
    assert seh["trauma_level1"].sum() == 11
    assert seh["umc"].sum() == 7


def test_demand_points_carry_each_municipalitys_population_exactly(dataset):
    per_muni = dataset.demand_points.groupby("municipality_code")["population"].sum()
    expected = dataset.municipalities.set_index("municipality_code")["population"]
    pd.testing.assert_series_equal(per_muni.sort_index(), expected.sort_index(), check_names=False)


def test_capacities_add_up_to_the_national_figures(dataset):
    s = dataset.sites
    assert s["beds"].sum() == 39_900  # VZinfo
    assert s["icu_beds"].sum() == 1_150  # Medisch Contact
    seh = s[s["seh"] == 1]
    assert seh["seh_bays"].mean() == 16  # Gaakeer et al. 2018: 16 per SEH on average
    assert seh["seh_bays"].between(4, 36).all()


def test_posts_and_coordination_centres_by_the_documented_rules(dataset):
    assert len(dataset.gp_posts) == 113
    assert dataset.gp_posts["site_id"].ne("").sum() == 72
    assert len(dataset.ambulance_posts) == 280
    assert dataset.ambulance_posts["vr_code"].nunique() == 25
    z = dataset.zcc_options
    assert (z["level"] == "roaz").sum() == 10
    assert (z["level"] == "vr").sum() == 25


def test_intervention_volumes_match_the_catalogue(dataset):
    si = dataset.site_interventions.groupby("intervention")["annual_volume"].agg(["sum", "count"])
    cat = dataset.interventions.set_index("intervention")
    assert (si["sum"] == cat.loc[si.index, "annual_volume"]).all()
    assert (si["count"] == cat.loc[si.index, "providers_2025"]).all()
