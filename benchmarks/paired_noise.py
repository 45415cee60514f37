"""Benchmark: how noisy a network change's paired effect is, and where it is exactly zero.

A closure is judged by the paired difference of each indicator (the same seed, the same
patients, with and without the change). This script runs, for each of `--seeds`, the national
acute job on the baseline network and on `--network`, and prints per indicator the mean and
standard deviation over the seeds of the national difference, and per ROAZ region how many
indicators are unchanged to the last digit in every seed. With `--before SRC` it does the same
with the package in an older checkout's src/ folder (e.g. a git worktree), in the same
invocation: the comparison that showed what per-patient service times (December 2026) do to
the noise of an effect.

    python benchmarks/paired_noise.py --days 7 --seeds 1 2 3 4 --before /tmp/before/src \\
        --out benchmarks/results/paired_noise.json

Each run is a fresh process; `--jobs` of them at a time (not a timing benchmark). Not part of
the test suite.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from national_year import _machine, _run_worker, publish  # noqa: E402

INDICATORS = (
    "a1_share_on_scene_15min",
    "a1_response_min_p95",
    "a1_a2_share_at_seh_within_norm",
    "share_seh_triage_10min",
    "seh_los_min_p50",
    "seh_los_min_p90",
    "call_answer_min_p90",
)


def _commit_of(src: Path) -> str | None:
    """The commit of the checkout that holds the src/ folder `src`."""
    done = subprocess.run(
        ["git", "-C", str(src), "rev-parse", "--short", "HEAD"],
        capture_output=True,
        text=True,
        check=False,
    )
    return done.stdout.strip() or None


def worker(network: str, seed: int, days: float, warmup: float) -> dict:
    """One national run; its national and per-ROAZ indicators."""
    import patientflow

    cfg = patientflow.compose(
        [
            "region=nl",
            f"network={network}",
            f"sim.seed={seed}",
            f"sim.days={days}",
            f"sim.warmup_days={warmup}",
            "sim.progress=false",
            "report.figures=false",
        ]
    )
    with tempfile.TemporaryDirectory() as out:
        acute = patientflow.run(cfg, Path(out)).summary["acute"]
    return {"national": acute["national"], "per_roaz": acute["per_roaz"]}


def compare(runs: dict[tuple[str, int], dict], base: str, network: str, seeds: list[int]) -> dict:
    """Per indicator the national paired differences; per region the indicators unchanged in
    every seed."""
    national = {}
    for key in INDICATORS:
        diffs = [runs[network, s]["national"][key] - runs[base, s]["national"][key] for s in seeds]
        national[key] = {
            "mean": round(statistics.mean(diffs), 5),
            "sd": round(statistics.stdev(diffs), 5) if len(diffs) > 1 else None,
        }
    regions = {}
    for region in sorted(runs[base, seeds[0]]["per_roaz"]):
        unchanged = 0
        for key in INDICATORS:
            pairs = [
                (
                    runs[network, s]["per_roaz"][region].get(key),
                    runs[base, s]["per_roaz"][region].get(key),
                )
                for s in seeds
            ]
            unchanged += all(a == b for a, b in pairs)
        regions[region] = unchanged
    return {"national": national, "unchanged_per_region": regions}


def table(result: dict) -> str:
    versions = list(result["versions"])
    lines = [
        f"National, {result['days']:g} simulated days ({result['warmup_days']:g} warm-up), "
        f"network `{result['network']}` against `{result['base']}`, seeds "
        f"{', '.join(map(str, result['seeds']))} (now: commit {result['machine']['commit']}"
        + (f"; before: commit {result['before_commit']}" if result.get("before_commit") else "")
        + ").",
        "",
        "| national indicator | "
        + " | ".join(f"{v}: mean difference | {v}: sd over seeds" for v in versions)
        + " |",
        "|---|" + "---|---|" * len(versions),
    ]
    for key in INDICATORS:
        cells = []
        for v in versions:
            d = result["versions"][v]["national"][key]
            cells += [f"{d['mean']:+.4f}", f"{d['sd']:.4f}" if d["sd"] is not None else "–"]
        lines.append(f"| {key} | " + " | ".join(cells) + " |")
    lines += [
        "",
        f"Indicators (of {len(INDICATORS)}) unchanged in every seed, per ROAZ region:",
        "",
        "| region | " + " | ".join(versions) + " |",
        "|---|" + "---|" * len(versions),
    ]
    for region in result["versions"][versions[0]]["unchanged_per_region"]:
        cells = [str(result["versions"][v]["unchanged_per_region"][region]) for v in versions]
        lines.append(f"| {region} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--network", default="close_regional_seh_example")
    p.add_argument("--base", default="baseline_2025", help="the network paired against")
    p.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3, 4])
    p.add_argument("--days", type=float, default=7.0)
    p.add_argument("--warmup", type=float, default=1.0, help="warm-up days")
    p.add_argument("--jobs", type=int, default=2, help="runs at a time")
    p.add_argument("--before", type=Path, help="also run with the package in this src/ folder")
    p.add_argument("--out", type=Path, help="write the results as JSON here (and .md beside)")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--core", type=int, help=argparse.SUPPRESS)
    p.add_argument("--run", nargs=2, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.worker:
        network, seed = a.run
        print(json.dumps(worker(network, int(seed), a.days, a.warmup)))
        return 0
    if len(a.seeds) < 2:
        p.error("--seeds needs at least two seeds (a standard deviation over them)")
    sources = {"now": None, **({"before": a.before} if a.before else {})}
    tasks = [
        (version, network, seed)
        for version in sources
        for network in (a.base, a.network)
        for seed in a.seeds
    ]

    def run(task: tuple[str, str, int]) -> tuple[tuple[str, str, int], dict]:
        version, network, seed = task
        args = ["--days", str(a.days), "--warmup", str(a.warmup), "--run", network, str(seed)]
        print(f"  {version}: {network}, seed {seed}", file=sys.stderr, flush=True)
        return task, _run_worker(args, None, sources[version], script=__file__)

    with ThreadPoolExecutor(max_workers=max(1, a.jobs)) as pool:
        done = dict(pool.map(run, tasks))
    result = {
        "network": a.network,
        "base": a.base,
        "seeds": a.seeds,
        "days": a.days,
        "warmup_days": a.warmup,
        "machine": _machine(),
        "before_commit": _commit_of(a.before) if a.before else None,
        "versions": {
            version: compare(
                {(n, s): done[v, n, s] for v, n, s in tasks if v == version},
                a.base,
                a.network,
                a.seeds,
            )
            for version in sources
        },
    }
    text = table(result)
    publish(a.out, result, text)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
