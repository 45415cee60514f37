"""The ambulance posts are RIVM's 2019 list, one row per post, and a part-time post has vehicles
only in its hours."""

from __future__ import annotations

import json

import numpy as np
import pandas as pd
import pytest

import patientflow
from patientflow.acute.fleet import post_hours
from patientflow.acute.world import build_world
from patientflow.core.area import study_area
from patientflow.core.network import build_network
from patientflow.data.schema import AMBULANCE_AVAILABILITY, NL_LAT, NL_LON
from patientflow.runner import as_run_config, load_run_data, run_travel_model
from tests.conftest import build_script as load_build_script
from tests.conftest import shared_sources

SOURCES = shared_sources()
RIVM = SOURCES / "erikvullings-ziekenhuizen" / "ambulancestandplaatsen_2019.geojson"
NIGHT = [h for h in range(168) if h % 24 >= 23 or h % 24 < 7]
DAY = [h for h in range(168) if 7 <= h % 24 < 23]


@pytest.fixture(scope="module")
def build_script():
    return load_build_script()


def test_one_row_per_rivm_post_with_a_stable_id(dataset):
    posts = dataset.ambulance_posts
    assert len(posts) == 280
    assert list(posts["post_id"]) == [f"AMB{i:03d}" for i in range(1, 281)]
    assert (posts["placement"] == "rivm2019").all()
    assert posts["name"].is_unique
    assert not posts.duplicated(["lat", "lon"]).any()


@pytest.mark.skipif(not RIVM.is_file(), reason=f"raw sources not found at {SOURCES}")
def test_every_rivm_post_is_in_the_table_at_its_coordinates(dataset):
    features = json.loads(RIVM.read_text(encoding="utf-8"))["features"]
    rivm = {
        (round(f["geometry"]["coordinates"][1], 6), round(f["geometry"]["coordinates"][0], 6))
        for f in features
    }
    posts = dataset.ambulance_posts
    assert set(zip(posts["lat"].round(6), posts["lon"].round(6), strict=True)) == rivm


def test_every_post_lies_in_the_netherlands_and_the_region_of_its_municipality(dataset):
    posts = dataset.ambulance_posts
    assert posts["lat"].between(*NL_LAT).all() and posts["lon"].between(*NL_LON).all()
    vr_of = dataset.municipalities.set_index("municipality_code")["vr_code"]
    assert (posts["municipality_code"].map(vr_of) == posts["vr_code"]).all()
    assert posts["vr_code"].nunique() == 25


@pytest.mark.skipif(not SOURCES.is_dir(), reason=f"raw sources not found at {SOURCES}")
def test_every_post_lies_inside_its_municipality_polygon(dataset, build_script):
    _, shapes = build_script.load_municipal_geojson(build_script.require(SOURCES, "gemeenten"))
    posts = dataset.ambulance_posts
    xy = posts[["lon", "lat"]].to_numpy()
    inside = [
        build_script.contains_any(shapes[code], xy[i : i + 1])[0]
        for i, code in enumerate(posts["municipality_code"])
    ]
    assert all(inside)


def test_availability_and_hours_follow_the_documented_mapping(dataset):
    posts = dataset.ambulance_posts
    assert set(posts["availability"]) <= set(AMBULANCE_AVAILABILITY)
    counts = posts["availability"].value_counts().to_dict()
    assert counts == {
        "24/7": 223,
        "24/7_standby": 26,
        "day_evening": 29,
        "night": 1,
        "on_call": 1,
    }
    hours = posts.groupby("availability")[["open", "close"]].agg(lambda s: set(s))
    assert hours.loc["24/7", "open"] == {""} and hours.loc["on_call", "close"] == {""}
    assert hours.loc["day_evening", "open"] == {"07:00"}
    assert hours.loc["day_evening", "close"] == {"23:00"}
    assert hours.loc["night", "open"] == {"23:00"}


def test_post_hours_of_each_kind_of_post():
    posts = pd.DataFrame(
        {
            "availability": ["24/7", "24/7_standby", "day_evening", "night", "on_call"],
            "open": ["", "", "07:00", "23:00", ""],
            "close": ["", "", "23:00", "07:00", ""],
        }
    )
    hours = post_hours(posts)
    assert hours[:2].all()
    assert hours[2, DAY].all() and not hours[2, NIGHT].any()
    assert hours[3, NIGHT].all() and not hours[3, DAY].any()
    assert not hours[4].any()


@pytest.fixture(scope="module")
def midden_world():
    cfg = patientflow.compose(
        ["region=midden", "demand=municipality", "report.figures=false", "sim.progress=false"]
    )
    run, _ = as_run_config(cfg)
    data = load_run_data(run)
    network = build_network(data, run.network)
    return build_world(data, study_area(data, run), network, run_travel_model(run, data), run)


@pytest.mark.slow
def test_a_day_evening_post_has_no_vehicle_at_night(midden_world):
    posts, schedule = midden_world.amb_posts, midden_world.amb_schedule
    in_area = posts["vr_code"].isin(set(midden_world.point_vr)).to_numpy()
    day_evening = in_area & (posts["availability"] == "day_evening").to_numpy()
    always = in_area & (posts["availability"] == "24/7").to_numpy()
    assert day_evening.sum() >= 1 and always.sum() >= 1
    assert (schedule[np.ix_(day_evening, NIGHT)] == 0).all()
    assert (schedule[np.ix_(day_evening, DAY)] >= 1).all()
    assert (schedule[always] >= 1).all()


def test_a_part_time_post_without_hours_is_refused_naming_its_row(tmp_path):
    import pandas as pd

    from patientflow.data import default_data_dir, load_dataset
    from patientflow.errors import DataError

    posts = pd.read_csv(
        default_data_dir() / "ambulance_posts.csv", dtype=str, keep_default_na=False
    )
    i = int(posts.index[posts["availability"] == "day_evening"][0])
    posts.loc[i, ["open", "close"]] = ""
    bad = tmp_path / "posts.csv"
    posts.to_csv(bad, index=False)
    with pytest.raises(DataError) as err:
        load_dataset(overrides={"ambulance_posts": str(bad)})
    text = str(err.value)
    assert f"{bad}" in text and f"row {i + 2}" in text and "needs its hours" in text
