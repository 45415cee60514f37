"""The four-group impact analysis: shared care keeps a hospital's stages, travel counts per
visit, and a vascular network below its quality standard is reported as failing."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import patientflow
from patientflow.care.choice import after_change, today
from patientflow.care.impact_patients import pathway_flows
from patientflow.care.impact_providers import stage_visits
from patientflow.config.checks import check_config
from tests.care.test_networks import _problem


def _change(shared: bool):
    problem, _ = _problem(11, 40.0)
    cfg = check_config(
        patientflow.compose(["sim=care", f"network.shared_care={str(shared).lower()}"])
    )
    ref = today(problem.minutes, problem.weight, problem.attraction, problem.current, 0.05)
    new = after_change(
        ref, problem.minutes, problem.weight, problem.attraction, list(range(1, 9)), 0.05
    )
    return problem, ref, new, cfg, pathway_flows(problem, ref, new, cfg)


def test_a_hospital_losing_an_operation_keeps_its_patients_stages_under_shared_care():
    problem, ref, new, cfg, pf = _change(shared=True)
    stages = problem.config.stages
    shared_visits = stages["workup"].visits + stages["followup"].visits
    cur, nxt = stage_visits(pf, 9)
    # Hospital 0 stops operating but keeps the work-up and follow-up of its patients.
    assert new.volume[0] == 0 and ref.volume[0] > 0
    assert nxt[0] == pytest.approx(ref.volume[0] * shared_visits)
    assert cur[0] == pytest.approx(nxt[0])
    # Its patients travel further only for the operation (one visit); per visit the extra
    # minutes are spread over all visits of the pathway.
    moved = pf.src != pf.dst
    assert moved.any()
    t = problem.minutes
    op = t[pf.point, pf.dst] - t[pf.point, pf.src]
    assert np.allclose(pf.extra[moved], stages["operation"].visits * op[moved])
    assert np.allclose(pf.extra[~moved], 0.0)
    assert pf.visits == pytest.approx(shared_visits + stages["operation"].visits)


def test_without_shared_care_every_visit_goes_to_the_new_centre():
    problem, ref, new, cfg, pf = _change(shared=False)
    cur, nxt = stage_visits(pf, 9)
    assert nxt[0] == pytest.approx(0.0)
    moved = pf.src != pf.dst
    t = problem.minutes
    op = t[pf.point, pf.dst] - t[pf.point, pf.src]
    assert np.allclose(pf.extra[moved], pf.visits * op[moved])


@pytest.mark.parametrize("shared", [True, False])
def test_only_shared_stages_kept_where_the_operation_left_count_as_kept(shared):
    from patientflow.care.impact_providers import provider_intervention_rows

    problem, ref, new, cfg, pf = _change(shared=shared)
    problem.candidates["name"] = problem.candidates["id"]
    rows = provider_intervention_rows(problem, ref, new, pf, cfg).set_index("site_id")
    kept = rows["stage_visits_kept_shared_care"]
    if shared:
        stages = problem.config.stages
        visits = stages["workup"].visits + stages["followup"].visits
        assert kept["s0"] == pytest.approx(ref.volume[0] * visits)
        assert kept.drop("s0").sum() == pytest.approx(0.0)
        assert rows.loc["s0", "role"] == "spoke"
    else:
        assert kept.sum() == 0.0
        assert "spoke" not in set(rows["role"])


def test_a_closed_hospital_keeps_no_stage_of_a_pathway():
    """A site in network.closed_sites is closed for good: shared care cannot keep its
    patients' work-up and follow-up there, nor a local stage happen there. It kept them (a
    closed Beverwijk kept 134 AAA visits a year and EUR 36,966 of production value, and its
    patients' pathways counted one extra trip instead of five)."""
    from dataclasses import replace

    from patientflow.care.impact_providers import kept_visits
    from patientflow.config.impact import StageConfig, StagePlace

    problem, ref, new, cfg, _ = _change(shared=True)
    stages = dict(problem.config.stages, systemic=StageConfig(4.0, StagePlace.local))
    problem.config = replace(problem.config, stages=stages)
    problem.closed = [0]
    pf = pathway_flows(problem, ref, new, cfg)
    cur, nxt = stage_visits(pf, 9)
    assert cur[0] > 0 and nxt[0] == pytest.approx(0.0)
    assert kept_visits(pf, problem, cfg)[0] == 0.0
    assert (pf.stage_sites["systemic"][0] == 0).any()
    assert not (pf.stage_sites["systemic"][1] == 0).any()
    moved = pf.src != pf.dst
    t = problem.minutes
    op = t[pf.point, pf.dst] - t[pf.point, pf.src]
    shared_visits = stages["workup"].visits + stages["operation"].visits + stages["followup"].visits
    local = stages["systemic"].visits * (
        t[pf.point, pf.stage_sites["systemic"][1]] - t[pf.point, pf.stage_sites["systemic"][0]]
    )
    assert np.allclose(pf.extra[moved], shared_visits * op[moved] + local[moved])


