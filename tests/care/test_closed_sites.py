"""A site the network closes is today's provider still: its patients are counted today and
move in the network, and today's acute routes use today's SEHs."""

from __future__ import annotations

import pandas as pd
import pytest

import patientflow
from tests.care.test_networks import _run

# a UMC without an SEH, and a hospital with a 24/7 SEH and AAA repair
CLOSED = ["H100103", "H101001"]


@pytest.mark.slow
def test_a_closed_sites_patients_move_and_today_is_unchanged(tmp_path):
    base = _run(tmp_path / "open", "current")
    shut = _run(tmp_path / "shut", "current", f"network.closed_sites=[{','.join(CLOSED)}]")
    paired = {
        k: pd.read_csv(r.paths["care_paired"]).query("region == 'NL'").set_index("intervention")
        for k, r in (("open", base), ("shut", shut))
    }
    prov = pd.read_csv(shut.paths["care_providers"])
    closed = prov[prov["site_id"].isin(CLOSED)]
    assert len(closed) and closed["provider_current"].all() and not closed["provider_new"].any()
    for name, n in closed["intervention"].value_counts().items():
        s_open, s_shut = base.summary["care"][name], shut.summary["care"][name]
        assert s_shut["providers_current"] == s_open["providers_current"]
        assert s_shut["providers_new"] == s_open["providers_new"] - n
        assert paired["shut"].loc[name, "patients"] == pytest.approx(
            paired["open"].loc[name, "patients"]
        )
        assert paired["shut"].loc[name, "share_moved"] > 0
        assert paired["shut"].loc[name, "travel_min_current_mean"] == pytest.approx(
            paired["open"].loc[name, "travel_min_current_mean"]
        )
    acute = {k: r.summary["care"]["aaa_repair"]["ruptured"] for k, r in (("o", base), ("s", shut))}
    assert acute["s"]["call_to_operation_min_mean_current"] == pytest.approx(
        acute["o"]["call_to_operation_min_mean_current"]
    )


@pytest.mark.slow
def test_a_hospital_losing_its_24_7_seh_loses_its_regional_function(tmp_path):
    r = _run(
        tmp_path,
        "tranche1_2025",
        "network.night_closures=[{site:H101001,close:'23:00',open:'08:00'}]",
    )
    h = pd.read_csv(r.paths["care_impact_hospitals"]).set_index("site_id").loc["H101001"]
    assert h["regional_function_current"] and h["loses_regional_function"]
    assert h["seh_24_7_current"] and not h["seh_24_7"]


def _beds(tmp_path, *extra):
    cfg = patientflow.compose(
        [
            "sim=care",
            "region=brabant",
            "demand=municipality",
            "network=current",
            "sim.days=7",
            "sim.warmup_days=1",
            "report.figures=false",
            *extra,
        ]
    )
    r = patientflow.run(cfg, tmp_path)
    return pd.read_csv(r.paths["care_beds"]).set_index(["network", "site_id"])


@pytest.mark.slow
def test_today_shares_its_ward_beds_with_todays_acute_admissions(tmp_path):
    cols = ["acute_ward_occupancy_expected", "ward_beds_planned"]
    open_ = _beds(tmp_path / "open")
    shut = _beds(tmp_path / "shut", "network.closed_sites=[H101001]")
    # today H101001 admits its SEH's 128 acute inpatients (the network's load read 0 and 8
    # beds, and its neighbours' extra admissions were today's too)
    pd.testing.assert_frame_equal(shut.loc["current", cols], open_.loc["current", cols])
    assert shut.loc[("current", "H101001"), "acute_ward_occupancy_expected"] > 100
    new = shut.loc["new", "acute_ward_occupancy_expected"]
    assert new.get("H101001", 0.0) == 0.0
    assert (new > open_.loc["new", "acute_ward_occupancy_expected"].reindex(new.index)).any()
