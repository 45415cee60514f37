"""The norms a sweep's jobs breach per ROAZ region: each indicator whose mean over the
replications falls below its norm (or, for a norm that caps a share, rises above it), with its
interval and the paired change against the baseline."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd

from patientflow.core.statistics import mean_ci
from patientflow.report.jobs import Job, read_table

# Norms per ROAZ region (shared/domain-facts.md, "Norms the indicators must report against"):
# indicator, the share that must be reached, the norm's wording.
Values = Sequence[float] | np.ndarray  # one value per replication
NORMS = (
    ("a1_share_on_scene_15min", 0.95, "A1: 95 % on scene within 15 min"),
    ("a2_share_on_scene_30min", 0.95, "A2: 95 % on scene within 30 min"),
    ("share_urgent_answered_30s", 0.90, "GP post: 90 % of urgent calls answered within 30 s"),
    ("share_other_answered_2min", 0.75, "GP post: 75 % of other calls answered within 2 min"),
)
# Norms that cap a share (the same shape): breached when the mean is above.
AT_MOST_NORMS = (
    (
        "share_other_waiting_over_10min",
        0.02,
        "GP post: at most 2 % of other calls waiting over 10 min",
    ),
)


def _norm_of(key: str) -> tuple[float, str, bool] | None:
    """An indicator's norm: the share, its wording, and whether it caps the share."""
    for norms, caps in ((NORMS, False), (AT_MOST_NORMS, True)):
        for name, share, wording in norms:
            if name == key:
                return share, wording, caps
    return None


def _misses(mean: float, norm: float, caps: bool) -> bool:
    return mean > norm if caps else mean < norm


def _per_region_replications(job: Job | None) -> pd.DataFrame:
    """A job's replications.csv (one row per replication, `roaz.<region>.<indicator>` columns),
    or an empty frame."""
    if job is None:
        return pd.DataFrame()
    path = job.path / "replications.csv"
    if job.status != "complete" or not path.is_file():
        return pd.DataFrame()
    return read_table(path)


def _clipped_ci(values: np.ndarray) -> tuple[float, float | None, float | None]:
    """Mean of a share over replications and its 95 % t interval, kept inside [0, 1]."""
    ci = mean_ci(pd.Series(values), within=(0.0, 1.0))
    return ci["mean"], ci["ci_low"], ci["ci_high"]


def norm_breaches(jobs: list[Job], base: Job | None) -> pd.DataFrame:
    """Per job and ROAZ region, every indicator whose mean over the replications misses its
    norm (below a floor, above a cap): the mean with its 95 % interval, the norm, by how much
    it misses, the baseline job's mean in that region and the paired change against it (same
    seeds and replications) with its interval. A job without replications.csv falls back to
    its summary (first replication, no intervals)."""
    ref = _per_region_replications(base)
    rows = []
    for job in jobs:
        reps = _per_region_replications(job)
        if reps.empty:
            rows.extend(_breaches_of_first_replication(job, base))
            continue
        keys = ["seed", "replication"] if "seed" in reps and "seed" in ref else ["replication"]
        for col in reps.columns:
            parts = col.split(".")
            if len(parts) != 3 or parts[0] != "roaz":
                continue
            _, region, key = parts
            match = _norm_of(key)
            if match is None:
                continue
            values = reps[col].dropna().to_numpy(dtype=float)
            if len(values) == 0 or not _misses(float(values.mean()), match[0], match[2]):
                continue
            paired = None
            if not ref.empty and col in ref and job is not base:
                both = ref[[*keys, col]].merge(reps[[*keys, col]], on=keys, suffixes=("_b", ""))
                paired = (both[col] - both[f"{col}_b"]).dropna().to_numpy(dtype=float)
            base_values = ref[col].dropna().to_numpy(dtype=float) if col in ref else None
            rows.append(_breach(job, region, key, match, values, base_values, paired))
    return pd.DataFrame(rows)


def _per_roaz_summary(job: Job | None) -> dict:
    return (((job.summary or {}).get("acute") or {}).get("per_roaz") or {}) if job else {}


def _breaches_of_first_replication(job: Job, base: Job | None) -> list[dict]:
    """Breaches from a summary alone (its first replication): no intervals."""
    reference = _per_roaz_summary(base)
    rows = []
    for region, ind in _per_roaz_summary(job).items():
        for key, *_ in (*NORMS, *AT_MOST_NORMS):
            value, norm = ind.get(key), _norm_of(key)
            if value is None or norm is None or not _misses(value, norm[0], norm[2]):
                continue
            before = (reference.get(region) or {}).get(key)
            base_values = None if before is None else [before]
            paired = None if before is None or job is base else [value - before]
            rows.append(_breach(job, region, key, norm, [value], base_values, paired))
    return rows


def _breach(
    job: Job,
    region: str,
    key: str,
    norm_of: tuple[float, str, bool],
    values: Values,
    base_values: Values | None,
    paired: Values | None = None,
) -> dict:
    norm, wording, caps = norm_of
    mean, low, high = _clipped_ci(np.asarray(values, dtype=float))
    row: dict[str, Any] = {
        "job": job.path.name,
        "region": region,
        "indicator": key,
        "norm": wording,
        "replications": len(values),
        "value": round(mean, 4),
        "ci_low": None if low is None else round(low, 4),
        "ci_high": None if high is None else round(high, 4),
        # how far the mean misses the norm, in the share's points (above a cap, below a floor)
        "short_of_norm": round(mean - norm if caps else norm - mean, 4),
        "baseline_value": None,
        "change_vs_baseline": None,
        "change_ci_low": None,
        "change_ci_high": None,
    }
    if base_values is not None and len(base_values):
        row["baseline_value"] = round(float(np.mean(base_values)), 4)
    if paired is not None and len(paired):
        ci = mean_ci(pd.Series(paired))
        row["change_vs_baseline"] = round(ci["mean"], 4)
        if ci["ci_low"] is not None:
            row["change_ci_low"] = round(ci["ci_low"], 4)
            row["change_ci_high"] = round(ci["ci_high"], 4)
    return row
