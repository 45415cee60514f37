"""Benchmark: the SEH sensitivity study (each 24/7 SEH closed in turn, national acute
simulation) simulated whole against simulated only where a closure reaches (`sim.delta`), in
one invocation, on one core.

1. For every closure of experiments/seh_sensitivity_acute.yaml: the area it reaches (share of
   inhabitants simulated, municipalities measured), from the worlds alone.
2. Error, for a sample of closures spread over that share (`--sample`): full national runs
   against delta runs, `--replications` each, same seeds; per indicator, nationally and in the
   closed SEH's ROAZ region: the full runs' mean and 95 % interval, the delta runs' mean,
   whether it sits inside the interval, and both estimates of the closure's effect against the
   baseline (job 0).
3. Speed-up of the whole study: every delta job of the study timed (one replication), with the
   baseline it shares, against the full job's time (median of the sample's full jobs, per
   replication) times the study's jobs.

    python benchmarks/delta_study.py                       # 28 days, 3 replications, 4 closures
    python benchmarks/delta_study.py --days 14 --sample 2 --out benchmarks/results/x.md

Not part of the test suite; run it on purpose on a quiet machine (about 45 minutes).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
INDICATORS = (
    "a1_share_on_scene_15min",
    "a1_response_min_p95",
    "share_seh_triage_10min",
    "seh_los_min_p90",
    "share_urgent_answered_30s",
    "call_answer_min_p90",
)
TARGET_SPEEDUP = 5.0


def closures() -> list[str]:
    """The study's closed sites, from its experiment file (job 0, the baseline, left out)."""
    text = (ROOT / "experiments" / "seh_sensitivity_acute.yaml").read_text(encoding="utf-8")
    return re.findall(r"\[(H\d+)\]", text)


def overrides(args: argparse.Namespace, site: str | None, delta: bool, reps: int) -> list:
    days, warmup = args.days, args.warmup
    return [
        f"sim.delta_rank={args.rank}",
        "region=nl",
        f"sim.days={days}",
        f"sim.warmup_days={warmup}",
        f"sim.replications={reps}",
        "sim.progress=false",
        "report.figures=false",
        f"sim.delta={str(delta).lower()}",
        f"network.closed_sites=[{site or ''}]",
    ]


def job(args: argparse.Namespace, tmp: Path, site: str | None, delta: bool, reps: int) -> dict:
    """One job exactly as the sweep runs it (compose excluded): wall seconds and results."""
    import patientflow

    name = f"{'delta' if delta else 'full'}_{site or 'baseline'}_{reps}"
    cfg = patientflow.compose(overrides(args, site, delta, reps))
    cfg.sim.delta_dir = str(tmp / "delta_baseline")
    started = time.perf_counter()
    result = patientflow.run(cfg, tmp / name)
    wall = time.perf_counter() - started
    reps_table = pd.read_csv(tmp / name / "replications.csv")
    acute = result.summary["acute"]
    return {"wall_s": wall, "table": reps_table, "delta": acute.get("delta"), "site": site}


def areas(args: argparse.Namespace, sites: list[str], sets: bool = False) -> pd.DataFrame:
    """Each closure's delta area, from the worlds (no simulation); with `sets` also the core's
    and the simulated municipalities themselves (columns core_set, simulated_set)."""
    import patientflow
    from patientflow.acute.delta import baseline_network, changed_sites, delta_area
    from patientflow.acute.world import build_world
    from patientflow.core.area import study_area
    from patientflow.core.network import build_network
    from patientflow.runner import as_run_config, load_run_data, run_travel_model

    run, _ = as_run_config(patientflow.compose(overrides(args, None, True, 1)))
    data = load_run_data(run)
    area = study_area(data, run)
    travel = run_travel_model(run, data)
    base = build_world(data, area, build_network(data, run.network), travel, run)
    roaz_of = data.municipalities.set_index("municipality_code")["roaz_code"]
    roaz = data.sites.set_index("site_id")["municipality_code"].map(roaz_of)
    pop = base.municipalities.set_index("municipality_code")["population"].astype(float)
    rows = []
    for site in sites:
        net = baseline_network(run.network)
        net.closed_sites = [site]
        world = build_world(data, area, build_network(data, net), travel, run)
        a = delta_area(
            base,
            world,
            changed_sites(net, baseline_network(net)),
            run.sim.delta_rank,
            run.scenario.zcc.enabled,
            run.facilities.ambulance.mutual_aid_min,
        )
        rows.append(
            {
                "site": site,
                "roaz": roaz[site],
                "share": a.population_share,
                # The core's journeys can change: an exact method simulates them at least.
                "measured_share": float(pop[list(a.core)].sum() / pop.sum()),
                "measured": len(a.core),
                "simulated": len(a.simulated),
                **({"core_set": a.core, "simulated_set": a.simulated} if sets else {}),
            }
        )
    return pd.DataFrame(rows)


