"""Simulate only what a network change reaches (sim.delta, issue 19): the area a closure
reaches, a delta run that equals the full run where its area is the whole study area, the rest
taken unchanged from the baseline, and one baseline shared by a sweep's jobs."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import numpy as np
import pandas as pd
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import patientflow
from patientflow.acute.delta import _reach, baseline_network, changed_sites, delta_area, reach
from patientflow.acute.delta_job import _facility_mask, baseline_key
from patientflow.config.schema import NetworkConfig, NightClosure
from patientflow.errors import ConfigError
from patientflow.runner import as_run_config

from .worlds import QUICK, world_of

NORTH_AND_SOUTH = ("region.level=roaz", "region.codes=[AZNN,LIMBURG]")
SCHEEMDA = "H107404"  # an SEH in the north-east, far from Limburg
NIEUWEGEIN = "H105801"  # an SEH in Midden-Nederland
MAASTRICHT = "H100201"  # an SEH far from Midden-Nederland
DORDRECHT = "H100301"  # Midden's patients reach it only when their GP post refers them
MIDDEN_PC4 = ("region=midden", "demand=pc4")


def test_changed_sites_are_those_closed_or_with_other_hours_in_one_network_only():
    base = NetworkConfig(closed_sites=["H1"], night_closures=[NightClosure(site="H2")])
    same = NetworkConfig(closed_sites=["H1"], night_closures=[NightClosure(site="H2")])
    assert changed_sites(same, base) == frozenset()
    other = NetworkConfig(
        closed_sites=["H3"],
        night_closures=[NightClosure(site="H2", close="22:00"), NightClosure(site="H4")],
    )
    assert changed_sites(other, base) == {"H1", "H2", "H3", "H4"}
    assert baseline_network(other).closed_sites == []
    assert baseline_network(other).night_closures == []


@settings(max_examples=200, deadline=None)
@given(data=st.data(), n=st.integers(2, 8), k=st.integers(1, 4))
def test_whichever_part_time_sehs_are_closed_the_choice_is_inside_the_reach(data, n, k):
    """At a given hour any subset of the part-time SEHs may be closed; the patient then takes
    the k nearest of the open ones. The reach with all of them marked covers every subset."""
    order = np.array([data.draw(st.permutations(range(n)))])
    part_time = np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    closed = part_time & np.array(data.draw(st.lists(st.booleans(), min_size=n, max_size=n)))
    world = SimpleNamespace(
        seh_order_car=order, seh_order_amb=order, gp_seh_order_car=order, point_gp=np.array([0])
    )
    covered = _reach(world, k, k, skip=part_time)[0]
    open_in_order = [j for j in order[0] if not closed[j]]
    assert covered[open_in_order[:k]].all()


def test_the_baselines_key_changes_with_what_changes_its_results_only():
    def key(*overrides: str) -> str:
        run = as_run_config(patientflow.compose(list(overrides)))[0]
        return baseline_key(replace(run, network=baseline_network(run.network)))

    first = key()
    assert key("network.closed_sites=[H107404]") == first  # the baseline has no closures
    assert key("sim.replications=5", "sim.progress=false", "report.figures=false") == first
    assert key("report.dpi=60", "report.accessibility_area=study_area") == first
    # each journey's seh_within_norm is logged against the norm: a baseline of another norm
    # gave the stitched journeys outside the core the old norm's (Limburg 55 % within 30
    # minutes in a delta run after a 45-minute one, 14 % in the full run)
    assert key("report.norm_min=30") != first
    assert key("sim.seed=7") != first
    assert key("sim.days=3") != first
    assert key("scenario=flu_peak") != first


def test_a_delta_rank_below_one_is_refused():
    with pytest.raises(ConfigError, match="sim.delta_rank"):
        patientflow.run(patientflow.compose(["sim.delta_rank=0"]), Path("/nonexistent"))


@pytest.fixture(scope="module")
def worlds():
    base, run, _ = world_of(*NORTH_AND_SOUTH)
    closed, _, _ = world_of(*NORTH_AND_SOUTH, f"network.closed_sites=[{SCHEEMDA}]")
    return base, closed, run


@pytest.fixture(scope="module")
def national():
    """The country's world today and with Nieuwegein's SEH closed."""
    base, run, _ = world_of("region=nl")
    closed, _, _ = world_of("region=nl", f"network.closed_sites=[{NIEUWEGEIN}]")
    return base, closed, run


@pytest.mark.slow
def test_a_closure_reaches_its_own_safety_regions_and_not_the_far_south(worlds):
    base, closed, run = worlds
    area = delta_area(base, closed, frozenset({SCHEEMDA}), 2, zcc=False)
    munis = base.points["municipality_code"].to_numpy(dtype=object)
    roaz = base.points["municipality_code"].map(
        base.municipalities.set_index("municipality_code")["roaz_code"]
    )
    seh = list(base.sehs["id"]).index(SCHEEMDA)
    reaching = reach(base, 2)[:, seh]
    assert reaching.any()
    assert set(munis[reaching]) <= area.core
    # the core is whole safety regions: their ambulances drive further
    core_vr = set(base.point_vr[np.isin(munis, list(area.core))])
    assert set(munis[np.isin(base.point_vr, list(core_vr))]) == area.core
    # every municipality sharing a GP post or a reached SEH with the core is simulated
    gp_of_core = set(base.point_gp[np.isin(munis, list(area.core))])
    assert set(munis[np.isin(base.point_gp, list(gp_of_core))]) <= area.simulated
    assert area.core <= area.simulated
    assert not set(munis[(roaz == "LIMBURG").to_numpy()]) & area.simulated
    assert 0 < area.population_share < 1
    core = np.isin(munis, list(area.core))
    pop = base.points["population"].to_numpy(dtype=float)
    assert area.measured_share == pytest.approx(pop[core].sum() / pop.sum())
    assert 0 < area.measured_share <= area.population_share
    assert SCHEEMDA in area.sehs


@pytest.mark.slow
def test_every_point_that_can_be_taken_to_an_seh_of_the_core_is_simulated(national):
    """An SEH the core reaches carries its full load in the area run: every point whose
    choice set (two nearest by car, four by ambulance) holds it is simulated. With only the two
    nearest by ambulance, a closure in Brabant showed hardly any of its triage effect."""
    base, closed, _ = national
    area = delta_area(base, closed, frozenset({NIEUWEGEIN}), 2, zcc=False)
    munis = base.points["municipality_code"].to_numpy(dtype=object)
    core = np.isin(munis, list(area.core))
    car, amb = base.seh_order_car[:, :2], base.seh_order_amb[:, :4]
    of_core = np.union1d(car[core], amb[core])
    sharing = np.isin(car, of_core).any(axis=1) | np.isin(amb, of_core).any(axis=1)
    assert set(munis[sharing]) <= area.simulated
    # not vacuous: some of them share only through the third or fourth by ambulance
    near = np.isin(car, of_core).any(axis=1) | np.isin(amb[:, :2], of_core).any(axis=1)
    assert (sharing & ~near).any()


@pytest.mark.slow
def test_the_safety_regions_that_help_the_core_across_their_border_are_simulated(national):
    base, closed, run = national
    aid = run.facilities.ambulance.mutual_aid_min
    assert aid > 0
    area = delta_area(base, closed, frozenset({NIEUWEGEIN}), 2, zcc=False, aid_min=aid)
    munis = base.points["municipality_code"].to_numpy(dtype=object)
    core = np.isin(munis, list(area.core))
    post_vr = base.amb_posts["vr_code"].to_numpy(dtype=object)
    helpers = post_vr[(base.post_point_amb[:, core] <= aid).any(axis=1)]
    helping = np.isin(base.point_vr, helpers)
    assert set(munis[helping]) <= area.simulated
    core_posts = np.isin(post_vr, np.unique(base.point_vr[core]))
    helped_vr = base.point_vr[(base.post_point_amb[core_posts] <= aid).any(axis=0)]
    assert set(munis[np.isin(base.point_vr, helped_vr)]) <= area.simulated
    assert set(munis[helping]) - area.core  # a neighbouring region, not only the core's own
    alone = delta_area(base, closed, frozenset({NIEUWEGEIN}), 2, zcc=False, aid_min=0)
    assert alone.simulated < area.simulated and alone.core == area.core
    with pytest.raises(ValueError, match="aid_min"):
        delta_area(base, closed, frozenset({NIEUWEGEIN}), 2, zcc=False, aid_min=float("nan"))


@pytest.mark.slow
def test_with_a_zcc_the_core_is_whole_safety_regions_and_whole_zcc_regions(national):
    # nationally, Nieuwegein's ZCC region (ROAZ Midden) and its safety regions overlap in part
    base, closed, _ = national
    area = delta_area(base, closed, frozenset({NIEUWEGEIN}), 2, zcc=True)
    core = np.isin(base.points["municipality_code"].to_numpy(dtype=object), list(area.core))
    assert (np.isin(base.point_vr, np.unique(base.point_vr[core])) == core).all()
    zcc = base.point_zcc
    assert (np.isin(zcc, np.unique(zcc[core & (zcc >= 0)])) | core == core).all()


@pytest.mark.slow
def test_a_night_closure_reaches_the_users_of_the_seh_its_patients_fall_back_on(worlds):
    base, _, _ = worlds
    night, _, _ = world_of(
        *NORTH_AND_SOUTH,
        f"network.night_closures=[{{site: {SCHEEMDA}, close: '23:00', open: '08:00'}}]",
    )
    area = delta_area(base, night, frozenset({SCHEEMDA}), 2, zcc=False)
    ids = list(night.sehs["id"])
    seh = ids.index(SCHEEMDA)
    nearest = night.seh_order_car[:, 0] == seh
    assert nearest.any()
    # at night these patients go to their next SEHs by car: the third nearest is new
    fallback = {ids[j] for j in night.seh_order_car[nearest, 2]}
    assert fallback <= area.sehs
    munis = night.points["municipality_code"].to_numpy(dtype=object)
    users = np.isin(night.seh_order_car[:, :2], [ids.index(f) for f in fallback]).any(axis=1)
    assert set(munis[users]) <= area.core


@pytest.mark.slow
def test_no_change_reaches_nothing(worlds):
    base, _, _ = worlds
    area = delta_area(base, base, frozenset(), 2, zcc=False)
    assert not area.core and not area.simulated and area.population_share == 0.0
    assert area.measured_share == 0.0


@pytest.mark.slow
def test_a_patient_referred_from_a_gp_post_is_inside_the_reach():
    """A patient referred after a consultation at the GP post drives on from the post to the
    SEH nearest it. Midden's patients reach Dordrecht's SEH only so: a change that reached none
    of them took Dordrecht's series from an area run without its referred patients."""
    base, run, _ = world_of(*MIDDEN_PC4)
    closed, _, _ = world_of(*MIDDEN_PC4, f"network.closed_sites=[{MAASTRICHT}]")
    ids = base.sehs["id"].to_numpy(dtype=object)
    from_post = base.gp_seh_order_car[base.point_gp, :2]
    assert DORDRECHT in set(ids[from_post].ravel())
    assert not reach(base, 2)[:, list(ids).index(DORDRECHT)].all()
    aid = run.facilities.ambulance.mutual_aid_min
    area = delta_area(base, closed, frozenset({MAASTRICHT}), 2, zcc=False, aid_min=aid)
    munis = base.points["municipality_code"].to_numpy(dtype=object)
    outside = ~np.isin(munis, list(area.simulated))
    assert not set(ids[from_post[outside]].ravel()) & area.sehs


