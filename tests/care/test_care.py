"""Complex care under volume norms: the network rules and the paired comparison."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import patientflow
from patientflow.care.choice import after_change, today
from patientflow.care.rules import volume_norm


def _instance(seed: int, n_points: int = 40, n_sites: int = 8):
    rng = np.random.default_rng(seed)
    pts, sites = rng.random((n_points, 2)) * 100, rng.random((n_sites, 2)) * 100
    minutes = np.hypot(*(pts[:, None, :] - sites[None, :, :]).transpose(2, 0, 1))
    return minutes, rng.integers(1, 20, n_points).astype(float)


def _volumes_of(minutes, w, beta=0.05):
    attraction = np.ones(minutes.shape[1])
    ref = today(minutes, w, attraction, list(range(minutes.shape[1])), beta)
    return lambda chosen: after_change(ref, minutes, w, attraction, chosen, beta).volume


@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 10_000), norm=st.floats(5, 400))
def test_volume_norm_ends_with_every_provider_at_the_norm_or_says_it_cannot(seed, norm):
    minutes, w = _instance(seed)
    volumes_of = _volumes_of(minutes, w)
    chosen, report = volume_norm(
        volumes_of, list(range(8)), norm, [f"s{i}" for i in range(8)], w.sum()
    )
    volume = volumes_of(chosen)
    if report["met"]:
        assert (volume[chosen] >= norm - 1e-6).all()
    else:
        assert len(chosen) == 1 and w.sum() < norm and "cannot be met" in report["message"]
    assert len(report["dropped"]) == 8 - len(chosen)


def _care(tmp_path, network, *extra):
    cfg = patientflow.compose(
        ["sim=care", "region=nl", "demand=municipality", f"network={network}", *extra]
    )
    return patientflow.run(cfg, tmp_path / network)


@pytest.mark.slow
def test_the_current_network_has_zero_extra_travel(tmp_path):
    r = _care(tmp_path, "current", "report.figures=false", "sim.days=0")
    paired = pd.read_csv(r.paths["care_paired"])
    assert (paired["extra_travel_min_mean"] == 0).all()
    assert (paired["travel_min_current_mean"] == paired["travel_min_new_mean"]).all()


@pytest.mark.slow
def test_tranche1_concentrates_and_every_remaining_provider_meets_its_norm(tmp_path):
    # the data's own year, whose observed volumes the baseline must reproduce
    r = _care(tmp_path, "tranche1_2025", "sim.days=0", "demand.year=2024")
    prov = pd.read_csv(r.paths["care_providers"])
    for name, s in r.summary["care"].items():
        p = prov[prov["intervention"] == name]
        assert s["providers_current"] == p["provider_current"].sum()
        if s["rule"] == "volume_norm":
            new = p[p["provider_new"]]
            # a norm group's norm holds for its summed volumes (volume_tested_new)
            assert (new["volume_tested_new"] >= s["norm"] - 1e-9).all(), name
            assert s["providers_new"] <= s["providers_current"]
        total_today = p.loc[p["provider_current"], "volume_current"].sum()
        assert p.loc[p["provider_new"], "volume_new"].sum() == pytest.approx(total_today)
    lung = r.summary["care"]["lung_resection"]
    assert lung["providers_current"] == 42 and lung["norm"] == 60
    for name, s in r.summary["care"].items():
        assert s["referral_fit"]["max_relative_error"] < 0.01, name
        assert s["meeting_norm_current"] == s["meeting_norm_observed"], name
    today_rows = prov[prov["provider_current"]]
    rel = (today_rows["volume_current"] - today_rows["volume_observed"]).abs()
    assert (rel <= 0.01 * today_rows["volume_observed"]).all()
    for key in (
        "care_map",
        "care_volumes",
        "care_extra_travel",
        "impact_patients",
        "impact_professionals",
        "impact_providers",
        "impact_networks",
    ):
        assert r.figures[key].is_file()
    chapter = r.paths["care_impact_chapter"].read_text(encoding="utf-8")
    for key in ("impact_patients", "impact_professionals", "impact_providers", "impact_networks"):
        assert f"]({r.figures[key].name})" in chapter


def test_unknown_intervention_in_a_network_rule_is_a_config_error():
    from patientflow.config.care import CareRule, check_care_config
    from patientflow.config.checks import check_config
    from patientflow.config.validate import Problems
    from patientflow.errors import ConfigError

    run = check_config(patientflow.compose(["network=tranche1_2025"]))
    problems = Problems()
    check_care_config(run.care, {**run.network.care, "kidney": CareRule()}, problems)
    with pytest.raises(ConfigError, match=r"network.care.kidney='kidney': is not an intervention"):
        problems.raise_if_any()


def _pathway_inputs(*overrides):
    from patientflow.care.study import care_problems, referrals_today
    from patientflow.config.checks import check_config
    from patientflow.core.area import study_area
    from patientflow.core.network import build_network
    from patientflow.data import load_dataset
    from patientflow.runner import run_travel_model

    cfg = check_config(
        patientflow.compose(["sim=care", "region=nl", "demand=municipality", *overrides])
    )
    data = load_dataset()
    net = build_network(data, cfg.network)
    area = study_area(data, cfg)
    problems = care_problems(data, net, area, run_travel_model(cfg, data), cfg)
    problems = {"pancreas_resection": problems["pancreas_resection"]}
    today = {n: referrals_today(p) for n, p in problems.items()}
    onc = data.municipalities.set_index("municipality_code")["oncology_code"]
    return cfg, problems, today, area.points["municipality_code"].map(onc).to_numpy()


def _mean_wait(cfg, problems, today, region, occupancy):
    from patientflow.care.pathway import CareModel
    from patientflow.core.streams import Streams

    cfg.care.session_occupancy = occupancy
    model = CareModel(problems, today, today, cfg.care, 200.0, Streams(7, 0), region)
    model.run()
    df = pd.DataFrame(model.records)
    return ((df["surgery_min"] - df["ready_min"]) / 1440.0).mean(), len(df)


@pytest.mark.slow
def test_more_operating_sessions_lower_the_waits():
    cfg, problems, today, region = _pathway_inputs()
    tight, n1 = _mean_wait(cfg, problems, today, region, 1.0)
    loose, n2 = _mean_wait(cfg, problems, today, region, 0.6)
    assert n1 == n2 > 300  # the same patients
    assert loose < tight


@pytest.mark.slow
def test_the_same_patients_run_through_both_networks(tmp_path):
    # a month is some 1,250 patients, 240 of them lung resections at 39 of the 42 centres today
    r = _care(tmp_path, "tranche1_2025", "report.figures=false", "sim.days=30", "sim.warmup_days=7")
    pts = pd.read_parquet(r.paths["care_patients"])
    cur, new = pts[pts["network"] == "current"], pts[pts["network"] == "new"]
    key = ["intervention", "referral_min", "point", "acute"]
    pd.testing.assert_frame_equal(
        cur[key].sort_values(key).reset_index(drop=True),
        new[key].sort_values(key).reset_index(drop=True),
    )
    lung_cur = cur[cur["intervention"] == "lung_resection"]["site_id"].nunique()
    lung_new = new[new["intervention"] == "lung_resection"]["site_id"].nunique()
    assert lung_new < lung_cur


@settings(max_examples=40, deadline=None)
@given(old=st.floats(1, 500), new=st.floats(1, 500), rr=st.floats(0.5, 0.99))
def test_assumed_deaths_fall_when_volume_grows_and_never_change_at_equal_volume(old, new, rr):
    from patientflow.care.study import deaths_change
    from patientflow.config.care import InterventionConfig

    iv = InterventionConfig(mortality=0.04, rr_per_doubling=rr)
    d = deaths_change(iv, np.array([old, old]), np.array([new, old]))
    assert d[1] == pytest.approx(0.0)
    if new > old * 1.01:
        assert d[0] < 0


@pytest.mark.slow
def test_optimal_k_is_solved_exactly_with_the_planners_constraints(tmp_path):
    key = "network.care.pancreas_resection"
    r = _care(
        tmp_path,
        "tranche1_2025",
        "report.figures=false",
        "sim.days=0",
        f"{key}.rule=optimal_k",
        f"{key}.k=7",
        f"{key}.at_least_one_per_network=true",
    )
    s = r.summary["care"]["pancreas_resection"]
    assert s["providers_new"] == 7
    assert s["report"]["status"] == "optimal" and s["report"]["gap"] == 0
    prov = pd.read_csv(r.paths["care_providers"])
    new = prov[(prov["intervention"] == "pancreas_resection") & prov["provider_new"]]
    assert new["network"].nunique() == 7


@pytest.mark.slow
def test_a_staff_shortage_plans_fewer_operating_minutes_and_beds_and_lengthens_the_waits():
    """`scenario.capacity_factor` scales staffed capacity: complex care ignored it, so
    `sim=care scenario=staff_shortage` gave the baseline's beds, minutes and waits under the
    shortage's name."""
    from patientflow.care.job import acute_only_keys
    from patientflow.care.pathway import CareModel
    from patientflow.core.streams import Streams

    cfg, problems, today, region = _pathway_inputs("scenario=staff_shortage")
    assert cfg.scenario.capacity_factor == 0.85
    models = {}
    for factor in (1.0, cfg.scenario.capacity_factor):
        models[factor] = CareModel(
            problems, today, today, cfg.care, 200.0, Streams(7, 0), region, capacity_factor=factor
        )
    full, short = models[1.0], models[0.85]
    for site, centre in full.centres["pancreas_resection"].items():
        ratio = (
            short.centres["pancreas_resection"][site].weekly_minutes[0] / centre.weekly_minutes[0]
        )
        assert ratio == pytest.approx(0.85)
    beds = {f: sum(h.ward.capacity for h in m.hospitals.values()) for f, m in models.items()}
    assert beds[0.85] < 0.9 * beds[1.0]
    waits = {}
    for f, m in models.items():
        m.run()
        df = pd.DataFrame(m.records)
        waits[f] = ((df["surgery_min"] - df["ready_min"]) / 1440.0).mean()
    assert waits[0.85] > waits[1.0]
    assert acute_only_keys(cfg.scenario) == []
    winter = _pathway_inputs("scenario=winter_2025")[0].scenario
    assert acute_only_keys(winter) == ["scenario.flu_peak", "scenario.acute_beds_factor"]


@pytest.mark.slow
def test_a_care_run_under_a_staff_shortage_offers_fewer_minutes_and_beds(tmp_path):
    """The run passes the scenario's factor on to the pathway (without it the run gave the
    baseline's minutes and beds under the shortage's name)."""
    small = ["sim=care", "region=midden", "demand=municipality", "sim.days=21"]
    small += ["sim.warmup_days=7", "report.figures=false", "report.accessibility_area=study_area"]
    runs = {
        name: patientflow.run(patientflow.compose([*small, *extra]), tmp_path / name)
        for name, extra in (("full", []), ("short", ["scenario=staff_shortage"]))
    }
    centres = {n: pd.read_csv(r.paths["care_centres"]) for n, r in runs.items()}
    beds = {n: pd.read_csv(r.paths["care_beds"]) for n, r in runs.items()}
    offered = {n: c["offered_or_min"].sum() for n, c in centres.items()}
    assert 0.8 < offered["short"] / offered["full"] <= 0.86
    planned = {n: b["ward_beds_planned"].sum() for n, b in beds.items()}
    assert planned["short"] < 0.9 * planned["full"]
