"""Static accessibility: travel minutes from every demand point to the nearest provider of each
service, and the ambulance picture against the 45-minute norm (RIVM's definition: reach the
patient within the response allowance, then drive to the nearest open 24/7 SEH)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from patientflow.config.schema import RunConfig
from patientflow.core.area import StudyArea, urban_flags
from patientflow.core.network import SEH_247, ServiceNetwork
from patientflow.core.travel import Mode, Points, TravelModel


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
    out["beyond_norm_municipal"] = beyond_by_municipality(out, cfg.report.norm_min)
    out["ambulance_seh_site_id"] = np.where(idx >= 0, seh["id"].to_numpy()[idx], "")
    return out


def beyond_by_municipality(points: pd.DataFrame, norm_min: float) -> np.ndarray:
    """Per point: its municipality's population-weighted mean minutes to a 24/7 SEH by
    ambulance exceed the norm. The level the population data supports: a municipality's
    inhabitants are known, their split over its postcodes is only a rule (data README)."""
    w = points["population"].to_numpy(dtype=float)
    weighted = pd.Series(points["ambulance_min_to_seh"].to_numpy() * w).groupby(
        points["municipality_code"].to_numpy()
    )
    totals = pd.Series(w).groupby(points["municipality_code"].to_numpy()).sum()
    mean = weighted.sum() / totals.where(totals > 0)
    return points["municipality_code"].map(mean > norm_min).fillna(False).to_numpy(dtype=bool)
