"""Aggregate a sweep's jobs (read by report/jobs.py): one row per job with its swept values
and indicators, the baseline, paired differences over common replications, and the regional
and hardest-hit tables."""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
from scipy import stats

from patientflow.errors import PatientflowError
from patientflow.report.jobs import Job, read_table

SUMMARY_BLOCKS = (
    ("indicators", ("share_beyond_norm", "population_beyond_norm")),
    ("indicators.travel_minutes.ambulance_min_to_seh", ("mean", "p95", "max")),
    ("acute.national", None),
    ("acute.replications.national", None),
    ("care", None),
    ("care_impact", None),
)


HEADLINE = (
    "indicators.share_beyond_norm",
    "indicators.travel_minutes.ambulance_min_to_seh.mean",
    "indicators.travel_minutes.ambulance_min_to_seh.p95",
    "acute.national.a1_share_on_scene_15min",
    "acute.national.share_seh_triage_10min",
    "acute.national.share_urgent_answered_30s",
    "acute.national.seh_los_min_p90",
    "acute.national.a1_a2_share_at_seh_within_norm",
)


def headline_columns(table: pd.DataFrame) -> list[str]:
    """The headline indicators present, then the care study's per-intervention numbers."""
    cols = [c for c in HEADLINE if c in table.columns]
    cols += [
        c
        for c in table.columns
        if c.startswith("care.") and c.endswith(("providers_new", "extra_travel_min_mean"))
    ]
    return cols


def _flatten(d: object, prefix: str) -> dict[str, float]:
    out: dict[str, float] = {}
    if isinstance(d, dict):
        for k, v in d.items():
            out.update(_flatten(v, f"{prefix}.{k}" if prefix else str(k)))
    elif isinstance(d, int | float) and not isinstance(d, bool):
        out[prefix] = float(d)
    return out


def indicators(summary: dict) -> dict[str, float]:
    """The headline numbers of one run's summary.json, flattened."""
    row: dict[str, float] = {}
    for block, keys in SUMMARY_BLOCKS:
        node: Any = summary
        for part in block.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if not node:
            continue
        if keys:
            node = {k: node[k] for k in keys if k in node}
        row.update(_flatten(node, block))
    return row


def site_towns(jobs: list[Job]) -> dict[str, str]:
    """Each site's town as the jobs' own networks had it (their network_sites.csv), for the
    labels that name a closed or receiving hospital: a user's sites table, not the embedded one."""
    towns: dict[str, str] = {}
    for job in jobs:
        path = job.path / "network_sites.csv"
        if job.status != "complete" or not path.is_file():
            continue
        sites = read_table(path, ["site_id", "town"]).astype(str)
        for site, town in zip(sites["site_id"], sites["town"], strict=True):
            towns.setdefault(site, town)
    return towns


def short_names(keys: list[str]) -> dict[str, str]:
    """Each dotted key by its shortest tail that no other key shares (`norm_proposed`, but
    `lung_resection.norm_proposed` beside `pancreas_resection.norm_proposed`)."""
    out = {}
    for key in keys:
        parts = key.split(".")
        for n in range(1, len(parts) + 1):
            tail = ".".join(parts[-n:])
            if not any(o != key and (o == tail or o.endswith("." + tail)) for o in keys):
                break
        out[key] = tail
    return out


def job_labels(jobs: list[Job]) -> dict[str, str]:
    """What each job changes, for tables and figures: its values of the overrides that differ
    between the jobs (`scenario=zcc_2025`), each named by the shortest tail of its key that
    tells it apart; the folder name where none differ."""
    keys = sorted({k for j in jobs for k in j.overrides})
    differing = [k for k in keys if len({j.overrides.get(k) for j in jobs}) > 1]
    name = short_names(differing)
    return {
        j.path.name: ", ".join(f"{name[k]}={j.overrides[k]}" for k in differing if k in j.overrides)
        or j.path.name
        for j in jobs
    }


def comparison(jobs: list[Job]) -> pd.DataFrame:
    """One row per job: folder, what it changes, status, swept values, indicators."""
    labels = job_labels(jobs)
    rows = []
    for job in jobs:
        row: dict[str, Any] = {
            "job": job.path.name,
            "label": labels[job.path.name],
            "folder": str(job.path),
            "status": job.status,
            "error": job.error,
        }
        if job.summary:
            row["seed"] = seed_of(job)
            row["norm_min"] = job.summary.get("norm_min")
        row.update({f"override.{k}": v for k, v in job.overrides.items()})
        if job.summary:
            row.update(indicators(job.summary))
        rows.append(row)
    return pd.DataFrame(rows)


def swept_columns(table: pd.DataFrame) -> list[str]:
    """Override columns whose value differs between jobs."""
    return [c for c in table.columns if c.startswith("override.") and table[c].nunique() > 1]


class UnknownBaseline(PatientflowError):
    """--baseline names no complete job of the sweep."""


