"""Ambulance fleets sized from the public figures (RIVM's ambulances needed in the weekday
daytime, 693 in 2024) or from the user's own table per daypart, and A2 rides driven without
lights and sirens."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

import patientflow
from patientflow.acute.fleet import (
    DAYPARTS,
    daypart_of_hours,
    post_hours,
    public_vehicles,
    table_vehicles,
)
from patientflow.errors import ConfigError, DataError
from tests.acute.worlds import QUICK, world_of


def _world(*overrides):
    world, run, _ = world_of(*overrides)
    return world, run


def test_the_week_has_six_dayparts_of_the_right_length():
    parts = pd.Series(daypart_of_hours()).value_counts().to_dict()
    assert parts == {
        "weekday_day": 50,
        "weekday_evening": 30,
        "weekday_night": 40,
        "weekend_day": 20,
        "weekend_evening": 12,
        "weekend_night": 16,
    }
    assert set(parts) == set(DAYPARTS)


def test_the_public_rule_spreads_the_national_figure_by_load():
    rng = np.random.default_rng(1)
    loads = {f"VR{i:02d}": rng.uniform(0.5, 2.0, 168) for i in range(1, 6)}
    national = sum(loads.values())
    out = public_vehicles(loads, national, 693.0)
    day = daypart_of_hours() == "weekday_day"
    assert sum(v[day] for v in out.values()).mean() == pytest.approx(693.0)
    for vr, v in out.items():
        assert v / v.sum() == pytest.approx(loads[vr] / loads[vr].sum())


@pytest.fixture(scope="module")
def national():
    return _world("region=nl")


@pytest.mark.slow
def test_a_national_fleet_is_the_public_figure_in_the_weekday_daytime(national):
    world, _ = national
    day = daypart_of_hours() == "weekday_day"
    staffed = world.amb_schedule.sum(axis=0)
    # 693 spread by load, rounded per region, plus posts whose region's share is below one
    # vehicle each; never fewer than one per open post.
    assert 693 <= staffed[day].mean() <= 693 * 1.10
    assert (world.amb_schedule[post_hours(world.amb_posts)] >= 1).all()
    night = daypart_of_hours() == "weekday_night"
    assert staffed[night].mean() < staffed[day].mean()


@pytest.mark.slow
def test_population_growth_meets_the_same_public_fleet():
    """The public figure is the country's fleet: a larger population (population_factor)
    spreads the same vehicles over more load, as a later demand.year does; it used to grow
    the fleet with the population."""
    day = daypart_of_hours() == "weekday_day"
    base, _ = _world("region=midden")
    grown, _ = _world("region=midden", "scenario.population_factor=1.25")
    mine = np.isin(base.amb_posts["vr_code"].to_numpy(), np.unique(base.point_vr))
    staffed = [w.amb_schedule[mine].sum(axis=0)[day].mean() for w in (base, grown)]
    assert staffed[0] > 20
    assert staffed[1] == pytest.approx(staffed[0], rel=0.02)


def test_a_users_fleet_table_sets_every_region_and_daypart(tmp_path):
    rows = [
        {"vr_code": vr, "daypart": part, "vehicles": n}
        for vr, base in (("VR09", 40),)
        for part, n in zip(
            DAYPARTS, (base, base - 4, base - 8, base - 2, base - 5, base - 9), strict=True
        )
    ]
    path = tmp_path / "fleet.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    world, _ = _world(
        "region=midden",
        "facilities.ambulance.fleet=table",
        f"facilities.ambulance.fleet_file={path}",
    )
    vr09 = (world.amb_posts["vr_code"] == "VR09").to_numpy()
    staffed = world.amb_schedule[vr09].sum(axis=0)
    parts = daypart_of_hours()
    # Above the one-vehicle-per-open-post floor (VR09 has about 20 posts), the table holds.
    for row in rows:
        assert (staffed[parts == row["daypart"]] == row["vehicles"]).all(), row


def test_a_capacity_factor_scales_a_users_fleet_table_over_the_week(tmp_path):
    # 43 vehicles at 0.85 are 36.55: rounded hour by hour that was 37 in every hour (86.0 %).
    rows = [{"vr_code": "VR09", "daypart": part, "vehicles": 43} for part in DAYPARTS]
    path = tmp_path / "fleet.csv"
    pd.DataFrame(rows).to_csv(path, index=False)
    staffed = {}
    for cap in (1.0, 0.85):
        world, _ = _world(
            "region=midden",
            "facilities.ambulance.fleet=table",
            f"facilities.ambulance.fleet_file={path}",
            f"scenario.capacity_factor={cap}",
        )
        vr09 = (world.amb_posts["vr_code"] == "VR09").to_numpy()
        staffed[cap] = world.amb_schedule[vr09].sum(axis=0)
    assert (staffed[1.0] == 43).all()
    assert set(staffed[0.85]) == {36, 37}
    assert staffed[0.85].sum() == pytest.approx(0.85 * staffed[1.0].sum(), abs=1)


def test_a_bad_fleet_table_names_its_rows(tmp_path):
    path = tmp_path / "fleet.csv"
    pd.DataFrame(
        {
            "vr_code": ["VR09", "VR09", "VR99"],
            "daypart": ["weekday_day", "weekday_day", "tea_time"],
            "vehicles": [10, 11, -1],
        }
    ).to_csv(path, index=False)
    with pytest.raises(DataError) as err:
        _world(
            "region=midden",
            "facilities.ambulance.fleet=table",
            f"facilities.ambulance.fleet_file={path}",
        )
    text = "\n".join(err.value.lines())
    assert "row 4" in text and "tea_time" in text and "VR99" in text


def test_a_fleet_row_after_a_blank_line_is_named_by_its_line_in_the_file(tmp_path, dataset):
    path = tmp_path / "fleet.csv"
    path.write_text(
        "vr_code,daypart,vehicles\nVR09,weekday_day,10\n\nVR09,weekday_day,11\n",
        encoding="utf-8",
    )
    with pytest.raises(DataError) as err:
        table_vehicles(path, dataset.municipalities)
    assert f"{path}, row 4, column 'daypart': VR09 weekday_day is listed twice" in err.value.lines()


@pytest.mark.slow
def test_a_study_region_missing_from_the_fleet_table_is_named(tmp_path):
    path = tmp_path / "fleet.csv"
    pd.DataFrame({"vr_code": ["VR01"] * 6, "daypart": list(DAYPARTS), "vehicles": [5] * 6}).to_csv(
        path, index=False
    )
    with pytest.raises(ConfigError, match="VR09"):
        _world(
            "region=midden",
            "facilities.ambulance.fleet=table",
            f"facilities.ambulance.fleet_file={path}",
        )


@pytest.mark.slow
def test_a2_rides_drive_without_lights_and_take_longer(tmp_path):
    r = patientflow.run(
        patientflow.compose([*QUICK, "region=euregio", "sim.days=4", "sim.warmup_days=0.5"]),
        tmp_path / "a2",
    )
    j = pd.read_parquet(r.paths["journeys"], columns=["urgency", "amb_response_min"])
    mean = j.groupby("urgency")["amb_response_min"].mean()
    assert mean["A2"] > mean["A1"] + 1.0
