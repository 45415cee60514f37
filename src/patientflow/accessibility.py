"""Static accessibility: travel minutes from every demand point to the nearest provider of each
service, and the ambulance picture against the 45-minute norm (RIVM's definition: reach the
patient within the response allowance, then drive to the nearest open 24/7 SEH)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from patientflow.config import REGION_COLUMNS, PointResolution, RunConfig
from patientflow.data import Dataset
from patientflow.errors import ConfigError
from patientflow.geo import Mode, Points, TravelModel
from patientflow.network import SEH_247, ServiceNetwork


@dataclass(frozen=True)
class StudyArea:
    """The demand points of the study area, with their municipality's attributes joined."""

    points: pd.DataFrame
    municipalities: pd.DataFrame


def study_area(data: Dataset, cfg: RunConfig, whole_country: bool = False) -> StudyArea:
    """Demand points (pc4 or municipality centroids) of the configured region, or of the whole
    country."""
    muni = data.municipalities.copy()
    muni["population"] = muni["population"] * cfg.scenario.population_factor
    region = cfg.region
    if region.level is not None and region.codes and not whole_country:
        col = REGION_COLUMNS[region.level][0]
        known = set(muni[col])
        for i, code in enumerate(region.codes):
            if code not in known:
                raise ConfigError(f"region.codes[{i}]", code, f"is not a {region.level.value} code")
        muni = muni[muni[col].isin(region.codes)].reset_index(drop=True)
    if cfg.demand.points is PointResolution.municipality:
        pts = muni[["municipality_code", "lat", "lon", "population"]].copy()
        pts.insert(0, "point_id", pts["municipality_code"])
    else:
        pts = data.demand_points[["point_id", "municipality_code", "lat", "lon", "population"]]
        pts = pts[pts["municipality_code"].isin(muni["municipality_code"])].copy()
        pts["population"] = pts["population"] * cfg.scenario.population_factor
    pts = pts.merge(muni[["municipality_code", "urbanity"]], on="municipality_code", how="left")
    return StudyArea(points=pts.reset_index(drop=True), municipalities=muni)


def urban_flags(
    municipality_codes: pd.Series, municipalities: pd.DataFrame, max_urbanity: int
) -> np.ndarray:
    """True where the municipality's CBS urbanity class is at most `max_urbanity`."""
    urbanity = municipalities.set_index("municipality_code")["urbanity"]
    return (municipality_codes.map(urbanity).fillna(5) <= max_urbanity).to_numpy()


def nearest(
    travel: TravelModel, origins: Points, providers: pd.DataFrame, urban: np.ndarray, mode: Mode
) -> tuple[np.ndarray, np.ndarray]:
    """Minutes to, and index of, the nearest provider for each origin (inf and -1 when none)."""
    if providers.empty:
        n = len(origins)
        return np.full(n, np.inf), np.full(n, -1)
    dest = Points.from_frame(providers, "id", urban)
    m = travel.minutes(origins, dest, mode)
    idx = np.argmin(m, axis=1)
    return m[np.arange(len(origins)), idx], idx


def point_accessibility(
    area: StudyArea,
    network: ServiceNetwork,
    travel: TravelModel,
    cfg: RunConfig,
    all_municipalities: pd.DataFrame,
) -> pd.DataFrame:
    """One row per demand point: car minutes to each service, ambulance minutes to a 24/7 SEH."""
    pts = area.points
    max_urb = cfg.travel.urban_max_urbanity
    origins = Points.from_frame(pts, "point_id", (pts["urbanity"] <= max_urb).to_numpy())
    out = pts[["point_id", "municipality_code", "lat", "lon", "population"]].copy()
    for service, prov in network.providers.items():
        urban = urban_flags(prov.frame["municipality_code"], all_municipalities, max_urb)
        minutes, idx = nearest(travel, origins, prov.frame, urban, Mode.car)
        out[f"car_min_{service}"] = minutes
        if service == SEH_247:
            out["seh_247_site_id"] = np.where(idx >= 0, prov.frame["id"].to_numpy()[idx], "")
    seh = network.providers[SEH_247].frame
    urban = urban_flags(seh["municipality_code"], all_municipalities, max_urb)
    amb, idx = nearest(travel, origins, seh, urban, Mode.ambulance)
    out["ambulance_drive_min_to_seh"] = amb
    out["ambulance_min_to_seh"] = amb + cfg.report.response_allowance_min
    out["beyond_norm"] = out["ambulance_min_to_seh"] > cfg.report.norm_min
    out["ambulance_seh_site_id"] = np.where(idx >= 0, seh["id"].to_numpy()[idx], "")
    return out
