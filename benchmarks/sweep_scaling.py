"""Benchmark: parallel efficiency of a 16-job multirun with the joblib launcher.

Runs the same 16-job sweep (16 replications of a short regional acute run) with 1, 2, 4, 8
and 16 workers (those that fit in the machine's cores, or `--workers`), each `--repeats`
times, and reports the median wall time, the speed-up over one worker and the parallel
efficiency T1 / (n x Tn), and the median of the jobs' own simulation loops (from their
summary.json), which tells a serial part of the sweep from simulations that slow each other.
Target of issue 6: >= 80 % at 16 workers.

    python benchmarks/sweep_scaling.py                     # on this machine's cores
    python benchmarks/sweep_scaling.py --workers 1 2 4 8 16 --out benchmarks/results/s.json
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from national_year import publish  # noqa: E402

JOBS = 16


def job_overrides(days: float, region: str = "midden") -> list[str]:
    """One job of the sweep: `days` simulated days of a region (municipality centroids)."""
    return [
        f"region={region}",
        "demand=municipality",
        f"sim.days={days}",
        "sim.warmup_days=0.5",
        "report.figures=false",
    ]


def sweep(workers: int, folder: Path, days: float, region: str) -> tuple[float, float]:
    """Wall seconds of one 16-job sweep with `workers` joblib workers, and the median of its
    jobs' own simulation loops (`acute.simulation_s` of each summary.json): when the loop
    grows with the workers, the simulations slow each other (memory), not the sweep's
    serial part."""
    cmd = [
        sys.executable,
        "-m",
        "patientflow.cli",
        "-m",
        "hydra/launcher=joblib",
        f"hydra.launcher.n_jobs={workers}",
        f"sim.replication=range(0,{JOBS})",
        *job_overrides(days, region),
        f"hydra.sweep.dir={folder}",
    ]
    started = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, check=False)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"sweep failed ({' '.join(cmd)}):\n{done.stderr[-3000:]}")
    summaries = sorted(folder.glob("*/summary.json"))
    if len(summaries) != JOBS:
        raise SystemExit(f"{folder}: {len(summaries)} of {JOBS} jobs finished")
    loops = [json.loads(p.read_text(encoding="utf-8"))["acute"]["simulation_s"] for p in summaries]
    return wall, statistics.median(loops)


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    cores = os.cpu_count() or 1
    default = [n for n in (1, 2, 4, 8, 16) if n <= cores]
    p.add_argument("--workers", type=int, nargs="+", default=default)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument(
        "--days", type=float, default=3.0, help="simulated days per job (job size; default 3)"
    )
    p.add_argument("--region", default="midden", help="the jobs' region (default midden)")
    p.add_argument("--out", type=Path)
    a = p.parse_args(argv)
    if 1 not in a.workers:
        p.error("--workers must include 1 (the reference)")
    results: dict[int, list[float]] = {}
    loops: dict[int, list[float]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(a.repeats):
            for n in a.workers:
                wall, loop = sweep(n, Path(tmp) / f"w{n}-r{r}", a.days, a.region)
                results.setdefault(n, []).append(wall)
                loops.setdefault(n, []).append(loop)
                print(
                    f"[{r + 1}/{a.repeats}] {n:>2} workers: {wall:.1f} s "
                    f"(a job's loop {loop:.2f} s, median)",
                    flush=True,
                )
    t1 = statistics.median(results[1])
    loop1 = statistics.median(loops[1])
    rows = []
    for n in a.workers:
        tn = statistics.median(results[n])
        loop = statistics.median(loops[n])
        rows.append(
            {
                "workers": n,
                "wall_s_median": round(tn, 2),
                "wall_s_all": [round(x, 2) for x in results[n]],
                "speedup": round(t1 / tn, 2),
                "efficiency": round(t1 / (n * tn), 3),
                "job_loop_s_median": round(loop, 3),
                "job_loop_vs_1_worker": round(loop / loop1, 3),
            }
        )
    lines = [
        f"{JOBS}-job sweep ({' '.join(job_overrides(a.days, a.region))}, "
        f"sim.replication=range(0,{JOBS})), joblib "
        f"launcher, median of {a.repeats}; machine with {cores} cores.",
        "",
        "| workers | wall (median) | speed-up | efficiency | a job's loop (median) "
        "| × 1 worker's |",
        "|---|---|---|---|---|---|",
    ]
    for row in rows:
        lines.append(
            f"| {row['workers']} | {row['wall_s_median']:.1f} s | {row['speedup']:.2f} "
            f"| {row['efficiency'] * 100:.0f} % | {row['job_loop_s_median']:.2f} s "
            f"| {row['job_loop_vs_1_worker']:.2f} |"
        )
    text = "\n".join(lines)
    payload = {"cores": cores, "days": a.days, "region": a.region, "rows": rows}
    publish(a.out, payload, text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
