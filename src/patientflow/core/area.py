"""The study area: the demand points of the configured region (PC4 or municipality centroids)
with their municipality's attributes, and the demography every job's demand rests on."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from patientflow.config.schema import REGION_COLUMNS, PointResolution, RunConfig
from patientflow.config.validate import Problems
from patientflow.data import Dataset
from patientflow.data.prognosis import NATIONAL_SHARE_65PLUS_2024


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
        problems = Problems()
        check_region(cfg, data, problems)
        problems.raise_if_any()
        col = REGION_COLUMNS[region.level][0]
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


def region_title(data: Dataset, cfg: RunConfig) -> str:
    """What the study area is called in a report: the names and codes of the configured
    regions (e.g. "Zeeland (ZK27)"), else the region's configured name."""
    region = cfg.region
    if region.level is None or not region.codes:
        return region.name
    code_col, name_col = REGION_COLUMNS[region.level]
    munis = data.municipalities
    names = munis.drop_duplicates(code_col).set_index(code_col)[name_col]
    return ", ".join(
        f"{names.get(c, c)} ({c})" if names.get(c, c) != c else str(c) for c in region.codes
    )


def check_region(cfg: RunConfig, data: Dataset, problems: Problems) -> None:
    """Every code of region.codes must be a code of region.level in the municipalities table."""
    region = cfg.region
    if region.level is None:
        return
    known = set(data.municipalities[REGION_COLUMNS[region.level][0]])
    for i, code in enumerate(region.codes):
        if code not in known:
            problems.add(f"region.codes[{i}]", code, f"is not a {region.level.value} code")


def urban_flags(
    municipality_codes: pd.Series, municipalities: pd.DataFrame, max_urbanity: int
) -> np.ndarray:
    """True where the municipality's CBS urbanity class is at most `max_urbanity`."""
    urbanity = municipalities.set_index("municipality_code")["urbanity"]
    return (municipality_codes.map(urbanity).fillna(5) <= max_urbanity).to_numpy()


def municipality_weights(
    share_65plus: np.ndarray, beta: float, reference_share_65plus: float
) -> np.ndarray:
    """Relative rate per inhabitant: 1 + beta x (65+ share - the national 65+ share the rates
    are calibrated at), at least 0.05. Against the national share, not the study area's own
    mean: an older region has more demand per inhabitant than a younger one, and the country as
    a whole keeps the configured rate."""
    return np.clip(1.0 + beta * (np.asarray(share_65plus) - reference_share_65plus), 0.05, None)


def national_share_65plus(data: Dataset) -> float:
    """The country's 65+ share of 2024: the reference the rates per 1,000 inhabitants are
    calibrated at. A constant, not the data folder's own mean: a folder of one old region would
    otherwise be its own reference and lose its age effect."""
    if data.reference_share_65plus is not None:
        return data.reference_share_65plus
    return NATIONAL_SHARE_65PLUS_2024
