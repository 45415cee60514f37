"""Travel-time model: minutes between points by car or by ambulance with lights.

Road distance is the great-circle distance times a detour factor. A trip is driven in three
regimes: an access stretch at each end at a local speed (lower where the end lies in an urban
municipality), then a regional stretch, then motorway. Wadden islands without a road link are
reached by ferry (car) or air ambulance (ambulance). Everything is vectorised with numpy: all
demand points x all sites is one broadcast.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import Enum

import numpy as np
import pandas as pd

from patientflow.config.schema import TravelConfig
from patientflow.errors import ConfigError

EARTH_RADIUS_KM = 6371.0088


class Mode(Enum):
    car = "car"
    ambulance = "ambulance"


@dataclass(frozen=True)
class ModeSpeeds:
    """Speeds in km/h of one mode in each regime."""

    local_urban_kmh: float
    local_rural_kmh: float
    regional_kmh: float
    motorway_kmh: float


@dataclass(frozen=True)
class TravelParams:
    """Parameters of the travel-time model, built from the configuration (`from_config`); the
    defaults live in one place, `config.schema.TravelConfig` (docs/travel-model.md)."""

    detour_factor: float
    access_km: float
    regional_km: float
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
            access_km=t.access_km,
            regional_km=t.regional_km,
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


def great_circle_km(
    lat1: np.ndarray, lon1: np.ndarray, lat2: np.ndarray, lon2: np.ndarray
) -> np.ndarray:
    """Haversine distance in km; arrays broadcast (pass column and row vectors for a matrix)."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dlmb = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlmb / 2) ** 2
    return 2 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(a, 0.0, 1.0)))


def road_minutes(
    gc_km: np.ndarray,
    urban_o: np.ndarray,
    urban_d: np.ndarray,
    speeds: ModeSpeeds,
    params: TravelParams,
) -> np.ndarray:
    """Minutes to drive a trip of the given great-circle length; symmetric in its two ends."""
    road = params.detour_factor * gc_km
    end = np.minimum(params.access_km, road / 2)
    v_o = np.where(urban_o, speeds.local_urban_kmh, speeds.local_rural_kmh)
    v_d = np.where(urban_d, speeds.local_urban_kmh, speeds.local_rural_kmh)
    rest = road - 2 * end
    regional = np.minimum(rest, params.regional_km)
    motorway = rest - regional
    hours = end / v_o + end / v_d + regional / speeds.regional_kmh + motorway / speeds.motorway_kmh
    return 60.0 * hours


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
    ) -> None:
        self.params = params or TravelParams.from_config()
        self.islands = islands
        self._od = _index_od(od_matrix) if od_matrix is not None else None

    def minutes(self, origins: Points, destinations: Points, mode: Mode = Mode.car) -> np.ndarray:
        """Matrix (len(origins) x len(destinations)) of travel minutes."""
        if self._od is not None:
            return self._od_lookup(origins, destinations, mode)
        return self._model_minutes(origins, destinations, mode)

    def _road(self, lat1, lon1, urb1, lat2, lon2, urb2, speeds: ModeSpeeds) -> np.ndarray:
        gc = great_circle_km(lat1, lon1, lat2, lon2)
        return road_minutes(gc, urb1, urb2, speeds, self.params)

    def _model_minutes(self, o: Points, d: Points, mode: Mode) -> np.ndarray:
        p = self.params
        speeds = p.speeds(mode)
        olat, olon, ourb = o.lat[:, None], o.lon[:, None], o.urban[:, None]
        dlat, dlon, durb = d.lat[None, :], d.lon[None, :], d.urban[None, :]
        out = self._road(olat, olon, ourb, dlat, dlon, durb, speeds)
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

    def _ferry_route(self, o, d, rows, cols, oi, di, speeds) -> np.ndarray:
        """Car minutes for pairs on different land masses: drive, ferry, drive (twice if needed)."""
        head, olat, olon, ourb = self._to_mainland(
            o.lat[rows], o.lon[rows], o.urban[rows], oi, speeds
        )
        tail, dlat, dlon, durb = self._to_mainland(
            d.lat[cols], d.lon[cols], d.urban[cols], di, speeds
        )
        return head + self._road(olat, olon, ourb, dlat, dlon, durb, speeds) + tail

    def _to_mainland(self, lat, lon, urban, island, speeds):
        """Minutes from island points to their mainland port (the road model is symmetric, so the
        same leg serves arrivals), and where each trip then stands: mainland points stay put."""
        lat, lon, urban = lat.copy(), lon.copy(), urban.copy()
        minutes = np.zeros(len(lat))
        for i, isl in enumerate(self.islands):
            on = island == i
            if on.any():
                to_port = self._road(
                    lat[on], lon[on], urban[on], isl.port_lat, isl.port_lon, False, speeds
                )
                minutes[on] = to_port + isl.ferry_min + self.params.ferry_wait_min
                lat[on], lon[on], urban[on] = isl.mainland_port_lat, isl.mainland_port_lon, False
        return minutes, lat, lon, urban

    def _od_lookup(self, o: Points, d: Points, mode: Mode) -> np.ndarray:
        table = self._od.get(mode.value)
        if table is None:
            raise ConfigError(
                "travel.od_matrix", mode.value, "the matrix has no rows for this mode"
            )
        missing_o = sorted(set(o.ids) - set(table.index))
        missing_d = sorted(set(d.ids) - set(table.columns))
        if missing_o or missing_d:
            ids = (missing_o + missing_d)[:5]
            raise ConfigError(
                "travel.od_matrix", mode.value, f"the matrix lacks pairs for ids {ids}"
            )
        m = table.loc[o.ids, d.ids].to_numpy(dtype=float)
        if np.isnan(m).any():
            i, k = np.argwhere(np.isnan(m))[0]
            raise ConfigError(
                "travel.od_matrix",
                mode.value,
                f"the matrix lacks pairs for ids ['{o.ids[i]}' -> '{d.ids[k]}']",
            )
        return m


def _index_od(od: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Pivot a long OD table (origin_id, destination_id, mode, minutes) into one matrix per mode."""
    out = {}
    for mode, part in od.groupby("mode"):
        out[str(mode)] = part.pivot(index="origin_id", columns="destination_id", values="minutes")
    return out


def travel_model(
    t: TravelConfig, islands: pd.DataFrame, od_matrix: pd.DataFrame | None = None
) -> TravelModel:
    """The travel model of a run: the configured parameters, the islands table and, when the
    user gave one, their OD matrix (read by `data.loader.load_od_matrix`)."""
    return TravelModel(TravelParams.from_config(t), islands_from_frame(islands), od_matrix)