@pytest.fixture(scope="module")
def national(tmp_path_factory):
    cfg = patientflow.compose(
        [
            "sim=care",
            "region=nl",
            "demand=municipality",
            "network=tranche1_2025",
            "sim.days=0",
            "report.figures=false",
            "care.impact.vascular.min_network_volume=600",
        ]
    )
    return patientflow.run(cfg, tmp_path_factory.mktemp("impact") / "run")


@pytest.mark.slow
def test_the_four_groups_tables_are_written_and_add_up(national):
    r = national
    pat = pd.read_csv(r.paths["care_impact_patients"])
    paired = pd.read_csv(r.paths["care_paired"])
    for name, g in pat[pat["level"] == "NL"].groupby("intervention"):
        nl = paired[(paired["intervention"] == name) & (paired["region"] == "NL")]
        assert g["patients"].iat[0] == pytest.approx(nl["patients"].iat[0])
    for level in ("cancer_network", "vascular_network", "roaz", "zorgkantoor"):
        per = pat[(pat["level"] == level)].groupby("intervention")["patients"].sum()
        nl = pat[pat["level"] == "NL"].set_index("intervention")["patients"]
        assert np.allclose(per.reindex(nl.index), nl), level
    hosp = pd.read_csv(r.paths["care_impact_hospitals"])
    prov = pd.read_csv(r.paths["care_providers"])
    lost = prov.groupby("site_id").apply(
        lambda g: (g["volume_current"] - g["volume_new"]).clip(lower=0).sum()
    )
    assert np.allclose(hosp.set_index("site_id")["operations_lost"].reindex(lost.index), lost)
    flows = pd.read_csv(r.paths["care_impact_flows"])
    assert flows["patients"].sum() == pytest.approx(pat[pat["level"] == "NL"]["patients"].sum())
    s = r.summary["care_impact"]
    assert set(s) == {"patients", "professionals", "providers", "networks"}


@pytest.mark.slow
def test_a_vascular_network_below_the_standard_is_reported_failing(national):
    vasc = pd.read_csv(national.paths["care_impact_vascular"])
    small = vasc[vasc["network_volume"] < 600]
    assert len(small) > 0
    assert (~small["meets_standard"]).all()
    assert small["failing"].str.contains("network_volume").all()
    big = vasc[(vasc["network_volume"] >= 600) & (vasc["failing"].fillna("") == "")]
    assert big["meets_standard"].all()


@pytest.mark.slow
def test_the_impact_chapter_has_a_section_per_group_with_the_runs_numbers(national):
    text = national.paths["care_impact_chapter"].read_text(encoding="utf-8")
    for section in ("## Patients", "## Professionals", "## Providers", "## Networks"):
        assert section in text
    s = national.summary["care_impact"]
    lost = s["providers"]["hospitals_losing_regional_function"]
    assert f"{lost} lose their regional function" in text
    moved = s["patients"]["patients_moved"]
    assert f"{moved:,.0f} patients a year change hospital" in text
    assert "embedded approximation" in text
    assert "The study area is one region" not in text


@pytest.mark.slow
def test_spread_care_is_received_and_given_with_its_value(decide_example):
    r = decide_example
    hosp = pd.read_csv(r.paths["care_impact_hospitals"]).set_index("site_id")
    assert hosp.at["H105806", "care_received"] == 300
    assert hosp.at["H107601", "care_given"] == 300
    assert (hosp.drop(["H105806", "H107601"])[["care_received", "care_given"]] == 0).all().all()
    per_iv = pd.read_csv(r.paths["care_impact_providers"])
    own = per_iv[per_iv["site_id"] == "H105806"]
    base = own["value_eur_new"].sum()
    assert hosp.at["H105806", "value_eur_new"] == pytest.approx(base + 300 * 3000)