def _run(tmp: Path, name: str, *overrides: str, replications: int = 1) -> tuple[dict, Path]:
    cfg = patientflow.compose(
        [
            *QUICK,
            "sim.days=1.5",
            "sim.warmup_days=0.5",
            f"sim.replications={replications}",
            *overrides,
        ]
    )
    result = patientflow.run(cfg, tmp / name)
    return result.summary["acute"], tmp / name


def _journeys(folder: Path) -> pd.DataFrame:
    j = pd.read_parquet(folder / "journeys.parquet").drop(columns="journey_id")
    return j.sort_values(["arrival_min", "point_id", "channel"]).reset_index(drop=True)


@pytest.mark.slow
def test_a_full_run_of_a_closure_changes_nothing_it_cannot_reach_not_even_the_beds(
    tmp_path, worlds
):
    """Each hospital's initial and other inpatients come from its own streams: closing an SEH
    in the north leaves every journey and every hourly bed count in Limburg as they were. With
    one national stream for them, a closure anywhere dealt every hospital other inpatients
    (and so other bed waits) than the baseline's: closing an SEH in Limburg changed the bed
    waits of 10 patients at the SEHs of Deventer and Scheemda, nationally over 28 days. And
    every journey the closure does change lies in the core that sim.delta measures."""
    _, base_dir = _run(tmp_path, "base", *NORTH_AND_SOUTH)
    _, closed_dir = _run(tmp_path, "closed", *NORTH_AND_SOUTH, f"network.closed_sites=[{SCHEEMDA}]")

    def south(folder: Path) -> tuple[pd.DataFrame, pd.DataFrame]:
        j = _journeys(folder).query("roaz_code == 'LIMBURG'").reset_index(drop=True)
        ts = pd.read_parquet(folder / "timeseries.parquet")
        sehs = ts[(ts["facility_type"] == "seh") & ts["facility_id"].isin(j["seh_site_id"])]
        return j, sehs.sort_values(["facility_id", "time_min"]).reset_index(drop=True)

    (j_base, beds_base), (j_closed, beds_closed) = south(base_dir), south(closed_dir)
    assert len(j_base) > 500 and beds_base["facility_id"].nunique() >= 5
    assert beds_base["occupied_beds"].sum() > 0
    pd.testing.assert_frame_equal(j_closed, j_base)
    pd.testing.assert_frame_equal(beds_closed, beds_base)

    def by_id(folder: Path) -> pd.DataFrame:
        return pd.read_parquet(folder / "journeys.parquet").set_index("journey_id").sort_index()

    before, after = by_id(base_dir), by_id(closed_dir)
    assert before.index.equals(after.index)  # the same patients
    same = (before == after) | (before.isna() & after.isna())
    changed = before.loc[~same.all(axis=1), "municipality_code"]
    base, closed, _ = worlds
    core = delta_area(base, closed, frozenset({SCHEEMDA}), 2, zcc=False).core
    assert len(changed) > 20
    assert set(changed) <= core


