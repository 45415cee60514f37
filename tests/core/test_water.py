"""Water barriers: a trip across the Westerschelde, the Oosterschelde, the Haringvliet, the
IJsselmeer dams, the Nieuwe Waterweg, the Noordzeekanaal and the great rivers passes a crossing,
and no trip comes out shorter than the straight line."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from patientflow.config.schema import TravelConfig
from patientflow.core.geodesy import great_circle_km
from patientflow.core.travel import Mode, Points, travel_model
from patientflow.core.water import (
    NL_GRID,
    Grid,
    WaterNetwork,
    runs_to_zones,
    water_network,
    zones_to_runs,
)

# (from postcode, to postcode, the crossing the way must pass) across each barrier
ACROSS = [
    (4501, 4381, "Westerscheldetunnel"),  # Oostburg - Vlissingen
    (4301, 4331, "Zeelandbrug"),  # Zierikzee - Middelburg: Oosterschelde
    (3261, 4793, "Haringvlietbrug"),  # Oud-Beijerland - Fijnaart: Haringvliet
    (3241, 3311, "Moerdijkbrug"),  # Middelharnis - Dordrecht: Hollands Diep
    (1779, 8861, "Afsluitdijk"),  # Den Oever - Harlingen
    (1601, 8232, "Houtribdijk"),  # Enkhuizen - Lelystad
    (3141, 3181, "Maasdeltatunnel"),  # Maassluis - Rozenburg: Nieuwe Waterweg
    (1012, 1031, "IJtunnel"),  # Amsterdam centre - Noord: IJ
    (1971, 1941, "IJmuiden"),  # IJmuiden - Beverwijk: Noordzeekanaal
    (6511, 6661, "Waalbrug"),  # Nijmegen - Elst: Waal
    (4131, 3431, "Jan Blankenbrug"),  # Vianen - Nieuwegein: Lek
    (6811, 6832, "Frostbrug"),  # Arnhem - Arnhem-Zuid: Nederrijn
    (5911, 5921, "Venlo"),  # Venlo - Blerick: Maas
    (7411, 7391, "Deventer"),  # Deventer - Twello: IJssel
]


@pytest.fixture(scope="module")
def water(dataset):
    return water_network(dataset.water_zones, dataset.water_crossings)


@pytest.fixture(scope="module")
def points(dataset):
    dp = dataset.demand_points.merge(
        dataset.municipalities[["municipality_code", "urbanity"]], on="municipality_code"
    )
    return dp.set_index(dp.pc4.astype(int))


def _point(points, pc4) -> Points:
    row = points.loc[[pc4]]
    return Points.from_frame(row.assign(id=str(pc4)), "id", (row.urbanity <= 2).to_numpy())


@pytest.mark.parametrize("a,b,crossing", ACROSS)
def test_the_way_across_each_barrier_passes_its_crossing(water, points, a, b, crossing):
    pa, pb = points.loc[a], points.loc[b]
    names = water.crossings_on_way(pa.lat, pa.lon, pb.lat, pb.lon)
    assert any(crossing in n for n in names), names
    way = water.route_km(np.array([pa.lat]), np.array([pa.lon]), np.array([pb.lat]), [pb.lon])
    assert way[0, 0] > great_circle_km(pa.lat, pa.lon, pb.lat, pb.lon)


def test_oostburg_to_vlissingen_is_at_least_40_car_minutes(dataset, points):
    travel = travel_model(TravelConfig(), dataset.islands, None, _water(dataset))
    minutes = travel.minutes(_point(points, 4501), _point(points, 4381), Mode.car)[0, 0]
    assert minutes >= 40


def test_without_terneuzen_oostburgs_nearest_seh_lies_across_the_westerschelde(dataset, points):
    sites = dataset.sites.merge(
        dataset.municipalities[["municipality_code", "urbanity"]], on="municipality_code"
    )
    open_247 = sites[(sites.status_2025 == "open") & (sites.seh_hours == "24/7")]
    terneuzen = open_247.town.str.contains("Terneuzen")
    assert terneuzen.sum() == 1
    others = open_247[~terneuzen]
    travel = travel_model(TravelConfig(), dataset.islands, None, _water(dataset))
    dest = Points.from_frame(others, "site_id", (others.urbanity <= 2).to_numpy())
    minutes = travel.minutes(_point(points, 4501), dest, Mode.car)[0]
    nearest = others.iloc[int(np.argmin(minutes))]
    assert minutes.min() >= 45
    oostburg = points.loc[4501]
    way = _water(dataset).crossings_on_way(oostburg.lat, oostburg.lon, nearest.lat, nearest.lon)
    assert way == ["Westerscheldetunnel"]


def _water(dataset):
    return water_network(dataset.water_zones, dataset.water_crossings)


lat_st = st.floats(50.76, 53.45)
lon_st = st.floats(3.4, 7.15)


@settings(max_examples=40, deadline=None)
@given(st.lists(st.tuples(lat_st, lon_st), min_size=2, max_size=12), st.sampled_from(list(Mode)))
def test_no_trip_is_shorter_than_the_straight_line_allows(water, dataset, coords, mode):
    lat = np.array([c[0] for c in coords])
    lon = np.array([c[1] for c in coords])
    way = water.route_km(lat, lon, lat, lon)
    assert (
        way >= great_circle_km(lat[:, None], lon[:, None], lat[None, :], lon[None, :]) - 1e-9
    ).all()
    p = Points(np.array([f"p{i}" for i in range(len(lat))]), lat, lon, np.zeros(len(lat), bool))
    with_water = travel_model(TravelConfig(), dataset.islands, None, water).minutes(p, p, mode)
    without = travel_model(TravelConfig(), dataset.islands).minutes(p, p, mode)
    assert (with_water >= without - 1e-9).all()


@settings(max_examples=30, deadline=None)
@given(
    st.lists(st.tuples(lat_st, lon_st), min_size=1, max_size=10),
    st.lists(st.tuples(lat_st, lon_st), min_size=1, max_size=10),
)
def test_the_way_is_the_shortest_over_every_pair_of_crossing_ends(water, origins, dests):
    """route_km against the definition written out: for points in different zones, the
    least of (to a crossing end of the origin's zone) + (between the ends) + (from an end of
    the destination's zone), over every pair of ends; within a zone the straight line."""
    olat, olon = (np.array(c) for c in zip(*origins, strict=True))
    dlat, dlon = (np.array(c) for c in zip(*dests, strict=True))
    way = water.route_km(olat, olon, dlat, dlon)
    zo, zd = water.zone_of(olat, olon), water.zone_of(dlat, dlon)
    for i, j in np.ndindex(way.shape):
        straight = float(great_circle_km(olat[i], olon[i], dlat[j], dlon[j]))
        if zo[i] == 0 or zd[j] == 0 or zo[i] == zd[j]:
            assert way[i, j] == pytest.approx(straight, rel=1e-12)
            continue
        best = min(
            (
                float(great_circle_km(olat[i], olon[i], water._lat[a], water._lon[a]))
                + water._between[a, b]
                + float(great_circle_km(water._lat[b], water._lon[b], dlat[j], dlon[j]))
                for a in water.ends_of(int(zo[i]))
                for b in water.ends_of(int(zd[j]))
            ),
            default=np.inf,
        )
        assert way[i, j] == pytest.approx(best if np.isfinite(best) else straight, rel=1e-12)


def test_every_demand_point_and_site_reaches_every_other_by_road(water, dataset):
    """No zone of the mainland is cut off (the islands table handles the Wadden). One small
    place lies on no zone and travels in straight lines: the Afsluitdijk's Breezanddijk
    (docs/travel-model.md); Marken, on its causeway, takes the mainland's zone."""
    dp = dataset.demand_points
    on_island = dp.municipality_code.isin(dataset.islands.municipality_code)
    mainland = dp[~on_island]
    sites = dataset.sites
    before = water.unreachable_pairs
    water.route_km(
        mainland.lat.to_numpy(), mainland.lon.to_numpy(), sites.lat.to_numpy(), sites.lon.to_numpy()
    )
    assert water.unreachable_pairs == before
    off = mainland[water.zone_of(mainland.lat.to_numpy(), mainland.lon.to_numpy()) == 0]
    assert sorted(off.pc4.astype(int)) == [8766]
    assert water.zone_of(sites.lat.to_numpy(), sites.lon.to_numpy()).all()


def test_a_point_on_a_river_cell_takes_the_bank_it_lies_by():
    """A river one cell wide between zones 1 (west) and 2 (east): a point in the river cell
    takes the zone of the bank nearest to the point itself, not whichever bank the cell's
    centre happens to be resolved to."""
    grid = Grid(lat0=52.0, lon0=5.0, rows=10, cols=11)
    zones = np.zeros((grid.rows, grid.cols), dtype=np.int32)
    zones[:, :5], zones[:, 6:] = 1, 2
    bridge = pd.DataFrame(
        {
            "crossing_id": ["X1"],
            "name": ["bridge"],
            "lat": [52.0275],
            "lon": [5.044],
            "zones": ["1 2"],
        }
    )
    water = WaterNetwork(zones_to_runs(zones), bridge, grid)
    lat = np.array([52.0275, 52.0275])
    lon = np.array([5.0 + 5.1 * grid.dlon, 5.0 + 5.9 * grid.dlon])
    assert water.zone_of(lat, lon).tolist() == [1, 2]


def test_viecuri_venlo_lies_on_the_east_bank_of_the_maas(water, dataset, points):
    """VieCuri Venlo (Tegelseweg, 5912) lies on Venlo's bank of the Maas, not Blerick's: its own
    postcode reaches it without a bridge."""
    site = dataset.sites.set_index("site_id").loc["H107701"]
    zone = water.zone_of(np.array([site.lat]), np.array([site.lon]))[0]
    venlo, blerick = points.loc[5912], points.loc[5921]
    assert zone == water.zone_of(np.array([venlo.lat]), np.array([venlo.lon]))[0]
    assert zone != water.zone_of(np.array([blerick.lat]), np.array([blerick.lon]))[0]
    assert water.crossings_on_way(venlo.lat, venlo.lon, site.lat, site.lon) == []


def test_zone_runs_round_trip():
    rng = np.random.default_rng(1)
    zones = rng.integers(0, 4, size=(NL_GRID.rows, NL_GRID.cols)).astype(np.int32)
    assert (runs_to_zones(zones_to_runs(zones), NL_GRID) == zones).all()


def test_a_dataset_without_water_tables_travels_in_straight_lines(caplog):
    empty = pd.DataFrame(columns=["row", "col_from", "col_to", "zone"])
    assert water_network(empty, pd.DataFrame()) is None
    assert "straight lines" in caplog.text


def test_zones_no_crossing_joins_are_named_not_walked():
    """Two zones without a crossing between them: the way falls back to the straight line and
    is counted, and asking for its crossings names the zones instead of following a missing
    predecessor (index -9999)."""
    grid = NL_GRID
    zones = np.zeros((grid.rows, grid.cols), dtype=np.int32)
    zones[:, :200] = 1
    zones[:, 300:] = 2
    crossings = pd.DataFrame(
        {
            "crossing_id": ["X1"],
            "name": ["only in zone 1"],
            "lat": [52.0],
            "lon": [3.5],
            "zones": ["1"],
        }
    )
    water = WaterNetwork(zones_to_runs(zones), crossings, grid)
    lat1, lon1 = 52.0, grid.lon0 + 100 * grid.dlon
    lat2, lon2 = 52.0, grid.lon0 + 400 * grid.dlon
    way = water.route_km(np.array([lat1]), np.array([lon1]), np.array([lat2]), np.array([lon2]))
    assert way[0, 0] == pytest.approx(great_circle_km(lat1, lon1, lat2, lon2))
    assert water.unreachable_pairs == 1
    with pytest.raises(ValueError, match="no chain of crossings joins zone 1 to zone 2"):
        water.crossings_on_way(lat1, lon1, lat2, lon2)