@pytest.mark.slow
def test_spread_to_a_hospital_without_complex_care_gets_its_own_row(tmp_path):
    r = patientflow.run(
        patientflow.compose(
            [
                "sim=care",
                "region=nl",
                "demand=municipality",
                "network=tranche1_2025",
                "sim.days=0",
                "report.figures=false",
                "network.spread=[{care:x,from_site:H107601,to_site:H100402,volume:50}]",
            ]
        ),
        tmp_path / "spread_small",
    )
    hosp = pd.read_csv(r.paths["care_impact_hospitals"]).set_index("site_id")
    assert hosp.at["H100402", "care_received"] == 50
    assert hosp.at["H100402", "name"] == "Rijnstate Ziekenhuis Zevenaar"


@pytest.mark.parametrize(
    "spread, message",
    [
        ("[{care:x,from_site:H107601,to_site:H105806,volume:-1}]", "spread[0].volume=-1.0: must"),
        ("[{care:x,from_site:H107601,to_site:NOPE,volume:1}]", "to_site='NOPE': is not a site id"),
    ],
)
def test_a_bad_spread_is_named(tmp_path, spread, message):
    from patientflow.errors import ConfigError

    cfg = patientflow.compose(
        [
            "sim=care",
            "network=networks_decide_example",
            f"network.spread={spread}",
            "care.national_rules_on_region=true",
        ]
    )
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        patientflow.run(cfg, tmp_path / "bad")


@pytest.mark.slow
def test_professionals_and_providers_per_region_add_up_to_the_nation(national):
    reg = pd.read_csv(national.paths["care_impact_regions"])
    nl = reg[reg["level"] == "NL"].iloc[0]
    s = national.summary["care_impact"]
    assert nl["surgeons_needed_new"] == s["professionals"]["surgeons_needed_new"]
    assert (
        nl["hospitals_losing_regional_function"]
        == (s["providers"]["hospitals_losing_regional_function"])
    )
    for level in ("cancer_network", "roaz", "zorgkantoor"):
        per = reg[reg["level"] == level]
        for col in ("operations_lost", "surgeons_needed_current", "value_eur_new"):
            assert per[col].sum() == pytest.approx(nl[col]), (level, col)


@pytest.mark.slow
def test_each_providers_network_is_the_one_its_intervention_is_organised_in(national, dataset):
    """AAA and carotid are organised per vascular network, the rest per cancer network: the
    providers table names that network (it was headed `cancer_network` and held vascular codes
    for AAA), as `network.shared_care_per_network` looks it up."""
    rows = pd.read_csv(national.paths["care_impact_providers"])
    cancer = set(dataset.municipalities["oncology_code"].dropna())
    vascular_rows = rows["intervention"].isin(["aaa_repair", "carotid_endarterectomy"])
    assert not set(rows.loc[vascular_rows, "network"]) & cancer
    assert set(rows.loc[~vascular_rows, "network"]) <= cancer


def test_production_value_prices_each_stage_at_its_own_tariff():
    from dataclasses import replace

    from patientflow.care.impact_providers import provider_intervention_rows
    from patientflow.config.impact import StageConfig, StagePlace

    problem, ref, new, cfg, _ = _change(shared=True)
    stages = {
        "workup": StageConfig(3, StagePlace.shared, 400.0),
        "operation": StageConfig(1, StagePlace.centre, 0.0),
        "followup": StageConfig(3, StagePlace.shared, 150.0),
        "systemic": StageConfig(8, StagePlace.local, 0.0),
    }
    problem.config = replace(problem.config, stages=stages, tariff_eur=25000.0)
    problem.candidates["name"] = problem.candidates["id"]
    pf = pathway_flows(problem, ref, new, cfg)
    rows = provider_intervention_rows(problem, ref, new, pf, cfg).set_index("site_id")
    # hospital 0 stops operating and keeps its patients' work-up and follow-up (1,650 euros a
    # patient) and the unpriced chemotherapy of the patients near it; an average tariff over
    # all visits (117.86 euros) valued it at 45,308 euros instead of 50,719
    assert (pf.stage_sites["systemic"][1] == 0).any()
    assert rows.loc["s0", "value_eur_new"] == pytest.approx(ref.volume[0] * (3 * 400 + 3 * 150))
    assert rows.loc["s0", "value_eur_current"] == pytest.approx(ref.volume[0] * (25000.0 + 1650.0))