@pytest.mark.slow
def test_where_the_change_reaches_the_whole_study_area_delta_equals_the_full_run(tmp_path, caplog):
    args = ("region=midden", f"network.closed_sites=[{NIEUWEGEIN}]")
    full, full_dir = _run(tmp_path, "full", *args, replications=2)
    with caplog.at_level("WARNING", logger="patientflow.acute.delta_job"):
        delta, delta_dir = _run(tmp_path, "delta", *args, "sim.delta=true", replications=2)
    assert delta["delta"]["population_share_simulated"] == 1.0
    assert 0 < delta["delta"]["population_share_measured"] <= 1.0
    assert "reaches 100 % of the inhabitants" in caplog.text  # and says a full run costs less
    for key in ("national", "per_roaz", "utilisation", "seh_stop_min_per_day", "replications"):
        assert delta[key] == full[key], key
    assert delta["other_inpatients"] == full["other_inpatients"]
    pd.testing.assert_frame_equal(_journeys(delta_dir), _journeys(full_dir))
    pd.testing.assert_frame_equal(
        pd.read_parquet(delta_dir / "facilities.parquet"),
        pd.read_parquet(full_dir / "facilities.parquet"),
    )


@pytest.mark.slow
def test_what_a_closure_cannot_reach_is_the_baseline_and_the_baseline_is_made_once(
    tmp_path, caplog
):
    shared = f"sim.delta_dir={tmp_path / 'baseline'}"
    base, base_dir = _run(tmp_path, "base", *NORTH_AND_SOUTH)
    with caplog.at_level("WARNING", logger="patientflow.acute.delta_job"):
        first, first_dir = _run(
            tmp_path,
            "first",
            *NORTH_AND_SOUTH,
            "sim.delta=true",
            shared,
            f"network.closed_sites=[{SCHEEMDA}]",
        )
    assert "of the inhabitants; a delta job" not in caplog.text  # it reaches the north only
    made = sorted(p.stat().st_mtime_ns for p in (tmp_path / "baseline").rglob("*.parquet"))
    assert len(made) == 2  # journeys and time series
    second, _ = _run(
        tmp_path,
        "second",
        *NORTH_AND_SOUTH,
        "sim.delta=true",
        shared,
        "network.closed_sites=[H107401]",
    )
    again = sorted(p.stat().st_mtime_ns for p in (tmp_path / "baseline").rglob("*.parquet"))
    assert again == made
    assert first["delta"]["changed_sites"] == [SCHEEMDA]
    assert first["per_roaz"]["LIMBURG"] == base["per_roaz"]["LIMBURG"]
    south = _journeys(first_dir).query("roaz_code == 'LIMBURG'").reset_index(drop=True)
    pd.testing.assert_frame_equal(
        south, _journeys(base_dir).query("roaz_code == 'LIMBURG'").reset_index(drop=True)
    )
    ids = pd.read_parquet(first_dir / "journeys.parquet")["journey_id"]
    assert ids.is_unique and len(ids) == first["arrivals"]
    assert not (_journeys(first_dir)["seh_site_id"] == SCHEEMDA).any()
    summary = json.loads((first_dir / "summary.json").read_text())
    assert summary["acute"]["delta"]["municipalities_measured"] > 0


