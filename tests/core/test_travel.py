"""Travel-time model: properties (symmetry, growth with distance), pinned values, islands, and
the user's own OD matrix."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patientflow.config.schema import TravelConfig
from patientflow.core.travel import (
    Mode,
    Points,
    TravelModel,
    TravelParams,
    great_circle_km,
    islands_from_frame,
    travel_model,
)
from patientflow.core.water import water_network
from patientflow.errors import ConfigError
from tests.conftest import REPO

lat_st = st.floats(50.8, 53.5)
lon_st = st.floats(3.4, 7.2)
KM_PER_DEG = 6371.0088 * np.pi / 180


def pts(coords, urban=False, ids=None):
    lat = np.array([c[0] for c in coords], float)
    lon = np.array([c[1] for c in coords], float)
    ids = np.array(ids or [f"p{i}" for i in range(len(coords))])
    return Points(ids, lat, lon, np.broadcast_to(np.asarray(urban, bool), lat.shape).copy())


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.tuples(lat_st, lon_st, st.booleans()), min_size=2, max_size=8),
    st.sampled_from(list(Mode)),
)
def test_travel_time_is_symmetric(points, mode):
    p = pts([(a, b) for a, b, _ in points], [u for *_, u in points])
    m = TravelModel().minutes(p, p, mode)
    np.testing.assert_allclose(m, m.T, rtol=1e-12, atol=1e-9)
    np.testing.assert_allclose(np.diag(m), 0.0, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(
    lat_st,
    lon_st,
    st.floats(0, 360),
    st.floats(0.1, 100),
    st.floats(0.1, 100),
    st.sampled_from(list(Mode)),
)
def test_travel_time_grows_with_distance(lat, lon, bearing, d1, d2, mode):
    near, far = sorted((d1, d2))
    b = np.radians(bearing)
    ends = [
        (
            lat + d * np.cos(b) / KM_PER_DEG,
            lon + d * np.sin(b) / (KM_PER_DEG * np.cos(np.radians(lat))),
        )
        for d in (near, far)
    ]
    m = TravelModel().minutes(pts([(lat, lon)]), pts(ends), mode)[0]
    assert m[0] <= m[1] + 1e-9


def test_ambulance_with_lights_is_faster_than_a_car():
    a = pts([(52.0, 5.0)])
    b = pts([(52.3, 5.4), (51.9, 5.05), (52.9, 6.0)])
    tm = TravelModel()
    assert (tm.minutes(a, b, Mode.ambulance) < tm.minutes(a, b, Mode.car)).all()


def test_pinned_ten_km_rural_trip_by_hand():
    """10 km straight line, rural ends -> 14 km road: from each end 1 km of local road at
    30 km/h and 3 km of rural road at 60 km/h, 6 km of regional road at 60 km/h between."""
    a, b = pts([(52.0, 5.0)]), pts([(52.0 + 10 / KM_PER_DEG, 5.0)])
    expected = 60 * (2 / 30 + 6 / 60 + 6 / 60)
    assert TravelModel().minutes(a, b, Mode.car)[0, 0] == pytest.approx(expected, rel=1e-6)


def test_pinned_long_urban_trip_by_hand():
    """100 km straight, urban ends: 120 km road = from each end 1 km at 25 and 3 km at 45 km/h,
    then 2 x 6 km of regional road at 60 and 100 km of motorway at 100 km/h."""
    a, b = pts([(51.0, 5.5)], True), pts([(51.0 + 100 / KM_PER_DEG, 5.5)], True)
    expected = 60 * (2 / 25 + 6 / 45 + 12 / 60 + 100 / 100)
    assert TravelModel().minutes(a, b, Mode.car)[0, 0] == pytest.approx(expected, rel=1e-6)


def test_short_town_trips_are_slower_than_short_rural_trips_but_not_crawling():
    """A 3 km trip between two urban ends averages town speed (20-35 km/h on the road), a
    rural one faster; neither is driven entirely at the first-kilometre speed."""
    a = (52.0, 5.0)
    b = (52.0 + 3 / KM_PER_DEG, 5.0)
    tm = TravelModel()
    town = tm.minutes(pts([a], True), pts([b], True))[0, 0]
    rural = tm.minutes(pts([a]), pts([b]))[0, 0]
    p = TravelParams.from_config()
    assert 20 <= 60 * 3 * p.detour_factor / town <= 35
    assert rural < town
    assert town < 60 * 3 * p.detour_factor / p.car.local_urban_kmh


def test_the_travel_doc_quotes_the_model(dataset):
    """docs/travel-model.md's figures are this model's: the average road speeds of a 3 km trip
    (urban and rural ends) and the Stavenisse case of its checks table (the demand point of
    postcode 4696, Stavenisse, to Bravis Roosendaal), road km and ambulance minutes."""
    doc = " ".join((REPO / "docs/travel-model.md").read_text(encoding="utf-8").split())
    a, b = (52.0, 5.0), (52.0 + 3 / KM_PER_DEG, 5.0)
    tm, p = TravelModel(), TravelParams.from_config()
    town = 60 * 3 * p.detour_factor / tm.minutes(pts([a], True), pts([b], True))[0, 0]
    rural = 60 * 3 * p.rural_detour_factor / tm.minutes(pts([a]), pts([b]))[0, 0]
    assert f"averages about {town:.0f} km/h on the road, a rural one about {rural:.0f};" in doc

    water = water_network(dataset.water_zones, dataset.water_crossings)
    travel = travel_model(TravelConfig(), dataset.islands, None, water)
    point = dataset.demand_points.set_index("point_id").loc["PC4696"]
    site = dataset.sites.set_index("site_id").loc["H102001"]
    assert site["town"] == "Roosendaal"
    urban = (
        dataset.municipalities.set_index("municipality_code")["urbanity"]
        <= TravelConfig().urban_max_urbanity
    )
    ends = (urban[point["municipality_code"]], urban[site["municipality_code"]])
    detour = np.mean([p.detour_factor if u else p.rural_detour_factor for u in ends])
    way = travel.way_km(*(np.array([x]) for x in (point.lat, point.lon, site.lat, site.lon)))
    minutes = travel.minutes(
        pts([(point.lat, point.lon)], ends[0]), pts([(site.lat, site.lon)], ends[1]), Mode.ambulance
    )[0, 0]
    road = f"| 40 km (Omroep Zeeland, RIVM case) | {detour * way[0, 0]:.0f} km (demand point PC4696"
    assert road in doc
    assert f"| 44.7 min (RIVM ambulance model, Omroep Zeeland) | {minutes:.0f} min |" in doc


# Typical off-peak car times between city centres from public route planners (ANWB
# routeplanner, 2024): Amsterdam-Utrecht about 40 min, Groningen-Zwolle about 70 min,
# Eindhoven-Maastricht about 65 min, Amsterdam-Eindhoven about 90 min. The model must land
# within 25 % of each.
CITY = {
    "Amsterdam": (52.3731, 4.8922),
    "Utrecht": (52.0907, 5.1214),
    "Groningen": (53.2194, 6.5665),
    "Zwolle": (52.5168, 6.0830),
    "Eindhoven": (51.4416, 5.4697),
    "Maastricht": (50.8514, 5.6910),
}


@pytest.mark.parametrize(
    "a,b,minutes",
    [
        ("Amsterdam", "Utrecht", 40),
        ("Groningen", "Zwolle", 70),
        ("Eindhoven", "Maastricht", 65),
        ("Amsterdam", "Eindhoven", 90),
    ],
)
def test_pinned_city_pairs_match_route_planners(a, b, minutes):
    m = TravelModel().minutes(pts([CITY[a]], True), pts([CITY[b]], True), Mode.car)[0, 0]
    assert m == pytest.approx(minutes, rel=0.25)


def test_great_circle_amsterdam_utrecht_is_35_km():
    d = great_circle_km(*CITY["Amsterdam"], *CITY["Utrecht"])
    assert d == pytest.approx(35.3, abs=0.5)


def test_islands_cross_by_ferry_or_air(dataset):
    islands = islands_from_frame(dataset.islands)
    tm = TravelModel(islands=islands)
    texel = dataset.islands.set_index("name").loc["Texel"]
    den_burg = pts([((texel.lat_min + texel.lat_max) / 2, (texel.lon_min + texel.lon_max) / 2)])
    den_helder = pts([(texel.mainland_port_lat, texel.mainland_port_lon)])
    car = tm.minutes(den_burg, den_helder, Mode.car)[0, 0]
    straight = TravelModel().minutes(den_burg, den_helder, Mode.car)[0, 0]
    assert car > straight + texel.ferry_min  # the crossing is never a straight road
    air = tm.minutes(den_burg, den_helder, Mode.ambulance)[0, 0]
    p = TravelParams.from_config()
    gc = great_circle_km(den_burg.lat[0], den_burg.lon[0], den_helder.lat[0], den_helder.lon[0])
    assert air == pytest.approx(p.air_transfer_min + 60 * gc / p.air_speed_kmh)


def test_every_island_point_lies_in_its_island_box(dataset):
    islands = islands_from_frame(dataset.islands)
    dp = dataset.demand_points
    from patientflow.core.travel import island_index

    idx = island_index(dp["lat"].to_numpy(), dp["lon"].to_numpy(), islands)
    on_island = dp["municipality_code"].isin(dataset.islands["municipality_code"]).to_numpy()
    assert ((idx >= 0) == on_island).all()


def test_od_matrix_replaces_the_model():
    od = pd.DataFrame(
        {
            "origin_id": ["a", "a", "b", "b"],
            "destination_id": ["x", "y", "x", "y"],
            "mode": "car",
            "minutes": [1.0, 2.0, 3.0, 4.0],
        }
    )
    tm = TravelModel(od_matrix=od)
    m = tm.minutes(
        pts([(52, 5), (52.1, 5)], ids=["b", "a"]), pts([(52, 6), (52, 7)], ids=["y", "x"])
    )
    np.testing.assert_array_equal(m, [[4.0, 3.0], [2.0, 1.0]])
    with pytest.raises(ConfigError, match="lacks the car minutes from 'zz' to 'x'"):
        tm.minutes(pts([(52, 5)], ids=["zz"]), pts([(52, 6)], ids=["x"]))


def test_a_gap_in_the_od_matrix_names_the_file_and_the_pair():
    """The key's value is the user's file, not the mode, and the missing pair is one origin to
    one destination, however many ids the matrix lacks."""
    od = pd.DataFrame(
        {"origin_id": ["a", "b"], "destination_id": ["x", "y"], "mode": "car", "minutes": 1.0}
    )
    tm = TravelModel(od_matrix=od, od_file="/data/od.csv")
    with pytest.raises(ConfigError) as err:
        tm.minutes(
            pts([(52, 5), (52.1, 5)], ids=["a", "b"]), pts([(52, 6), (52, 7)], ids=["x", "y"])
        )
    assert err.value.value == "/data/od.csv"
    assert "the car minutes from 'a' to 'y' (2 of the 4 car pairs" in str(err.value)
    with pytest.raises(ConfigError, match="no rows for mode ambulance") as err:
        tm.minutes(pts([(52, 5)], ids=["a"]), pts([(52, 6)], ids=["x"]), Mode.ambulance)
    assert str(err.value).startswith("travel.od_matrix='/data/od.csv': ")


@pytest.mark.parametrize("mode", list(Mode))
def test_island_routes_are_symmetric_and_add_up(dataset, mode):
    isl = dataset.islands.set_index("name")
    centre = {
        n: ((r.lat_min + r.lat_max) / 2, (r.lon_min + r.lon_max) / 2) for n, r in isl.iterrows()
    }
    p = pts([centre["Texel"], centre["Terschelling"], CITY["Amsterdam"], CITY["Groningen"]])
    m = TravelModel(islands=islands_from_frame(dataset.islands)).minutes(p, p, mode)
    np.testing.assert_allclose(m, m.T, rtol=1e-12)
    wait = TravelParams.from_config().ferry_wait_min
    crossings = [isl.loc[n, "ferry_min"] + wait for n in ("Texel", "Terschelling")]
    if mode is Mode.car:  # island to island: two crossings via the mainland
        assert m[0, 1] > sum(crossings)
        assert (m[0, 2:] > crossings[0]).all() and (m[1, 2:] > crossings[1]).all()
    else:  # by air, straight
        assert (m[:2, 2:] > TravelParams.from_config().air_transfer_min).all()
