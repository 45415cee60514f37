"""The sweep report's chapter per region: for each ROAZ region the jobs simulated, every job's
acute indicators in that region as the mean over its replications with a 95 % interval, and
the region's inhabitants beyond the norm (replications.csv and regions.csv of each job)."""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from patientflow.core.statistics import level_range, mean_ci
from patientflow.report.first_page import fmt_value
from patientflow.report.jobs import Job, read_table
from patientflow.report.labels import EN, Labels

# indicator in replications.csv (roaz.<region>.<indicator>); also its label key where one exists
REGION_INDICATORS = (
    "a1_share_on_scene_15min",
    "a2_share_on_scene_30min",
    "share_seh_triage_10min",
    "share_urgent_answered_30s",
    "seh_los_min_p90",
)


@dataclass
class RegionTable:
    """One region's table: its code and name, one row per job."""

    code: str
    name: str
    table: pd.DataFrame


def _replications(job: Job) -> pd.DataFrame:
    path = job.path / "replications.csv"
    if job.status != "complete" or not path.is_file():
        return pd.DataFrame()
    return read_table(path)


def _static(job: Job) -> pd.DataFrame:
    path = job.path / "regions.csv"
    if job.status != "complete" or not path.is_file():
        return pd.DataFrame()
    regions = read_table(path)
    return regions[regions["level"] == "roaz"].set_index("region")


def region_tables(jobs: list[Job], labels: dict[str, str], tr: Labels = EN) -> list[RegionTable]:
    """Per ROAZ region with simulated patients in any job, a row per job: each indicator's mean
    [95 % interval] over the job's replications, and the inhabitants beyond the norm."""
    rows: dict[str, list[dict]] = {}
    names: dict[str, str] = {}
    for job in jobs:
        reps = _replications(job)
        static = _static(job)
        codes = sorted({c.split(".")[1] for c in reps.columns if c.startswith("roaz.")})
        for code in codes:
            row = {tr("col_scenario"): labels.get(job.path.name, job.path.name)}
            for key in REGION_INDICATORS:
                col = f"roaz.{code}.{key}"
                if col not in reps or reps[col].isna().all():
                    continue
                ci = mean_ci(reps[col].dropna(), within=level_range(key))
                share = "share" in key
                value = fmt_value(ci["mean"], share)
                if ci["ci_low"] is not None:
                    low, high = fmt_value(ci["ci_low"], share), fmt_value(ci["ci_high"], share)
                    value += f" [{low}, {high}]"
                row[tr.name(key)] = value
            if code in static.index:
                names[code] = str(static.at[code, "name"])
                beyond = static.at[code, "population_beyond_norm"]
                row[tr("population_beyond_norm")] = f"{beyond:,.0f}" if pd.notna(beyond) else "–"
            rows.setdefault(code, []).append(row)
    return [
        RegionTable(code, names.get(code, code), pd.DataFrame(rows[code])) for code in sorted(rows)
    ]