@pytest.mark.slow
def test_a_change_that_reaches_none_of_the_study_areas_patients_gives_the_full_runs_results(
    tmp_path,
):
    """Closing Maastricht's SEH reaches no patient of Midden. The stitch took Dordrecht's series
    from the empty area run: its bays idle (utilisation 0.0) beside the 3 patients their GP post
    referred there (0.0008 in the full run, 28 days)."""
    args = (*MIDDEN_PC4, "sim.days=29", f"network.closed_sites=[{MAASTRICHT}]")
    full, full_dir = _run(tmp_path, "full", *args)
    delta, delta_dir = _run(tmp_path, "delta", *args, "sim.delta=true")
    assert delta["delta"]["municipalities_simulated"] == 0
    for key in ("national", "per_roaz", "utilisation", "seh_stop_min_per_day", "other_inpatients"):
        assert delta[key] == full[key], key
    facilities = pd.read_parquet(full_dir / "facilities.parquet")
    assert facilities.query("facility_id == @DORDRECHT")["volume"].item() > 0
    pd.testing.assert_frame_equal(pd.read_parquet(delta_dir / "facilities.parquet"), facilities)


def test_the_stitch_takes_a_facilitys_series_from_the_area_run_by_its_kind_and_id():
    area = SimpleNamespace(
        sehs=frozenset({"H1"}), gp_posts=frozenset({"P1"}), zccs=frozenset(), regions={"VR01"}
    )
    batch = pa.RecordBatch.from_pydict(
        {
            "facility_type": ["seh", "seh", "gp_desk", "gp_visit", "zcc_desk", "ambulance"],
            "facility_id": ["H1", "H2", "P1", "H1", "P1", "VR01"],
        }
    )
    assert _facility_mask(batch, area).to_pylist() == [True, False, True, False, False, True]
    # a type the stitch does not know would silently keep its baseline series: refused
    other = pa.RecordBatch.from_pydict({"facility_type": ["seh", "icu"], "facility_id": ["H1"] * 2})
    with pytest.raises(ValueError, match="'icu'"):
        _facility_mask(other, area)
