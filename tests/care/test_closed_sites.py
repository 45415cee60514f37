"""A site the network closes is today's provider still: its patients are counted today and
move in the network, and today's acute routes use today's SEHs."""

from __future__ import annotations

import pandas as pd
import pytest

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
