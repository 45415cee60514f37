"""The accessibility job's tables from per-point results: population-weighted means and
percentiles per municipality, per region and nationally."""

from __future__ import annotations

import pandas as pd

from patientflow.config.schema import REGION_COLUMNS, RegionLevel
from patientflow.core.network import ServiceNetwork
from patientflow.core.statistics import weighted_mean, weighted_quantile


def minute_columns(points: pd.DataFrame) -> list[str]:
    return [c for c in points.columns if c.startswith("car_min_")] + ["ambulance_min_to_seh"]


def _group_stats(points: pd.DataFrame, key: str, p95: bool) -> pd.DataFrame:
    """Population-weighted minutes and the population beyond the norm per group of points:
    the columns are taken out of the frame once, each group is a slice of them."""
    w_all = points["population"].to_numpy()
    columns = {col: points[col].to_numpy() for col in minute_columns(points)}
    beyond_all = points["beyond_norm"].to_numpy()
    municipal_all = points["beyond_norm_municipal"].to_numpy()
    groups = points.groupby(key, sort=True).indices
    rows = []
    for code in sorted(groups):
        at = groups[code]
        w = w_all[at]
        row = {key: code, "population": float(w.sum())}
        for col, values in columns.items():
            row[f"{col}_mean"] = weighted_mean(values[at], w)
            if p95:
                row[f"{col}_p95"] = weighted_quantile(values[at], w, 0.95)
        beyond = float(w[beyond_all[at]].sum())
        row["population_beyond_norm"] = beyond
        row["share_beyond_norm"] = beyond / row["population"] if row["population"] else 0.0
        row["population_beyond_norm_municipal"] = float(w[municipal_all[at]].sum())
        rows.append(row)
    return pd.DataFrame(rows)


def municipality_table(points: pd.DataFrame, municipalities: pd.DataFrame) -> pd.DataFrame:
    """Accessibility per municipality, population-weighted over its demand points."""
    stats = _group_stats(points, "municipality_code", p95=False).drop(columns="population")
    serving = (
        points.groupby(["municipality_code", "ambulance_seh_site_id"])["population"]
        .sum()
        .reset_index()
        .sort_values(
            ["municipality_code", "population", "ambulance_seh_site_id"],
            ascending=[True, False, True],
        )
        .drop_duplicates("municipality_code")
        .rename(columns={"ambulance_seh_site_id": "nearest_seh_247_site_id"})
        .drop(columns="population")
    )
    worst = (
        points.groupby("municipality_code")["ambulance_min_to_seh"]
        .max()
        .rename("ambulance_min_to_seh_max")
    )
    keep = ["municipality_code", "name", "population", "share_65plus", "island"]
    keep += [c for pair in REGION_COLUMNS.values() for c in pair if c not in keep]
    out = (
        municipalities[list(dict.fromkeys(keep))]
        .merge(serving, on="municipality_code", how="left")
        .merge(stats, on="municipality_code", how="left")
        .merge(worst, on="municipality_code", how="left")
    )
    return out.rename(columns=lambda c: c.removesuffix("_mean"))


def region_table(
    points: pd.DataFrame,
    municipalities: pd.DataFrame,
    network: ServiceNetwork,
    levels: list[RegionLevel],
) -> pd.DataFrame:
    """The regional picture: one row per region of each level, every number from the same
    demand points (their population, their municipality's 65+ share), so the same area gives
    the same numbers at every level. A region only partly in the study area is the part inside
    it: `share_of_region_population` says how much, and its sites are those in that part."""
    frames = []
    lookup = municipalities.set_index("municipality_code")
    in_area = set(points["municipality_code"])
    base = points.assign(
        p65=points["population"] * points["municipality_code"].map(lookup["share_65plus"])
    )
    for level in levels:
        code_col, name_col = REGION_COLUMNS[level]
        pts = base.assign(region=base["municipality_code"].map(lookup[code_col]))
        stats = _group_stats(pts, "region", p95=True)
        names = municipalities.groupby(code_col)[name_col].first()
        sums = pts.groupby("region")[["p65", "population"]].sum()
        share65 = sums["p65"] / sums["population"].where(sums["population"] > 0)
        whole = municipalities.groupby(code_col)["population"].sum()
        stats.insert(0, "level", level.value)
        stats.insert(2, "name", stats["region"].map(names))
        stats.insert(4, "share_65plus", stats["region"].map(share65))
        stats.insert(
            5,
            "share_of_region_population",
            (stats["population"] / stats["region"].map(whole)).round(6),
        )
        for service, munis in site_muni_of(network).items():
            inside = munis[munis.isin(in_area)]
            region_of_site = inside.map(lookup[code_col])
            stats[f"sites_{service}"] = (
                stats["region"].map(region_of_site.value_counts()).fillna(0).astype(int)
            )
        frames.append(stats)
    return pd.concat(frames, ignore_index=True)


def site_muni_of(network: ServiceNetwork) -> dict[str, pd.Series]:
    """Each service's providers' municipalities."""
    return {s: p.frame["municipality_code"] for s, p in network.providers.items()}


def national_summary(points: pd.DataFrame, network: ServiceNetwork) -> dict:
    """National (or study-area) indicators for summary.json."""
    w = points["population"].to_numpy()
    beyond = float(w[points["beyond_norm"].to_numpy()].sum())
    travel = {}
    for col in minute_columns(points):
        travel[col] = {
            "mean": round(weighted_mean(points[col].to_numpy(), w), 2),
            "p50": round(weighted_quantile(points[col].to_numpy(), w, 0.5), 2),
            "p95": round(weighted_quantile(points[col].to_numpy(), w, 0.95), 2),
            "max": round(float(points[col].max()), 2),
        }
    return {
        "population": round(float(w.sum())),
        "demand_points": int(len(points)),
        "population_beyond_norm": round(beyond),
        "share_beyond_norm": round(beyond / float(w.sum()), 6) if w.sum() else 0.0,
        "population_beyond_norm_municipal": round(
            float(w[points["beyond_norm_municipal"].to_numpy()].sum())
        ),
        "travel_minutes": travel,
        "providers": {s: int(len(p.frame)) for s, p in network.providers.items()},
    }
