"""Travel-time model: minutes between points by car or by ambulance with lights.

Road distance is the length of the way that respects water (core/water.py: the straight line,
or through the crossings where water lies between) times a detour factor. A trip is driven by a
speed profile of its length and of the urbanity of its two ends: local streets and then town
streets or rural roads from each end, a regional stretch, then motorway (docs/travel-model.md).
Wadden islands without a road link are reached by ferry (car) or air ambulance (ambulance).
Everything is vectorised with numpy: all demand points x all sites is one broadcast.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np
import pandas as pd

from patientflow.config.schema import TravelConfig
from patientflow.core.geodesy import great_circle_km
from patientflow.core.water import WaterNetwork
from patientflow.errors import ConfigError

__all__ = ["Mode", "Points", "TravelModel", "TravelParams", "great_circle_km", "travel_model"]


class Mode(Enum):
    car = "car"
    ambulance = "ambulance"


@dataclass(frozen=True)
class ModeSpeeds:
    """Speeds in km/h of one mode in each stretch of a trip."""

    local_urban_kmh: float
    local_rural_kmh: float
    street_urban_kmh: float
    street_rural_kmh: float
    regional_kmh: float
    motorway_kmh: float


@dataclass(frozen=True)
class TravelParams:
    """Parameters of the travel-time model, built from the configuration (`from_config`); the
    defaults live in one place, `config.schema.TravelConfig` (docs/travel-model.md)."""

    detour_factor: float
    rural_detour_factor: float
    access_km: float
    street_km: float
    regional_urban_km: float
    regional_rural_km: float
    car: ModeSpeeds
    ambulance: ModeSpeeds
    ferry_wait_min: float
    air_transfer_min: float
    air_speed_kmh: float

    @classmethod
    def from_config(cls, t: TravelConfig | None = None) -> TravelParams:
        """The parameters of a travel config; the configured defaults when none is given."""
        t = t if t is not None else TravelConfig()
        return cls(
            detour_factor=t.detour_factor,
            rural_detour_factor=t.rural_detour_factor,
            access_km=t.access_km,
            street_km=t.street_km,
            regional_urban_km=t.regional_urban_km,
            regional_rural_km=t.regional_rural_km,
            car=ModeSpeeds(**vars(t.car)),
            ambulance=ModeSpeeds(**vars(t.ambulance)),
            ferry_wait_min=t.ferry_wait_min,
            air_transfer_min=t.air_transfer_min,
            air_speed_kmh=t.air_speed_kmh,
        )

    def speeds(self, mode: Mode) -> ModeSpeeds:
        return self.car if mode is Mode.car else self.ambulance


@dataclass(frozen=True)
class Points:
    """A set of located points: ids, WGS84 coordinates and an urban flag per point."""

    ids: np.ndarray
    lat: np.ndarray
    lon: np.ndarray
    urban: np.ndarray

    @classmethod
    def from_frame(cls, df: pd.DataFrame, id_col: str, urban: np.ndarray | bool = False) -> Points:
        n = len(df)
        urban_arr = np.broadcast_to(np.asarray(urban, dtype=bool), (n,)).copy()
        return cls(
            ids=df[id_col].astype(str).to_numpy(),
            lat=df["lat"].to_numpy(dtype=float),
            lon=df["lon"].to_numpy(dtype=float),
            urban=urban_arr,
        )

    def __len__(self) -> int:
        return len(self.ids)


def road_minutes(
    way_km: np.ndarray,
    urban_o: np.ndarray | bool,
    urban_d: np.ndarray | bool,
    speeds: ModeSpeeds,
    params: TravelParams,
) -> np.ndarray:
    """Minutes to drive a trip whose way (before the detour factor) is way_km long; symmetric
    in its two ends. The detour factor is the mean of the two ends' (urban or rural). From each
    end: access_km of local streets, then up to street_km of town
    streets or rural roads, each at the speed of that end's urbanity; in between regional road,
    regional_urban_km or regional_rural_km for each end by its urbanity (motorways lie further
    from the countryside), then motorway."""
    detour = (
        np.where(urban_o, params.detour_factor, params.rural_detour_factor)
        + np.where(urban_d, params.detour_factor, params.rural_detour_factor)
    ) / 2
    road = detour * way_km
    half = road / 2
    local = np.minimum(params.access_km, half)
    street = np.minimum(params.street_km - params.access_km, half - local)

    def end_hours(urban: np.ndarray | bool) -> np.ndarray:
        v_local = np.where(urban, speeds.local_urban_kmh, speeds.local_rural_kmh)
        v_street = np.where(urban, speeds.street_urban_kmh, speeds.street_rural_kmh)
        return local / v_local + street / v_street

    rest = road - 2 * (local + street)
    regional_km = np.where(urban_o, params.regional_urban_km, params.regional_rural_km) + np.where(
        urban_d, params.regional_urban_km, params.regional_rural_km
    )
    regional = np.minimum(rest, regional_km)
    motorway = rest - regional
    middle = regional / speeds.regional_kmh + motorway / speeds.motorway_kmh
    return 60.0 * (end_hours(urban_o) + end_hours(urban_d) + middle)


@dataclass(frozen=True)
class Island:
    """A Wadden island without a road link: a box that holds it, its two ports and the crossing."""

    name: str
    lat_min: float
    lat_max: float
    lon_min: float
    lon_max: float
    port_lat: float
    port_lon: float
    mainland_port_lat: float
    mainland_port_lon: float
    ferry_min: float

    def contains(self, lat: np.ndarray, lon: np.ndarray) -> np.ndarray:
        return (
            (lat >= self.lat_min)
            & (lat <= self.lat_max)
            & (lon >= self.lon_min)
            & (lon <= self.lon_max)
        )


def islands_from_frame(df: pd.DataFrame) -> tuple[Island, ...]:
    """Islands from the islands table (one row per island)."""
    fields = Island.__dataclass_fields__
    return tuple(Island(**{k: row[k] for k in fields}) for row in df.to_dict("records"))


def island_index(lat: np.ndarray, lon: np.ndarray, islands: tuple[Island, ...]) -> np.ndarray:
    """Index into `islands` of the island each point lies on, -1 for the mainland."""
    idx = np.full(np.shape(lat), -1, dtype=int)
    for i, isl in enumerate(islands):
        idx[isl.contains(lat, lon)] = i
    return idx


class TravelModel:
    """Minutes between point sets by mode, from the model or from a user's OD matrix."""

    def __init__(
        self,
        params: TravelParams | None = None,
        islands: tuple[Island, ...] = (),
        od_matrix: pd.DataFrame | None = None,
        water: WaterNetwork | None = None,
        od_file: str | None = None,
    ) -> None:
        self.params = params or TravelParams.from_config()
        self.islands = islands
        self.water = water
        self._od = _index_od(od_matrix) if od_matrix is not None else None
        self._od_file = od_file

    def minutes(self, origins: Points, destinations: Points, mode: Mode = Mode.car) -> np.ndarray:
        """Matrix (len(origins) x len(destinations)) of travel minutes."""
        if self._od is not None:
            return self._od_lookup(self._od, origins, destinations, mode)
        return self._model_minutes(origins, destinations, mode)

    def way_km(
        self, olat: np.ndarray, olon: np.ndarray, dlat: np.ndarray, dlon: np.ndarray
    ) -> np.ndarray:
        """Matrix (origins x destinations) of km along the way before the detour factor: the
        straight line, or round the water through its crossings."""
        if self.water is None:
            return great_circle_km(olat[:, None], olon[:, None], dlat[None, :], dlon[None, :])
        return self.water.route_km(olat, olon, dlat, dlon)

    def _way_pairs(
        self, lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
    ) -> np.ndarray:
        """km along the way for each pair (1-D arrays, or one end a single point)."""
        lat1, lon1, lat2, lon2 = (np.atleast_1d(x).astype(float) for x in (lat1, lon1, lat2, lon2))
        ends1, i1 = np.unique(np.column_stack([lat1, lon1]), axis=0, return_inverse=True)
        ends2, i2 = np.unique(np.column_stack([lat2, lon2]), axis=0, return_inverse=True)
        table = self.way_km(ends1[:, 0], ends1[:, 1], ends2[:, 0], ends2[:, 1])
        n = max(len(lat1), len(lat2))
        return table[np.broadcast_to(i1.ravel(), n), np.broadcast_to(i2.ravel(), n)]

    def _model_minutes(self, o: Points, d: Points, mode: Mode) -> np.ndarray:
        p = self.params
        speeds = p.speeds(mode)
        way = self.way_km(o.lat, o.lon, d.lat, d.lon)
        out = road_minutes(way, o.urban[:, None], d.urban[None, :], speeds, p)
        if not self.islands:
            return out
        oi = island_index(o.lat, o.lon, self.islands)[:, None]
        di = island_index(d.lat, d.lon, self.islands)[None, :]
        cross = np.broadcast_to(oi != di, out.shape)
        if not cross.any():
            return out
        rows, cols = np.nonzero(cross)
        if mode is Mode.ambulance:
            gc = great_circle_km(o.lat[rows], o.lon[rows], d.lat[cols], d.lon[cols])
            out[rows, cols] = p.air_transfer_min + 60.0 * gc / p.air_speed_kmh
            return out
        out[rows, cols] = self._ferry_route(o, d, rows, cols, oi[rows, 0], di[0, cols], speeds)
        return out

    def _ferry_route(
        self,
        o: Points,
        d: Points,
        rows: np.ndarray,
        cols: np.ndarray,
        oi: np.ndarray,
        di: np.ndarray,
        speeds: ModeSpeeds,
    ) -> np.ndarray:
        """Car minutes for pairs on different land masses: drive, ferry, drive (twice if needed)."""
        head, olat, olon, ourb = self._to_mainland(
            o.lat[rows], o.lon[rows], o.urban[rows], oi, speeds
        )
        tail, dlat, dlon, durb = self._to_mainland(
            d.lat[cols], d.lon[cols], d.urban[cols], di, speeds
        )
        way = self._way_pairs(olat, olon, dlat, dlon)
        return head + road_minutes(way, ourb, durb, speeds, self.params) + tail

    def _to_mainland(
        self,
        lat: np.ndarray,
        lon: np.ndarray,
        urban: np.ndarray,
        island: np.ndarray,
        speeds: ModeSpeeds,
    ) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
        """Minutes from island points to their mainland port (the road model is symmetric, so the
        same leg serves arrivals), and where each trip then stands: mainland points stay put."""
        lat, lon, urban = lat.copy(), lon.copy(), urban.copy()
        minutes = np.zeros(len(lat))
        for i, isl in enumerate(self.islands):
            on = island == i
            if on.any():
                way = great_circle_km(lat[on], lon[on], isl.port_lat, isl.port_lon)
                to_port = road_minutes(way, urban[on], False, speeds, self.params)
                minutes[on] = to_port + isl.ferry_min + self.params.ferry_wait_min
                lat[on], lon[on], urban[on] = isl.mainland_port_lat, isl.mainland_port_lon, False
        return minutes, lat, lon, urban

    def _od_lookup(
        self, od: dict[str, pd.DataFrame], o: Points, d: Points, mode: Mode
    ) -> np.ndarray:
        table = od.get(mode.value)
        if table is None:
            raise ConfigError(
                "travel.od_matrix", self._od_file, f"the matrix has no rows for mode {mode.value}"
            )
        m = table.reindex(index=list(o.ids), columns=list(d.ids)).to_numpy(dtype=float)
        gaps = np.isnan(m)
        if gaps.any():
            i, k = np.argwhere(gaps)[0]
            raise ConfigError(
                "travel.od_matrix",
                self._od_file,
                f"the matrix lacks the {mode.value} minutes from '{o.ids[i]}' to "
                f"'{d.ids[k]}' ({int(gaps.sum()):,} of the {gaps.size:,} {mode.value} pairs "
                "between these origins and destinations are missing)",
            )
        return m


def _index_od(od: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Pivot a long OD table (origin_id, destination_id, mode, minutes) into one matrix per mode."""
    out = {}
    for mode, part in od.groupby("mode"):
        out[str(mode)] = part.pivot(index="origin_id", columns="destination_id", values="minutes")
    return out


def travel_model(
    t: TravelConfig,
    islands: pd.DataFrame,
    od_matrix: pd.DataFrame | None = None,
    water: WaterNetwork | None = None,
) -> TravelModel:
    """The travel model of a run: the configured parameters, the islands table, the water
    network (unless `travel.water` is off) and, when the user gave one, their OD matrix (read
    by `data.loader.load_od_matrix`)."""
    params = TravelParams.from_config(t)
    return TravelModel(
        params, islands_from_frame(islands), od_matrix, water if t.water else None, t.od_matrix
    )
