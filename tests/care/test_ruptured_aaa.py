"""The ruptured aortic aneurysm: recognised ruptures go straight to the nearest repair centre,
the others through the nearest SEH (transferred when it does not repair aneurysms); the
static before/after table and the emergency's place ahead of the elective list."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import patientflow
from patientflow.care.ruptured import (
    call_to_operation,
    expected_call_to_operation,
    ruptured_routes,
)
from patientflow.config.ruptured import RupturedAaaConfig
from patientflow.data import load_dataset

# Two demand points, three candidate hospitals (0 and 2 repair aneurysms, 1 does not), two
# SEHs: SEH 0 is hospital 1, SEH 1 is hospital 2.
AMBULANCE = np.array([[40.0, 10.0, 50.0], [60.0, 30.0, 8.0]])
SEH_AMBULANCE = np.array([[10.0, 50.0], [30.0, 8.0]])
SEH_TO_CANDIDATE = np.array([[25.0, 0.0, 45.0], [45.0, 40.0, 0.0]])
SEH_CANDIDATE = np.array([1, 2])
CENTRES = [0, 2]


def _routes():
    return ruptured_routes(AMBULANCE, SEH_AMBULANCE, SEH_TO_CANDIDATE, SEH_CANDIDATE, CENTRES)


def test_an_unrecognised_rupture_near_an_seh_without_repair_is_transferred():
    cfg = RupturedAaaConfig(response_min=15, door_in_door_out_min=60, prep_min=30)
    routes = _routes()
    direct, via = call_to_operation(routes, cfg)
    # Point 0: its nearest SEH (hospital 1) does not repair; the nearest centre from there is
    # hospital 0, 25 minutes on.
    assert routes.transferred[0] and routes.via_seh[0] == 0
    assert via[0] == pytest.approx(15 + 10 + 60 + 25 + 30)
    # Recognised, it goes straight to the nearest repair centre (hospital 0, 40 minutes).
    assert routes.direct[0] == 0
    assert direct[0] == pytest.approx(15 + 40 + 30)
    # Point 1: its nearest SEH is a repair centre: no transfer either way.
    assert not routes.transferred[1] and routes.via_seh[1] == 2 and routes.direct[1] == 2
    assert via[1] == direct[1] == pytest.approx(15 + 8 + 30)
    expected, transferred = expected_call_to_operation(routes, cfg)
    assert expected[0] == pytest.approx(0.5 * (15 + 40 + 30) + 0.5 * (15 + 10 + 60 + 25 + 30))
    assert transferred.tolist() == [0.5, 0.0]


def test_when_every_rupture_is_recognised_nobody_is_transferred():
    cfg = RupturedAaaConfig(recognised_share=1.0)
    expected, transferred = expected_call_to_operation(_routes(), cfg)
    direct, _ = call_to_operation(_routes(), cfg)
    assert (transferred == 0).all()
    assert expected == pytest.approx(direct)


def test_a_bad_recognised_share_is_a_config_error():
    from patientflow.config.checks import check_config
    from patientflow.errors import ConfigError, ConfigErrors

    with pytest.raises((ConfigError, ConfigErrors), match="care.ruptured.recognised_share"):
        check_config(patientflow.compose(["sim=care", "care.ruptured.recognised_share=1.5"]))


@pytest.mark.slow
def test_the_national_table_has_one_row_per_municipality_and_no_faster_operation(tmp_path):
    cfg = patientflow.compose(
        [
            "sim=care",
            "region=nl",
            "demand=municipality",
            "network=tranche1_2025",
            "sim.days=0",
            "report.figures=false",
        ]
    )
    r = patientflow.run(cfg, tmp_path / "aaa")
    table = pd.read_csv(r.paths["care_aaa_acute"])
    assert len(table) == len(load_dataset().municipalities) == table["municipality_code"].nunique()
    same = table[table["share_nearest_centre_changed"] == 0]
    assert len(same) > 100
    assert (same["call_to_operation_min_new"] >= same["call_to_operation_min_current"] - 1e-9).all()
    block = r.summary["care"]["aaa_repair"]["ruptured"]
    assert block["call_to_operation_min_mean_new"] >= block["call_to_operation_min_mean_current"]
    assert 0 < block["share_transferred_current"] <= block["share_transferred_new"] <= 0.5
    assert "deaths_change_assumed" not in block


def _aaa_inputs():
    from patientflow.care.study import care_problems, referrals_today
    from patientflow.config.checks import check_config
    from patientflow.core.area import study_area
    from patientflow.core.network import build_network
    from patientflow.runner import run_travel_model

    cfg = check_config(patientflow.compose(["sim=care", "region=nl", "demand=municipality"]))
    data = load_dataset()
    net = build_network(data, cfg.network)
    area = study_area(data, cfg)
    problems = care_problems(data, net, area, run_travel_model(cfg, data), cfg)
    problems = {"aaa_repair": problems["aaa_repair"]}
    today = {n: referrals_today(p) for n, p in problems.items()}
    onc = data.municipalities.set_index("municipality_code")["oncology_code"]
    return cfg, problems, today, area.points["municipality_code"].map(onc).to_numpy()


@pytest.mark.slow
def test_an_acute_aneurysm_is_operated_after_its_preparation_even_when_the_list_is_full():
    from patientflow.care.pathway import CareModel
    from patientflow.care.ruptured import arrival_min, routes_of
    from patientflow.core.streams import Streams

    cfg, problems, today, region = _aaa_inputs()
    model = CareModel(problems, today, today, cfg.care, 150.0, Streams(7, 0), region)
    for centre in model.centres["aaa_repair"].values():
        centre.weekly_minutes[:] = [0.3 * m for m in centre.weekly_minutes]
    model.run()
    df = model.patients()
    elective = df[~df["acute"]]
    assert elective["surgery_min"].isna().mean() > 0.3  # the elective lists are full
    acute = df[df["acute"] & df["surgery_min"].notna()]
    assert len(acute) > 50
    problem = problems["aaa_repair"]
    routes = routes_of(problem, today["aaa_repair"].providers)
    direct, via = arrival_min(routes, cfg.care.ruptured)
    points = acute["point"].to_numpy()
    arrival = acute["surgery_min"].to_numpy() - acute["referral_min"].to_numpy()
    arrival -= cfg.care.ruptured.prep_min
    by_seh = np.isclose(arrival, via[points])
    assert (by_seh | np.isclose(arrival, direct[points])).all()
    assert (by_seh[acute["transferred"].to_numpy()]).all()
    assert acute["transferred"].any() and not acute["transferred"].all()
    ids = problem.candidates["id"].to_numpy()
    site = acute["site_id"].to_numpy()
    assert ((site == ids[routes.direct[points]]) | (site == ids[routes.via_seh[points]])).all()


def test_an_emergency_takes_its_minutes_ahead_of_the_waiting_elective_patient():
    import simpy

    from patientflow.care.pathway import CareModel
    from patientflow.care.patient import WEEK_MIN, CareCentre

    env = simpy.Environment()
    centre = CareCentre("s", simpy.Container(env, capacity=1000, init=50), [200.0], beds=None)
    got = []

    def elective():
        yield centre.theatre.get(100)
        got.append(env.now)

    env.process(elective())
    env.run(until=1)
    centre.take_emergency(80)  # the elective waits: everything from next week's minutes
    assert centre.owed_minutes == 80 and centre.theatre.level == 50
    from patientflow.care.wards import MeasuredWindow

    week = MeasuredWindow(0.0, WEEK_MIN)
    model = type("M", (), {"env": env, "measured": week, "theatre_window": week})()
    env.process(CareModel._sessions(model, centre))
    env.run(until=WEEK_MIN)
    assert got == [1] and centre.theatre.level == 50 + 200 - 80 - 100
    assert centre.owed_minutes == 0
    centre.take_emergency(100)  # nobody waits: the 70 free now, 30 from next week's
    assert centre.theatre.level == 0 and centre.owed_minutes == 30


def test_the_assumed_deaths_change_follows_the_minutes_when_configured():
    from types import SimpleNamespace

    from patientflow.care.ruptured import ruptured_rows
    from patientflow.care.study import CareProblem
    from patientflow.config.care import InterventionConfig
    from patientflow.core.area import StudyArea

    problem = CareProblem(
        name="aaa_repair",
        config=InterventionConfig(acute_share=0.25),
        weight=np.array([40.0, 80.0]),
        candidates=pd.DataFrame({"id": ["h0", "h1", "h2"]}),
        minutes=AMBULANCE,
        ambulance=AMBULANCE,
        current=CENTRES,
        observed=np.zeros(3),
        attraction=np.ones(3),
        beta=0.1,
        fit={},
        seh_ambulance=SEH_AMBULANCE,
        seh_to_candidate=SEH_TO_CANDIDATE,
        seh_candidate=SEH_CANDIDATE,
    )
    area = StudyArea(
        points=pd.DataFrame({"municipality_code": ["GM1", "GM2"]}),
        municipalities=pd.DataFrame({"municipality_code": ["GM1", "GM2"], "name": ["A", "B"]}),
    )
    cfg = RupturedAaaConfig(mortality_per_hour=0.01)
    ref, new = SimpleNamespace(providers=CENTRES), SimpleNamespace(providers=[0])
    table, national = ruptured_rows(problem, ref, new, cfg, area)
    # Point 0 keeps its routes; point 1 loses hospital 2: recognised 15 + 60 + 30, otherwise
    # through SEH 1 (no longer a centre) and on to hospital 0: 15 + 8 + 60 + 45 + 30.
    b = table.set_index("municipality_code").loc["GM2"]
    assert b["call_to_operation_min_current"] == pytest.approx(15 + 8 + 30)
    assert b["call_to_operation_min_new"] == pytest.approx(0.5 * 105 + 0.5 * 158)
    assert b["share_transferred_new"] == 0.5 and b["share_nearest_centre_changed"] == 1.0
    extra_hours = (0.5 * 105 + 0.5 * 158 - 53) / 60
    assert b["deaths_change_assumed"] == pytest.approx(20 * 0.01 * extra_hours)
    assert table.set_index("municipality_code").loc["GM1", "deaths_change_assumed"] == 0
    assert national["deaths_change_assumed"] == pytest.approx(20 * 0.01 * extra_hours, abs=0.01)
