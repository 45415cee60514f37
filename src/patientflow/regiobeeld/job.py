"""The regiobeeld job: the study region now and at the horizon. Each year's population (the CBS
prognosis or the user's file) is simulated for a short spell on today's network and fleet, so
the horizon shows where today's capacity falls short; access and providers are today's."""

from __future__ import annotations

import logging
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np
import pandas as pd

from patientflow.acute.job import simulate
from patientflow.config.schema import RunConfig
from patientflow.core.area import region_title, study_area
from patientflow.core.files import write_frame
from patientflow.core.network import ServiceNetwork
from patientflow.core.statistics import weighted_mean, weighted_quantile
from patientflow.core.travel import TravelModel
from patientflow.data import Dataset
from patientflow.regiobeeld.capacity import capacity_table, providers, today_capacity
from patientflow.regiobeeld.horizon import year_profile

log = logging.getLogger(__name__)

PRESSURE = (
    "a1_share_on_scene_15min",
    "a1_response_min_p95",
    "a2_share_on_scene_30min",
    "a1_a2_share_at_seh_within_norm",
    "share_urgent_answered_30s",
    "share_seh_triage_10min",
    "seh_los_min_p90",
    "share_admitted",
    "diverted_ambulances",
)


@dataclass
class RegiobeeldOutput:
    """The regiobeeld's tables, its summary block, and the frames the chapter shows."""

    tables: dict[str, Path]
    summary: dict
    frames: dict[str, pd.DataFrame]


def access_table(points: pd.DataFrame, codes: set[str], norm_min: float) -> pd.DataFrame:
    """Minutes to each service from the region's demand points, population-weighted: mean, p95,
    the farthest, and the people beyond the norm (ambulance to the SEH, response included)."""
    mine = points[points["municipality_code"].isin(codes)]
    w = mine["population"].to_numpy(dtype=float)
    rows = []
    columns = [c for c in mine.columns if c.startswith("car_min_")] + ["ambulance_min_to_seh"]
    for col in columns:
        v = mine[col].to_numpy(dtype=float)
        beyond = float(w[v > norm_min].sum())
        rows.append(
            {
                "service": col.removeprefix("car_min_"),
                "mode": "ambulance" if col.startswith("ambulance") else "car",
                "mean_min": weighted_mean(v, w),
                "p95_min": weighted_quantile(v, w, 0.95),
                "max_min": float(v.max()),
                f"inhabitants_beyond_{norm_min:g}_min": beyond,
                f"share_beyond_{norm_min:g}_min": beyond / float(w.sum()),
            }
        )
    return pd.DataFrame(rows)


def run_regiobeeld(
    run: RunConfig,
    data_by_year: dict[int, Dataset],
    network: ServiceNetwork,
    travel: TravelModel,
    access_points: pd.DataFrame,
    out: Path,
) -> RegiobeeldOutput:
    """Profiles, short simulations, access, providers and capacity of the study region for
    each year in `data_by_year` (now first, the horizon last)."""
    years = sorted(data_by_year)
    title = region_title(data_by_year[years[0]], run)
    profiles = {}
    for year in years:
        data = data_by_year[year]
        area = study_area(data, run)
        profile = year_profile(data, area, run, year)
        log.info("regiobeeld %s %d: simulating %g days", title, year, run.sim.days)
        cfg = replace(run, demand=replace(run.demand, year=year))
        folder = out / f"acute_{year}"
        folder.mkdir(parents=True, exist_ok=True)
        paths, acute = simulate(cfg, data, network, area, travel, folder)
        profile.update(replicated(acute, pd.read_csv(paths["replications"])))
        profile["utilisation"] = acute["utilisation"]
        profile["staffing"] = {
            "ambulances_weekday_day": acute["staffing_fte"]["ambulances_weekday_day"]
        }
        profiles[year] = profile
    now, horizon = profiles[years[0]], profiles[years[-1]]
    area_now = study_area(data_by_year[years[0]], run)
    codes = set(area_now.municipalities["municipality_code"])
    sites = providers(data_by_year[years[0]], network, area_now)
    today = today_capacity(
        sites, run.facilities.ambulance.fleet_weekday_day * now["share_of_national_112"]
    )
    frames = {
        "years": years_table(profiles),
        "access": access_table(access_points, codes, run.report.norm_min),
        "providers": sites,
        "capacity": capacity_table(today, now, horizon),
        "care": care_table(now, horizon, sites),
    }
    tables = {}
    for name, df in frames.items():
        path = out / f"regiobeeld_{name}.csv"
        write_frame(df, path)
        tables[f"regiobeeld_{name}"] = path
    summary = {
        "region": title,
        "years": years,
        "municipalities": len(codes),
        "demand_points": len(area_now.points),
        "profiles": {str(y): p for y, p in profiles.items()},
        "today": today,
    }
    return RegiobeeldOutput(tables=tables, summary=summary, frames=frames)