def pick_baseline(jobs: list[Job], baseline: str | None) -> Job | None:
    """The named job folder, else the first complete job whose overrides name a baseline,
    else the first complete job. A named job that is not complete is an error."""
    complete = [j for j in jobs if j.status == "complete"]
    if baseline:
        found = next((j for j in jobs if j.path.name == baseline), None)
        if found is None or found.status != "complete":
            names = ", ".join(j.path.name for j in complete) or "none"
            state = "is not a job of this sweep" if found is None else f"is {found.status}"
            raise UnknownBaseline(f"--baseline {baseline} {state}; complete jobs: {names}")
        return found
    named = [
        j for j in complete if any("baseline" in v or v == "current" for v in j.overrides.values())
    ]
    candidates = named or complete
    return candidates[0] if candidates else None


def seed_of(job: Job) -> int | None:
    """The `sim.seed` a complete job ran with (None when its summary does not say)."""
    if not job.summary:
        return None
    seed = job.summary.get("seed")
    if seed is None:
        seed = (job.summary.get("acute") or {}).get("seed")
    return None if seed is None else int(seed)


def seed_mismatches(jobs: list[Job], base: Job) -> list[str]:
    """One message per complete job whose seed differs from the baseline's: such a pair shares
    no patients, so a paired difference would compare noise with noise."""
    want = seed_of(base)
    out = []
    for job in jobs:
        if job is base or job.status != "complete":
            continue
        got = seed_of(job)
        if got != want:
            out.append(
                f"job {job.path.name} (sim.seed={got}) is not paired with the baseline "
                f"{base.path.name} (sim.seed={want}): paired differences need the same seed"
            )
    return out


def paired_differences(jobs: list[Job], base: Job) -> pd.DataFrame:
    """Per job and national indicator: mean difference to the baseline over the replications
    both ran (same seeds: common random numbers) with a 95 % t interval. Jobs whose seed
    differs from the baseline's are refused (see `seed_mismatches`)."""
    ref_path = base.path / "replications.csv"
    if not ref_path.is_file():
        return pd.DataFrame()
    ref = read_table(ref_path)
    labels = job_labels(jobs)
    rows = []
    for job in jobs:
        path = job.path / "replications.csv"
        if job is base or job.status != "complete" or not path.is_file():
            continue
        if seed_of(job) != seed_of(base):
            continue
        other = read_table(path)
        keys = ["seed", "replication"] if "seed" in ref and "seed" in other else ["replication"]
        both = ref.merge(other, on=keys, suffixes=("_base", ""))
        for col in [c for c in other.columns if c.startswith("national.")]:
            if f"{col}_base" not in both:
                continue
            d = (both[col] - both[f"{col}_base"]).dropna().to_numpy(dtype=float)
            if len(d) == 0:
                continue
            mean = float(d.mean())
            half = (
                float(stats.t.ppf(0.975, len(d) - 1) * d.std(ddof=1) / np.sqrt(len(d)))
                if len(d) > 1
                else np.nan
            )
            rows.append(
                {
                    "job": job.path.name,
                    "label": labels[job.path.name],
                    "baseline": base.path.name,
                    "baseline_label": labels[base.path.name],
                    "indicator": col.removeprefix("national."),
                    "replications": len(d),
                    "difference": mean,
                    "ci_low": mean - half,
                    "ci_high": mean + half,
                }
            )
    return pd.DataFrame(rows)


def hardest_hit(jobs: list[Job], base: Job, top: int = 10) -> pd.DataFrame:
    """Per job, the municipalities whose travel to a 24/7 SEH grows most against the baseline
    (ambulance minutes from the call, car minutes), with their 65+ share. Municipalities are
    matched by code alone; the inhabitants and 65+ share are the job's own (a job of another
    `demand.year` has other ones)."""
    ref_path = base.path / "accessibility.parquet"
    if not ref_path.is_file():
        return pd.DataFrame()
    cols = [
        "municipality_code",
        "name",
        "population",
        "share_65plus",
        "ambulance_min_to_seh",
        "car_min_seh_247",
        "population_beyond_norm",
    ]
    travel = ["municipality_code", *cols[4:]]
    ref = read_table(ref_path, cols)[travel]
    rows = []
    for job in jobs:
        path = job.path / "accessibility.parquet"
        if job is base or job.status != "complete" or not path.is_file():
            continue
        new = read_table(path, cols)
        m = ref.merge(new, on="municipality_code", suffixes=("_base", ""))
        m["extra_ambulance_min"] = m["ambulance_min_to_seh"] - m["ambulance_min_to_seh_base"]
        m["extra_car_min"] = m["car_min_seh_247"] - m["car_min_seh_247_base"]
        m["extra_beyond_norm"] = m["population_beyond_norm"] - m["population_beyond_norm_base"]
        hit = m[m["extra_ambulance_min"] > 1e-9].nlargest(top, "extra_ambulance_min")
        hit = hit.assign(job=job.path.name)
        rows.append(
            hit[
                [
                    "job",
                    "municipality_code",
                    "name",
                    "population",
                    "share_65plus",
                    "ambulance_min_to_seh_base",
                    "ambulance_min_to_seh",
                    "extra_ambulance_min",
                    "extra_car_min",
                    "extra_beyond_norm",
                ]
            ]
        )
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()


