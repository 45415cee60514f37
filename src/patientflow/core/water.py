"""Water that roads cannot cross except at a bridge, tunnel, dam or ferry (docs/travel-model.md).

The land is cut by the water barriers into zones (a raster shipped as `water_zones.csv`, one run
per row and zone); the crossings (`water_crossings.csv`) join the zones on their two sides. A trip
between points in different zones goes by the shortest chain of crossings; within a zone it is the
straight line. Distances here are great-circle km: the road model applies its detour factor.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

import numpy as np
import pandas as pd
from scipy.sparse import csr_matrix
from scipy.sparse.csgraph import shortest_path

from patientflow.core.geodesy import great_circle_km

SNAP_KM = 3.0
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Grid:
    """A regular lat/lon raster: cell (row, col) covers lat0 + row*dlat .. and lon0 + col*dlon .."""

    lat0: float = 50.70
    lon0: float = 3.20
    dlat: float = 0.005
    dlon: float = 0.008
    rows: int = 600
    cols: int = 513

    @property
    def cell_km(self) -> tuple[float, float]:
        """Height and width of a cell in km at the grid's middle latitude."""
        mid = np.radians(self.lat0 + self.rows * self.dlat / 2)
        return self.dlat * 110.57, self.dlon * 111.32 * float(np.cos(mid))

    def cell_of(
        self, lat: np.ndarray, lon: np.ndarray
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Row and column of each point, and whether it lies on the grid."""
        r = np.floor((np.asarray(lat, float) - self.lat0) / self.dlat).astype(int)
        c = np.floor((np.asarray(lon, float) - self.lon0) / self.dlon).astype(int)
        inside = (r >= 0) & (r < self.rows) & (c >= 0) & (c < self.cols)
        return np.clip(r, 0, self.rows - 1), np.clip(c, 0, self.cols - 1), inside

    def centres(self) -> tuple[np.ndarray, np.ndarray]:
        """Latitude and longitude of every cell centre, as (rows, cols) arrays."""
        lat = self.lat0 + (np.arange(self.rows) + 0.5) * self.dlat
        lon = self.lon0 + (np.arange(self.cols) + 0.5) * self.dlon
        return np.meshgrid(lat, lon, indexing="ij")


NL_GRID = Grid()


def zones_to_runs(zones: np.ndarray) -> pd.DataFrame:
    """Run-length encoding of a zone raster: one row per run of one zone within a grid row."""
    out = []
    for r, line in enumerate(zones):
        edges = np.flatnonzero(np.diff(line)) + 1
        starts = np.concatenate([[0], edges])
        ends = np.concatenate([edges, [len(line)]]) - 1
        for s, e in zip(starts, ends, strict=True):
            if line[s] > 0:
                out.append((r, int(s), int(e), int(line[s])))
    return pd.DataFrame(out, columns=["row", "col_from", "col_to", "zone"])


def runs_to_zones(runs: pd.DataFrame, grid: Grid) -> np.ndarray:
    """The zone raster of a run-length table (0 where no zone: water, or too small a piece)."""
    zones = np.zeros((grid.rows, grid.cols), dtype=np.int32)
    for r, a, b, z in runs[["row", "col_from", "col_to", "zone"]].itertuples(index=False):
        zones[r, a : b + 1] = z
    return zones


class WaterNetwork:
    """The zones and crossings of a dataset: the zone of any point, and the shortest way between
    points of different zones through the crossings."""

    def __init__(self, runs: pd.DataFrame, crossings: pd.DataFrame, grid: Grid = NL_GRID) -> None:
        self.grid = grid
        self.zones = runs_to_zones(runs, grid)
        self.crossings = crossings.reset_index(drop=True)
        self._lat = self.crossings["lat"].to_numpy(float)
        self._lon = self.crossings["lon"].to_numpy(float)
        self._members = [
            {int(z) for z in str(zs).split()} for zs in self.crossings["zones"].astype(str)
        ]
        self._between, self._previous = self._end_to_end_km()
        self.unreachable_pairs = 0

    def zone_of(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """Zone of each point: that of its cell, or for a point on water or a sliver the zone of
        the land cell nearest to the point itself within SNAP_KM (ties: the lower zone); 0
        where none, and such points travel in straight lines."""
        lat, lon = np.asarray(lat, dtype=float), np.asarray(lon, dtype=float)
        r, c, inside = self.grid.cell_of(lat, lon)
        zone = np.where(inside, self.zones[r, c], 0)
        wet = inside & (zone == 0)
        if wet.any():
            zone[wet] = self._nearest_land(lat[wet], lon[wet])
        return zone

    def _nearest_land(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        """Zone of the land cell nearest to each point (km from the point to the cell's edge,
        not from its cell's centre: a point by one bank of a river one cell wide takes that
        bank), 0 where none lies within SNAP_KM."""
        g = self.grid
        height, width = g.cell_km
        reach = int(np.ceil(SNAP_KM / min(height, width))) + 1
        step = np.arange(-reach, reach + 1)
        fr = ((lat - g.lat0) / g.dlat)[:, None, None]
        fc = ((lon - g.lon0) / g.dlon)[:, None, None]
        rows = np.floor(fr).astype(int) + step[None, :, None]
        cols = np.floor(fc).astype(int) + step[None, None, :]
        on_grid = (rows >= 0) & (rows < g.rows) & (cols >= 0) & (cols < g.cols)
        zone = np.where(
            on_grid, self.zones[np.clip(rows, 0, g.rows - 1), np.clip(cols, 0, g.cols - 1)], 0
        )
        dy = np.maximum(0.0, np.maximum(rows - fr, fr - (rows + 1))) * height
        dx = np.maximum(0.0, np.maximum(cols - fc, fc - (cols + 1))) * width
        km = np.where(zone > 0, np.hypot(dx, dy), np.inf).reshape(len(lat), -1)
        zone = zone.reshape(len(lat), -1)
        nearest = km.min(axis=1)
        lowest = np.where(km <= nearest[:, None], zone, np.iinfo(zone.dtype).max).min(axis=1)
        return np.where(nearest <= SNAP_KM, lowest, 0)

    def ends_of(self, zone: int) -> np.ndarray:
        """Indices of the crossing ends that reach the zone."""
        return np.array([i for i, m in enumerate(self._members) if zone in m], dtype=int)

    def _end_to_end_km(self) -> tuple[np.ndarray, np.ndarray]:
        """Shortest km between crossing ends: straight within a shared zone, and along a
        crossing from one of its ends to the other."""
        n = len(self.crossings)
        gc = great_circle_km(
            self._lat[:, None], self._lon[:, None], self._lat[None, :], self._lon[None, :]
        )
        share = np.array([[bool(a & b) for b in self._members] for a in self._members])
        ids = self.crossings["crossing_id"].to_numpy()
        linked = (share | (ids[:, None] == ids[None, :])) & ~np.eye(n, dtype=bool)
        weights = np.where(linked, np.maximum(gc, 1e-6), 0.0)
        if not n:
            return np.zeros((0, 0)), np.zeros((0, 0), dtype=int)
        return shortest_path(csr_matrix(weights), directed=False, return_predecessors=True)

    def crossings_on_way(self, lat1: float, lon1: float, lat2: float, lon2: float) -> list[str]:
        """Names of the crossings the way between two points passes, in order (none when both
        lie in one zone): what a user checks a surprising travel time against. Zones no chain
        joins raise ValueError rather than walk a missing predecessor."""
        za, zb = (
            self.zone_of(np.array([lat1]), np.array([lon1]))[0],
            self.zone_of(np.array([lat2]), np.array([lon2]))[0],
        )
        if za == 0 or zb == 0 or za == zb:
            return []
        e1, e2 = self.ends_of(int(za)), self.ends_of(int(zb))
        to_end = great_circle_km(lat1, lon1, self._lat[e1], self._lon[e1])
        from_end = great_circle_km(self._lat[e2], self._lon[e2], lat2, lon2)
        total = to_end[:, None] + self._between[np.ix_(e1, e2)] + from_end[None, :]
        if len(e1) == 0 or len(e2) == 0 or not np.isfinite(total).any():
            raise ValueError(f"no chain of crossings joins zone {za} to zone {zb}")
        i, k = np.unravel_index(np.argmin(total), total.shape)
        chain, node = [int(e2[k])], int(e2[k])
        while node != e1[i]:
            node = int(self._previous[e1[i], node])
            chain.append(node)
        names = self.crossings["name"].to_numpy()[chain[::-1]]
        return list(dict.fromkeys(names))

    def route_km(
        self, olat: np.ndarray, olon: np.ndarray, dlat: np.ndarray, dlon: np.ndarray
    ) -> np.ndarray:
        """Matrix (origins x destinations) of great-circle km along the way that respects water:
        the straight line within a zone, else the shortest chain of crossings. Zones that no
        chain joins fall back to the straight line and are counted in `unreachable_pairs`."""
        olat, olon = np.atleast_1d(olat).astype(float), np.atleast_1d(olon).astype(float)
        dlat, dlon = np.atleast_1d(dlat).astype(float), np.atleast_1d(dlon).astype(float)
        straight = great_circle_km(olat[:, None], olon[:, None], dlat[None, :], dlon[None, :])
        out = straight.copy()
        zo, zd = self.zone_of(olat, olon), self.zone_of(dlat, dlon)
        onward = self._onward_km(zd, dlat, dlon)
        for a in np.unique(zo[zo > 0]):
            cols = np.flatnonzero((zd > 0) & (zd != a))
            if not len(cols):
                continue
            rows = np.flatnonzero(zo == a)
            e1 = self.ends_of(int(a))
            to_end = great_circle_km(
                olat[rows, None], olon[rows, None], self._lat[None, e1], self._lon[None, e1]
            )
            reach = onward[:, cols]
            best = np.full((len(rows), len(cols)), np.inf)
            for k, end in enumerate(e1):
                np.minimum(best, to_end[:, k, None] + reach[end, None, :], out=best)
            out[np.ix_(rows, cols)] = best
        cut_off = np.isinf(out)
        self.unreachable_pairs += int(cut_off.sum())
        return np.where(cut_off, straight, out)

    def _onward_km(self, zd: np.ndarray, dlat: np.ndarray, dlon: np.ndarray) -> np.ndarray:
        """km from every crossing end to each destination through the ends of the destination's
        zone (crossing ends x destinations; inf where its zone has no end or none is joined).
        Computed once per call, so an origin zone only adds its own first leg."""
        onward = np.full((len(self._lat), len(dlat)), np.inf)
        for b in np.unique(zd[zd > 0]):
            cols = np.flatnonzero(zd == b)
            e2 = self.ends_of(int(b))
            if not len(e2):
                continue
            from_end = great_circle_km(
                self._lat[e2, None], self._lon[e2, None], dlat[None, cols], dlon[None, cols]
            )
            part = onward[:, cols]
            for k, end in enumerate(e2):
                np.minimum(part, self._between[:, end, None] + from_end[k, None, :], out=part)
            onward[:, cols] = part
        return onward


def water_network(runs: pd.DataFrame, crossings: pd.DataFrame) -> WaterNetwork | None:
    """The water network of a dataset's two water tables; None (trips in straight lines, and
    the log says so) when the dataset has none."""
    if runs.empty or crossings.empty:
        log.warning(
            "the dataset has no water zones or crossings: trips go in straight lines over water "
            "(docs/travel-model.md)"
        )
        return None
    return WaterNetwork(runs, crossings)