def interval(values: pd.Series) -> tuple[float, float]:
    from patientflow.core.statistics import mean_ci

    ci = mean_ci(values)
    half = (ci["ci_high"] - ci["mean"]) if ci["ci_high"] is not None else float("nan")
    return ci["mean"], half


def compare(full: dict, delta: dict, full0: dict, delta0: dict, col: str) -> dict:
    """One indicator, full against delta jobs (job() results): the full runs' mean and 95 %
    half-width, the delta mean and whether it lies inside (never when the interval is
    undefined), and each estimate of the effect against its baseline job."""
    fm, half = interval(full["table"][col])
    dm = float(delta["table"][col].mean())
    return {
        "full": fm,
        "half": half,
        "delta": dm,
        "inside": bool(abs(dm - fm) <= half),
        "effect_full": fm - float(full0["table"][col].mean()),
        "effect_delta": dm - float(delta0["table"][col].mean()),
    }


def cells(row: dict) -> str:
    """A compare() row as the last cells of a Markdown table row."""
    return (
        f"{row['full']:.4g} ± {row['half']:.2g} | {row['delta']:.4g} | "
        f"{'yes' if row['inside'] else 'NO'} | {row['effect_full']:+.3g} | "
        f"{row['effect_delta']:+.3g} |"
    )


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--days", type=float, default=28.0)
    p.add_argument("--warmup", type=float, default=1.0)
    p.add_argument("--replications", type=int, default=3)
    p.add_argument("--sample", type=int, default=4)
    p.add_argument(
        "--study-jobs",
        type=int,
        default=0,
        help="delta jobs timed, spread over the reached share (0: all)",
    )
    p.add_argument("--core", type=int, default=0)
    p.add_argument("--rank", type=int, default=2, help="sim.delta_rank")
    p.add_argument("--areas-only", action="store_true", help="the areas' shares, no runs")
    p.add_argument("--out", type=Path, default=ROOT / "benchmarks/results/delta_study.md")
    args = p.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.core})
    sites = closures()
    started = time.perf_counter()
    area = areas(args, sites).sort_values("share").reset_index(drop=True)
    print(f"areas of {len(sites)} closures in {time.perf_counter() - started:.0f} s", flush=True)
    if args.areas_only:
        print(area.describe().to_string())
        print(area.to_string())
        return
    at = [round(q * (len(area) - 1)) for q in (0.1, 0.4, 0.7, 0.95)[: args.sample]]
    sample = list(area.loc[at, "site"])
    out: dict = {"sample": {}, "study": {}}
    with tempfile.TemporaryDirectory() as t:
        tmp = Path(t)
        # Job 0 of both studies: the full baseline, and the delta baseline (which makes the
        # shared baseline runs, one per replication).
        full0 = job(args, tmp, None, False, args.replications)
        delta0 = job(args, tmp, None, True, args.replications)
        print(
            f"baselines: full {full0['wall_s']:.0f} s, delta {delta0['wall_s']:.0f} s", flush=True
        )
        for site in sample:
            full = job(args, tmp, site, False, args.replications)
            delta = job(args, tmp, site, True, args.replications)
            out["sample"][site] = (full, delta)
            print(f"{site}: full {full['wall_s']:.0f} s, delta {delta['wall_s']:.0f} s", flush=True)
        # The whole study's delta jobs, one replication each, sharing replication 0's baseline;
        # a sample of them spread evenly over the reached share (`area` is sorted by it).
        spread = np.linspace(0, len(area) - 1, args.study_jobs or len(area)).round().astype(int)
        timed = sites if not args.study_jobs else list(area.loc[np.unique(spread), "site"])
        study: dict[str, float] = {}
        for i, site in enumerate(timed):
            study[site] = job(args, tmp, site, True, 1)["wall_s"]
            print(f"study {i + 1}/{len(timed)} {site}: {study[site]:.1f} s", flush=True)
        # Full jobs of one replication, like for like with the study's delta jobs.
        full_one = [
            job(args, tmp, site, False, 1)["wall_s"]
            for site in timed[:: max(1, len(timed) // 3)][:3]
        ]
        print(f"full jobs of one replication: {[round(x, 1) for x in full_one]}", flush=True)
    base_rep = delta0["wall_s"] / args.replications
    full_per_rep = statistics.median(full_one)
    report = write(args, area, sample, out, full0, delta0, full_per_rep, base_rep, study, sites)
    args.out.write_text(report, encoding="utf-8")
    print(report)


def write(args, area, sample, out, full0, delta0, full_per_rep, base_rep, study, sites) -> str:
    """The results as Markdown (and a JSON twin beside it)."""
    lines = [
        "# SEH sensitivity study: full national runs against delta simulation",
        "",
        f"`python benchmarks/delta_study.py --days {args.days:g} --warmup {args.warmup:g} "
        f"--replications {args.replications} --sample {args.sample}` at commit "
        f"{_commit()}, {platform.python_version()}, {platform.processor() or platform.machine()},"
        f" one core; national, PC4 points, sim.delta_rank {args.rank}.",
        "",
        "## The areas closures reach",
        "",
        f"{len(area)} closures; share of inhabitants simulated: median "
        f"{area['share'].median():.1%}, mean {area['share'].mean():.1%}, range "
        f"{area['share'].min():.1%}-{area['share'].max():.1%}; municipalities measured "
        f"(their journeys from the delta run): median {area['measured'].median():.0f} of 342, "
        f"{area['measured_share'].median():.1%} of the inhabitants (range "
        f"{area['measured_share'].min():.1%}-{area['measured_share'].max():.1%}).",
        "",
        "## Error: delta against full runs",
        "",
        f"{args.replications} replications each (same seeds); full: mean ± half-width of the 95 % "
        "interval over replications; effect: closure minus baseline (job 0), mean over "
        "replications. Inside: the delta mean lies within the full runs' interval.",
        "",
        "| closure | where | indicator | full | delta | inside | effect full | effect delta |",
        "|---|---|---|---|---|---|---|---|",
    ]
    inside_all = []
    json_rows = []
    for site in sample:
        full, delta = out["sample"][site]
        roaz = area.set_index("site").loc[site, "roaz"]
        for where, prefix in (("national", "national."), (roaz, f"roaz.{roaz}.")):
            for ind in INDICATORS:
                col = prefix + ind
                if col not in full["table"]:
                    continue
                row = compare(full, delta, full0, delta0, col)
                inside_all.append(row["inside"])
                lines.append(f"| {site} | {where} | {ind} | {cells(row)}")
                json_rows.append({"site": site, "where": where, "indicator": ind, **row})
    n_in = sum(inside_all)
    full_study = full_per_rep * (len(sites) + 1)
    delta_study = base_rep + sum(study.values()) * len(sites) / max(len(study), 1)
    speedup = full_study / delta_study
    per_job = [f["wall_s"] / d["wall_s"] for f, d in out["sample"].values()]
    lines += [
        "",
        f"Inside the interval: {n_in} of {len(inside_all)}.",
        "",
        f"Jobs of {args.replications} replications, full against delta: "
        + ", ".join(
            f"{site} {f['wall_s']:.0f} s / {d['wall_s']:.0f} s"
            for site, (f, d) in out["sample"].items()
        )
        + f"; speed-up per job median {statistics.median(per_job):.2f}x.",
        "",
        "## Speed-up of the whole study (one replication)",
        "",
        "| | seconds |",
        "|---|---|",
        f"| full job of one replication (median) | {full_per_rep:.1f} |",
        f"| full study: {len(sites) + 1} jobs | {full_study:.0f} |",
        f"| delta baseline (per replication, from job 0) | {base_rep:.1f} |",
        f"| delta jobs timed | {len(study)} of {len(sites)}, median "
        f"{statistics.median(study.values()):.1f}, total {sum(study.values()):.0f} |",
        f"| delta study: baseline + {len(sites)} jobs | {delta_study:.0f} |",
        f"| **speed-up** | **{speedup:.2f}x** (target {TARGET_SPEEDUP:g}x) |",
        "",
    ]
    Path(args.out).with_suffix(".json").write_text(
        json.dumps(
            {
                "days": args.days,
                "replications": args.replications,
                "areas": area.to_dict("records"),
                "error": json_rows,
                "full_job_per_rep_s": full_per_rep,
                "delta_baseline_per_rep_s": base_rep,
                "delta_jobs_s": study,
                "speedup": speedup,
            },
            indent=1,
        ),
        encoding="utf-8",
    )
    return "\n".join(lines)


def _commit() -> str:
    try:
        return subprocess.run(
            ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT
        ).stdout.strip()
    except OSError:
        return "unknown"


if __name__ == "__main__":
    sys.exit(main())