ACUTE_REGION_INDICATORS = (
    "a1_share_on_scene_15min",
    "share_seh_triage_10min",
    "share_urgent_answered_30s",
    "seh_los_min_p90",
)


def acute_regions_side_by_side(jobs: list[Job]) -> pd.DataFrame:
    """Per ROAZ region and complete job, the acute indicators' means over the job's
    replications (replications.csv; `replications` says how many). It held the first
    replication's values (summary.json) without saying so."""
    rows = []
    for job in jobs:
        path = job.path / "replications.csv"
        if job.status != "complete" or not path.is_file():
            continue
        reps = read_table(path)
        codes = sorted({c.split(".")[1] for c in reps.columns if c.startswith("roaz.")})
        for code in codes:
            row: dict = {"job": job.path.name, "region": code, "replications": len(reps)}
            for k in ACUTE_REGION_INDICATORS:
                col = f"roaz.{code}.{k}"
                row[k] = float(reps[col].mean()) if col in reps else None
            rows.append(row)
    return pd.DataFrame(rows)


def care_networks_side_by_side(jobs: list[Job]) -> pd.DataFrame:
    """Per job, intervention and cancer network: today's and the new number of providers, the
    smallest new volume, and the patients' extra travel (care_providers.csv, care_paired.csv)."""
    frames = []
    for job in jobs:
        prov_path, paired_path = job.path / "care_providers.csv", job.path / "care_paired.csv"
        if job.status != "complete" or not prov_path.is_file() or not paired_path.is_file():
            continue
        prov = read_table(prov_path)
        counts = prov.groupby(["intervention", "network"]).agg(
            providers_current=("provider_current", "sum"),
            providers_new=("provider_new", "sum"),
        )
        smallest = (
            prov[prov["provider_new"]].groupby(["intervention", "network"])["volume_new"].min()
        )
        counts["smallest_volume_new"] = smallest
        paired = read_table(paired_path).rename(columns={"region": "network"})
        keep = ["intervention", "network", "patients", "extra_travel_min_mean", "share_moved"]
        merged = paired[keep].merge(
            counts.reset_index(), on=["intervention", "network"], how="left"
        )
        frames.append(merged.assign(job=job.path.name))
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def regions_side_by_side(jobs: list[Job], base: Job, level: str = "roaz") -> pd.DataFrame:
    """The regional picture (regions.csv) of every job next to the baseline's, per region."""
    keep = [
        "region",
        "name",
        "population_beyond_norm",
        "ambulance_min_to_seh_mean",
        "ambulance_min_to_seh_p95",
    ]
    frames = []
    for job in jobs:
        path = job.path / "regions.csv"
        if job.status != "complete" or not path.is_file():
            continue
        r = read_table(path)
        r = r[r["level"] == level][keep].assign(job=job.path.name, baseline=job is base)
        frames.append(r)
    return pd.concat(frames, ignore_index=True) if frames else pd.DataFrame()


def load_shift(jobs: list[Job], base: Job, top: int = 5) -> pd.DataFrame:
    """Per job, the 24/7 SEHs whose ambulance catchment (inhabitants for whom it is the
    nearest) grows most against the baseline: the load a closure puts on its neighbours. Both
    catchments count the job's own inhabitants per demand point, so a job of another
    `demand.year` shows what its network moves, not its population's growth (a 2035 job
    without a closure read Rotterdam +29,370); a job on other demand points than the
    baseline's compares whole catchments."""
    ref_path = base.path / "accessibility_points.parquet"
    if not ref_path.is_file():
        return pd.DataFrame()
    cols = ["point_id", "ambulance_seh_site_id", "population"]
    ref = read_table(ref_path, cols).set_index("point_id")
    rows = []
    for job in jobs:
        path = job.path / "accessibility_points.parquet"
        if job is base or job.status != "complete" or not path.is_file():
            continue
        new = read_table(path, cols).set_index("point_id")
        if set(new.index) == set(ref.index):
            site_base = ref["ambulance_seh_site_id"].reindex(new.index)
            before = new["population"].groupby(site_base).sum()
        else:
            before = ref.groupby("ambulance_seh_site_id")["population"].sum()
        after = new.groupby("ambulance_seh_site_id")["population"].sum()
        both = pd.concat([before.rename("catchment_base"), after.rename("catchment")], axis=1)
        both = both.fillna(0.0)
        both["extra_inhabitants"] = both["catchment"] - both["catchment_base"]
        gain = both[both["extra_inhabitants"] > 0].nlargest(top, "extra_inhabitants")
        rows.append(gain.rename_axis("site_id").reset_index().assign(job=job.path.name))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