def replicated(acute: dict, replications: pd.DataFrame) -> dict:
    """A year's simulated volumes and pressure indicators as means over the replications with
    their 95 % intervals (none for one replication), and each replication's volumes, which the
    capacity table pairs by replication (the same seeds in both years)."""
    stats = acute["replications"]["national"]
    empty = {"mean": None, "ci_low": None, "ci_high": None}
    volumes = {
        k.removeprefix("volumes_per_year."): v
        for k, v in stats.items()
        if k.startswith("volumes_per_year.")
    }
    prefix = "national.volumes_per_year."
    return {
        "replications": int(len(replications)),
        "pressure": {k: stats.get(k, empty)["mean"] for k in PRESSURE},
        "pressure_ci": {k: _bounds(stats.get(k, empty)) for k in PRESSURE},
        "volumes_per_year": {k: v["mean"] for k, v in volumes.items()},
        "volumes_ci": {k: _bounds(v) for k, v in volumes.items()},
        "volumes_by_replication": {
            c.removeprefix(prefix): replications[c].tolist()
            for c in replications.columns
            if c.startswith(prefix)
        },
    }


def _bounds(stat: dict) -> list[float | None]:
    return [stat["ci_low"], stat["ci_high"]]


def years_table(profiles: dict[int, dict]) -> pd.DataFrame:
    """One column per year: demography, expected acute contacts, simulated volumes and the
    acute pressure indicators (means over the replications); the change relative, or in points
    for shares; and each simulated quantity's 95 % interval per year (empty for one
    replication)."""
    rows: dict[str, dict[int, float]] = {}
    bounds: dict[str, dict[str, float | None]] = {}
    for year, p in profiles.items():
        flat = {
            "inhabitants": p["population"],
            "aged 65+": p["aged_65plus"],
            "share 65+": p["share_65plus"],
            "aged 80+ (rule)": p["aged_80plus"],
            "share 80+ (rule)": p["share_80plus"],
            **{f"expected {k} a year": v for k, v in p["acute_expected_per_year"].items()},
            **{f"simulated {k} a year": v for k, v in p["volumes_per_year"].items()},
            **{k: v for k, v in p["pressure"].items() if v is not None},
            "ambulance utilisation": p["utilisation"].get("ambulance"),
            "staffed ambulances in the simulation, weekday daytime": p["staffing"][
                "ambulances_weekday_day"
            ],
        }
        for k, v in flat.items():
            rows.setdefault(k, {})[year] = v
        intervals = {
            **{f"simulated {k} a year": v for k, v in p["volumes_ci"].items()},
            **p["pressure_ci"],
        }
        for k, (low, high) in intervals.items():
            bounds.setdefault(k, {}).update({f"ci_low_{year}": low, f"ci_high_{year}": high})
    table = pd.DataFrame(rows).T
    table.columns = [str(c) for c in table.columns]
    first, last = table.columns[0], table.columns[-1]
    shares = table.index.str.contains("share|utilisation")
    table["change"] = np.where(
        shares, table[last] - table[first], table[last] / table[first].where(table[first] != 0) - 1
    )
    ci = pd.DataFrame(bounds).T.reindex(table.index)
    ci = ci.reindex(columns=[f"ci_{b}_{y}" for y in profiles for b in ("low", "high")])
    table = pd.concat([table, ci.astype(float)], axis=1)
    return table.rename_axis("quantity").reset_index()


def care_table(now: dict, horizon: dict, sites: pd.DataFrame) -> pd.DataFrame:
    """Complex-care patients of the region's inhabitants a year, now and at the horizon, and
    the region's hospitals that operate each intervention today with their volume."""
    rows = []
    for name, n_now in now["care_patients_per_year"].items():
        n_then = horizon["care_patients_per_year"][name]
        volume = sites[name] if name in sites.columns else pd.Series(dtype=float)
        rows.append(
            {
                "intervention": name,
                f"patients_{now['year']}": n_now,
                f"patients_{horizon['year']}": n_then,
                "change": n_then / n_now - 1 if n_now > 0 else 0.0,
                "providers_in_region": int((volume > 0).sum()),
                "volume_in_region_today": float(volume.sum()),
            }
        )
    return pd.DataFrame(rows)
