"""Aggregate a sweep: one row per job with its swept values and indicators, failed and missing
jobs listed (never fatal), and paired differences against a baseline job over common
replications."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd
import yaml
from scipy import stats

from patientflow.errors import PatientflowError

SUMMARY_BLOCKS = (
    ("indicators", ("share_beyond_norm", "population_beyond_norm")),
    ("indicators.travel_minutes.ambulance_min_to_seh", ("mean", "p95", "max")),
    ("acute.national", None),
    ("acute.replications.national", None),
    ("care", None),
)


@dataclass
class Job:
    """One job folder of a sweep."""

    path: Path
    status: str
    overrides: dict[str, str]
    summary: dict | None
    error: str


COMPLETE = "complete"
FAILED = "failed"
NEVER_STARTED = "never started"
UNREADABLE = "unreadable"
INCOMPLETE = "incomplete"
STALE = "stale"


def find_jobs(root: Path) -> list[Job]:
    """Every job of the sweep (or the run) at `root`, with its state: every folder with a
    Hydra config (`.hydra/`) or our `config.yaml`, and every job the sweep's own list expects
    that has no folder (never started). A bad folder is a state, never an exception."""
    folders = sorted(
        {p.parent.parent for p in root.rglob(".hydra/config.yaml")}
        | {p.parent for p in root.rglob("config.yaml") if p.parent.name != ".hydra"}
    )
    jobs = [read_job(f) for f in folders if f != root or not (root / "multirun.yaml").is_file()]
    expected = expected_jobs(root)
    if expected is not None:
        present = {j.path.name for j in jobs}
        for num in range(expected):
            if str(num) not in present:
                jobs.append(
                    Job(root / str(num), NEVER_STARTED, {}, None, "no folder: the job never ran")
                )
    return sorted(jobs, key=lambda j: (len(j.path.name), j.path.name))


def read_job(folder: Path) -> Job:
    """One job folder and its state: complete, failed (its error), unreadable (a summary.json
    that is not JSON), stale (its results ran with other overrides than the folder now names),
    or incomplete (interrupted)."""
    error_path = folder / "error.txt"
    error = _last_line(error_path)
    refused = _last_line(folder / "refused.txt")
    overrides = read_overrides(folder)
    summary_path = folder / "summary.json"
    if summary_path.is_file():
        try:
            summary = json.loads(summary_path.read_text(encoding="utf-8"))
            if not isinstance(summary, dict):
                raise ValueError("not a JSON object")
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            return Job(folder, UNREADABLE, overrides, None, f"summary.json: {exc}")
        ran = summary.get("overrides")
        if ran is not None:
            ran_as = _as_dict(ran)
            if overrides and ran_as != overrides:
                why = refused or f"its results ran with {sorted(ran)}"
                return Job(folder, STALE, ran_as, None, why)
            overrides = ran_as
        return Job(folder, COMPLETE, overrides, summary, "")
    if error_path.is_file():
        return Job(folder, FAILED, overrides, None, error)
    return Job(folder, INCOMPLETE, overrides, None, "no summary.json: interrupted or running")


def expected_jobs(root: Path) -> int | None:
    """How many jobs the sweep at `root` launched, from its own multirun.yaml (None when the
    folder is not a sweep or its list cannot be counted)."""
    path = root / "multirun.yaml"
    if not path.is_file():
        return None
    try:
        from omegaconf import OmegaConf

        from patientflow.report.callback import sweep_size

        return sweep_size(OmegaConf.load(path))
    except Exception:  # noqa: BLE001 - an unreadable sweep list: report what is there
        return None


class UnreadableTable(PatientflowError):
    """A job's table that cannot be read (truncated, not a table, columns missing)."""


def read_table(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """A job's CSV or parquet table; UnreadableTable (naming the file) when it is broken."""
    try:
        if path.suffix == ".parquet":
            return pd.read_parquet(path, columns=columns)
        frame = pd.read_csv(path)
        return frame[columns] if columns else frame
    except Exception as exc:  # noqa: BLE001 - any broken file is reported as that file
        raise UnreadableTable(f"{path}: cannot be read ({type(exc).__name__}: {exc})") from exc


def _last_line(path: Path) -> str:
    if not path.is_file():
        return ""
    lines = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return lines[-1] if lines else ""


def _as_dict(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        key, _, value = str(item).lstrip("+~").partition("=")
        if not key.startswith("hydra."):
            out[key] = value
    return out


def read_overrides(folder: Path) -> dict[str, str]:
    """The job's command-line overrides (Hydra's overrides.yaml), hydra.* left out."""
    path = folder / ".hydra" / "overrides.yaml"
    if not path.is_file():
        return {}
    try:
        items = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    except (OSError, UnicodeDecodeError, yaml.YAMLError):
        return {}
    return _as_dict(items if isinstance(items, list) else [])


def _flatten(d, prefix: str) -> dict[str, float]:
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
        node = summary
        for part in block.split("."):
            node = node.get(part) if isinstance(node, dict) else None
        if not node:
            continue
        if keys:
            node = {k: node[k] for k in keys if k in node}
        row.update(_flatten(node, block))
    return row


def comparison(jobs: list[Job]) -> pd.DataFrame:
    """One row per job: folder, status, swept values, indicators."""
    rows = []
    for job in jobs:
        row = {
            "job": job.path.name,
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
    return (named or complete or [None])[0]


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
                    "baseline": base.path.name,
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
    (ambulance minutes from the call, car minutes), with their 65+ share."""
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
    ref = read_table(ref_path, cols)
    rows = []
    for job in jobs:
        path = job.path / "accessibility.parquet"
        if job is base or job.status != "complete" or not path.is_file():
            continue
        new = read_table(path, cols)
        m = ref.merge(
            new,
            on=["municipality_code", "name", "population", "share_65plus"],
            suffixes=("_base", ""),
        )
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
    """Per ROAZ region and job, the acute indicators of summary.json (first replication)."""
    rows = []
    for job in jobs:
        per = ((job.summary or {}).get("acute") or {}).get("per_roaz") or {}
        for region, ind in per.items():
            rows.append(
                {
                    "job": job.path.name,
                    "region": region,
                    **{k: ind.get(k) for k in ACUTE_REGION_INDICATORS},
                }
            )
    return pd.DataFrame(rows)


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
    nearest) grows most against the baseline: the load a closure puts on its neighbours."""
    ref_path = base.path / "accessibility_points.parquet"
    if not ref_path.is_file():
        return pd.DataFrame()
    cols = ["ambulance_seh_site_id", "population"]
    ref = read_table(ref_path, cols).groupby("ambulance_seh_site_id")["population"]
    ref = ref.sum()
    rows = []
    for job in jobs:
        path = job.path / "accessibility_points.parquet"
        if job is base or job.status != "complete" or not path.is_file():
            continue
        new = read_table(path, cols).groupby("ambulance_seh_site_id")["population"]
        both = pd.concat([ref.rename("catchment_base"), new.sum().rename("catchment")], axis=1)
        both = both.fillna(0.0)
        both["extra_inhabitants"] = both["catchment"] - both["catchment_base"]
        gain = both[both["extra_inhabitants"] > 0].nlargest(top, "extra_inhabitants")
        rows.append(gain.rename_axis("site_id").reset_index().assign(job=job.path.name))
    return pd.concat(rows, ignore_index=True) if rows else pd.DataFrame()
