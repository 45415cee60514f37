"""Derive the water zones and crossings of the travel model from ../shared/data-sources/water-nl.

The sea, the Wadden and the IJsselmeer are Natural Earth polygons; the Rhine branches are
Rijkswaterstaat's river-kilometre axes; the other tier-1 waters are OpenStreetMap centrelines
(gaps in a line up to GAP_KM closed straight, and a loose end joined to any other barrier
within JOIN_KM, where one source's river runs on in another's). Lines count where they lie in or
near the Netherlands (NL_MARGIN_KM). Land is the Netherlands less the water (abroad counts as
water: no crossing of the German Rhine or the Belgian Schelde is in the table); its connected
pieces are the zones. Crossings join the zones within reach of each end (docs/travel-model.md,
data/README.md).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from matplotlib.path import Path as MplPath
from scipy import ndimage

from patientflow.core.geodesy import great_circle_km
from patientflow.core.water import NL_GRID, Grid, zones_to_runs

WATER_SOURCES = {
    "naturalearth": "water-nl/water_barriers_nl_naturalearth.geojson",
    "osm": "water-nl/water_barriers_nl_osm_centrelines.geojson",
    "rws": "water-nl/rijntakken_rivierkm_axis_nl.geojson",
    "crossings": "water-nl/crossings_nl.csv",
}
ADDED_CROSSINGS = Path(__file__).with_name("water_crossings_added.csv")
RWS_AXES = {"Bovenrijn", "Waal", "Pannerdensch Kanaal", "Nederrijn", "Lek", "IJssel"}
OSM_COVERED_BY_RWS = {"Boven-Rijn", "Waal", "Pannerdensch Kanaal", "Nederrijn", "Lek", "IJssel"}
NE_POLYGONS = {"sea_polygon", "lake_polygon"}
GAP_KM = 7.5
JOIN_KM = 2.5
NL_MARGIN_KM = 2.0
MIN_ZONE_KM2 = 8.0
LINK_KM = 1.0
REACH_KM = 12.0
STEP_KM = 0.1


def _features(path: Path) -> list[dict]:
    return json.loads(path.read_text(encoding="utf-8"))["features"]


def _lines(geom: dict) -> list[np.ndarray]:
    if geom["type"] == "LineString":
        return [np.asarray(geom["coordinates"], float)]
    if geom["type"] == "MultiLineString":
        return [np.asarray(p, float) for p in geom["coordinates"]]
    return []


def _rings(geom: dict) -> list[np.ndarray]:
    polys = [geom["coordinates"]] if geom["type"] == "Polygon" else geom["coordinates"]
    return [np.asarray(ring, float) for poly in polys for ring in poly]


def _even_odd(rings: list[np.ndarray], lon: np.ndarray, lat: np.ndarray) -> np.ndarray:
    """Cells inside an odd number of rings (holes and clipping seams come out right)."""
    xy = np.column_stack([lon.ravel(), lat.ravel()])
    count = np.zeros(len(xy), dtype=int)
    for ring in rings:
        lo, hi = ring.min(axis=0), ring.max(axis=0)
        box = np.flatnonzero(np.all((xy >= lo) & (xy <= hi), axis=1))
        count[box] += MplPath(ring).contains_points(xy[box])
    return (count % 2 == 1).reshape(lon.shape)


def _close_gaps(parts: list[np.ndarray], gap_km: float = GAP_KM) -> list[np.ndarray]:
    """Straight joins from each loose end of a line to the nearest vertex of another of its
    parts within gap_km: missing chunks must not leave a way through the water."""
    joins = []
    for i, part in enumerate(parts):
        others = [p for k, p in enumerate(parts) if k != i]
        if not others:
            break
        pool = np.vstack(others)
        for end in (part[0], part[-1]):
            d = great_circle_km(end[1], end[0], pool[:, 1], pool[:, 0])
            k = int(np.argmin(d))
            if STEP_KM < d[k] <= gap_km:
                joins.append(np.vstack([end, pool[k]]))
    return parts + joins


def _samples(line: np.ndarray) -> np.ndarray:
    """Points along a polyline every STEP_KM or closer (lon, lat)."""
    out = [line[:1]]
    for a, b in zip(line[:-1], line[1:], strict=True):
        n = max(1, int(np.ceil(great_circle_km(a[1], a[0], b[1], b[0]) / STEP_KM)))
        t = np.linspace(0, 1, n + 1)[1:, None]
        out.append(a + t * (b - a))
    return np.vstack(out)


def _burn(water: np.ndarray, lines: list[np.ndarray], keep: np.ndarray, grid: Grid) -> None:
    """Mark the cells the lines pass within `keep` as water."""
    for line in lines:
        pts = _samples(line)
        r, c, inside = grid.cell_of(pts[:, 1], pts[:, 0])
        ok = inside & keep[r, c]
        water[r[ok], c[ok]] = True


def barrier_lines(sources: Path) -> tuple[list[np.ndarray], list[str]]:
    """Barrier polylines (to be clipped to the Netherlands) and the waters they trace."""
    clipped, names, axes = [], [], []
    for f in _features(sources / WATER_SOURCES["rws"]):
        p = f["properties"]
        if p.get("kind") == "river_axis_rivierkm" and p["name"] in RWS_AXES:
            axes += _lines(f["geometry"])
            names.append(f"{p['name']} (RWS)")
    clipped += _close_gaps(axes)
    for f in _features(sources / WATER_SOURCES["osm"]):
        p = f["properties"]
        if p["tier"] == 1 and p["name"] not in OSM_COVERED_BY_RWS:
            clipped += _close_gaps(_lines(f["geometry"]))
            names.append(f"{p['name']} (OSM)")
    return _close_gaps(clipped, JOIN_KM), names


def water_mask(
    sources: Path, in_nl: np.ndarray, near_nl: np.ndarray, grid: Grid = NL_GRID
) -> np.ndarray:
    """Cells that roads cannot cross: sea, lakes, the barrier lines, and everything abroad."""
    lat, lon = grid.centres()
    water = ~in_nl
    for f in _features(sources / WATER_SOURCES["naturalearth"]):
        if f["properties"]["kind"] in NE_POLYGONS:
            water |= _even_odd(_rings(f["geometry"]), lon, lat)
    lines, _ = barrier_lines(sources)
    _burn(water, lines, near_nl, grid)
    return water


def netherlands(contains: Callable[[np.ndarray], np.ndarray], grid: Grid = NL_GRID):
    """Cells in the Netherlands, and cells within NL_MARGIN_KM of it, given a lon/lat
    point-in-country test."""
    lat, lon = grid.centres()
    inside = contains(np.column_stack([lon.ravel(), lat.ravel()])).reshape(lat.shape)
    height, width = grid.cell_km
    dist = ndimage.distance_transform_edt(~inside, sampling=(height, width))
    return inside, dist <= NL_MARGIN_KM


def land_zones(water: np.ndarray, grid: Grid = NL_GRID) -> np.ndarray:
    """Connected land (4-neighbours, so a diagonal line of water cells holds) numbered from 1 by
    size; pieces under MIN_ZONE_KM2 are 0 and their points take the nearest zone."""
    labels, n = ndimage.label(~water)
    height, width = grid.cell_km
    sizes = np.bincount(labels.ravel(), minlength=n + 1) * height * width
    sizes[0] = 0
    order = [k for k in np.argsort(-sizes) if sizes[k] >= MIN_ZONE_KM2]
    renumber = np.zeros(n + 1, dtype=np.int32)
    renumber[order] = np.arange(1, len(order) + 1)
    return renumber[labels]


def crossing_table(sources: Path) -> pd.DataFrame:
    """Tier-1 crossings of the shared table (the Texel ferry is the islands table's) and the
    crossings added by hand with their sources (scripts/water_crossings_added.csv: a long dam by
    its two ends, replacing the shared table's single point), one row per end."""
    raw = pd.read_csv(sources / WATER_SOURCES["crossings"])
    added = pd.read_csv(ADDED_CROSSINGS, keep_default_na=False)
    raw = raw[(raw.tier == 1) & (raw.kind != "ferry") & ~raw.name.isin(added.replaces)]
    ours = raw.assign(end="")[["name", "kind", "barrier", "end", "lat", "lon", "source"]]
    both = pd.concat([ours, added[ours.columns]], ignore_index=True)
    ids = {name: f"X{i + 1:03d}" for i, name in enumerate(dict.fromkeys(both.name))}
    both.insert(0, "crossing_id", both.name.map(ids))
    return both


def link_crossings(crossings: pd.DataFrame, zones: np.ndarray, grid: Grid = NL_GRID):
    """Zones each crossing end reaches: those within LINK_KM beyond the nearest one, and for a
    crossing given by one point (a bridge, or a dam by its middle) at least the nearest other
    zone within REACH_KM. Crossings that still join no two zones are dropped and named."""
    lat, lon = grid.centres()
    linked = []
    for row in crossings.itertuples(index=False):
        r, c, _ = grid.cell_of(row.lat, row.lon)
        span_r = int(REACH_KM / grid.cell_km[0]) + 2
        span_c = int(REACH_KM / grid.cell_km[1]) + 2
        rs = slice(max(0, r - span_r), r + span_r + 1)
        cs = slice(max(0, c - span_c), c + span_c + 1)
        window = zones[rs, cs]
        d = great_circle_km(row.lat, row.lon, lat[rs, cs], lon[rs, cs])
        near = {int(z): float(d[window == z].min()) for z in np.unique(window[window > 0])}
        ranked = sorted((km, z) for z, km in near.items() if km <= REACH_KM)
        keep = [z for km, z in ranked if km <= ranked[0][0] + LINK_KM] if ranked else []
        if row.end == "" and len(keep) < 2 and len(ranked) >= 2:
            keep = [z for _, z in ranked[:2]]
        linked.append(" ".join(str(z) for z in sorted(keep)))
    out = crossings.assign(zones=linked)
    ends = out.zones.str.split().str.len()
    joined = out.groupby("crossing_id").zones.transform(lambda z: len(set(" ".join(z).split())))
    dropped = sorted(set(out.name[(joined < 2) | (ends == 0)]))
    return out[(joined >= 2) & (ends > 0)].reset_index(drop=True), dropped


def build_water(sources: Path, contains: Callable[[np.ndarray], np.ndarray]):
    """The zone runs and the linked crossings of the default dataset."""
    water = water_mask(sources, *netherlands(contains))
    zones = land_zones(water)
    crossings, dropped = link_crossings(crossing_table(sources), zones)
    return zones_to_runs(zones), crossings, dropped
