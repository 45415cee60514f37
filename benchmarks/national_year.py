"""Benchmark: a simulated national year of acute care against plain SimPy, in one invocation.

Times, as medians of `--repeats` runs each in a fresh process pinned to one core:
(a) the national baseline year (`patientflow region=nl sim.days=365`, figures included),
(b) the national ZCC scenario year (`scenario=zcc_2025`),
(c) a plain SimPy M/M/c with as many customers as (a) has journeys,
and prints journeys per second, peak resident memory, and the ratio of (a)'s cost per journey
(simulation loop) to (c)'s cost per customer (per repeat, median), against the targets of
issue 19: a year within 240 s, 2 GB, 2.2 times (issue 6's were 300 s and 3 times).

    python benchmarks/national_year.py                      # the full benchmark (~30 min)
    python benchmarks/national_year.py --days 28 --repeats 3 --out benchmarks/results/x.json

Not part of the test suite; run it on purpose on a quiet machine.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import nullcontext
from pathlib import Path

TARGETS = {"wall_s": 240.0, "peak_rss_mb": 2048.0, "cost_ratio": 2.2}
MMC = {"servers": 10, "mean_service_min": 8.0, "occupancy": 0.8}


# ---------------------------------------------------------------------------------- workers
def _pin(core: int | None) -> None:
    if core is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {core})


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def worker_model(scenario: str, days: float, out: Path) -> dict:
    """One national run exactly as the CLI does it; wall time from compose to summary.json."""
    started = time.perf_counter()
    import patientflow

    cfg = patientflow.compose(
        ["region=nl", f"scenario={scenario}", f"sim.days={days}", "sim.progress=false"]
    )
    result = patientflow.run(cfg, out)
    acute = result.summary["acute"]
    return {
        "wall_s": time.perf_counter() - started,
        "simulation_s": acute["simulation_s"],
        "indicators_s": acute.get("indicators_s"),
        "journeys": acute["arrivals"],
        "peak_rss_mb": _peak_rss_mb(),
    }


def worker_mmc(customers: int, seed: int = 1, around: Callable = nullcontext) -> dict:
    """Plain SimPy M/M/c, written as the SimPy documentation writes it; exponential draws
    handed out from numpy blocks (as patientflow draws its own). `around()` is entered just
    for the simulation (loop_instructions.py counts the instructions there)."""
    import numpy as np
    import simpy

    c, mean_s, rho = MMC["servers"], MMC["mean_service_min"], MMC["occupancy"]
    lam = rho * c / mean_s
    rng = np.random.default_rng(seed)

    def stream(mean: float):
        while True:
            yield from rng.exponential(mean, 65536).tolist()

    inter, service = stream(1.0 / lam), stream(mean_s)
    started = time.perf_counter()
    env = simpy.Environment()
    desk = simpy.Resource(env, capacity=c)
    total_wait = [0.0]

    def customer():
        arrived = env.now
        with desk.request() as req:
            yield req
            total_wait[0] += env.now - arrived
            yield env.timeout(next(service))

    def source():
        for _ in range(customers):
            yield env.timeout(next(inter))
            env.process(customer())

    env.process(source())
    with around():
        env.run()
    wall = time.perf_counter() - started
    a = lam * mean_s
    erlang_c = (a**c / math.factorial(c) / (1 - rho)) / (
        sum(a**k / math.factorial(k) for k in range(c)) + a**c / math.factorial(c) / (1 - rho)
    )
    return {
        "wall_s": wall,
        "simulation_s": wall,
        "journeys": customers,
        "peak_rss_mb": _peak_rss_mb(),
        "mean_wait_min": total_wait[0] / customers,
        "erlang_c_wait_min": erlang_c / (c / mean_s - lam),
    }


# ---------------------------------------------------------------------------------- driver
def publish(out: Path | None, result: dict, table: str) -> None:
    """A benchmark's markdown table, printed, and with `out` its results as JSON there and
    the table beside it (.md)."""
    print(table)
    if out is None:
        return
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n", encoding="utf-8")
    out.with_suffix(".md").write_text(table + "\n", encoding="utf-8")


def _run_worker(
    args: list[str], core: int | None, source: Path | None = None, script: str = __file__
) -> dict:
    """Run `script --worker ARGS` in a fresh process (pinned with `core`, the package taken
    from `source` when given) and return the JSON it prints last."""
    cmd = [sys.executable, script, "--worker", *args]
    if core is not None:
        cmd += ["--core", str(core)]
    env = dict(os.environ)
    if source is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(source), env.get("PYTHONPATH", "")])
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    if done.returncode != 0:
        raise SystemExit(f"benchmark worker failed: {' '.join(cmd)}\n{done.stderr[-3000:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def _machine() -> dict:
    import mesa
    import numpy
    import simpy

    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    commit = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, check=False
    ).stdout.strip()
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "simpy": simpy.__version__,
        "mesa": mesa.__version__,
        "numpy": numpy.__version__,
        "commit": commit or None,
    }


def _summarise(runs: list[dict]) -> dict:
    wall = statistics.median(r["wall_s"] for r in runs)
    sim = statistics.median(r["simulation_s"] for r in runs)
    journeys = runs[0]["journeys"]
    return {
        "runs": len(runs),
        "wall_s_median": round(wall, 2),
        "wall_s_all": [round(r["wall_s"], 2) for r in runs],
        "simulation_s_median": round(sim, 2),
        "journeys": journeys,
        "journeys_per_s": round(journeys / sim),
        "us_per_journey": round(sim / journeys * 1e6, 2),
        "peak_rss_mb": round(max(r["peak_rss_mb"] for r in runs), 1),
        **({"extra": {k: v for k, v in runs[0].items() if k.endswith("wait_min")}}),
    }


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--days", type=float, default=365.0, help="simulated days (default 365)")
    p.add_argument("--repeats", type=int, default=3, help="runs per case, median taken (>= 3)")
    p.add_argument("--scenarios", nargs="+", default=["baseline_2025", "zcc_2025"])
    p.add_argument("--core", type=int, default=0, help="CPU core to pin runs to; -1: no pinning")
    p.add_argument("--out", type=Path, help="write the results as JSON here (and .md beside)")
    p.add_argument(
        "--before",
        type=Path,
        help="also time the scenarios with the package in this src/ folder of an older "
        "checkout (e.g. a git worktree), as '<scenario> (before)'",
    )
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--kind", choices=["model", "mmc"], help=argparse.SUPPRESS)
    p.add_argument("--scenario", help=argparse.SUPPRESS)
    p.add_argument("--customers", type=int, help=argparse.SUPPRESS)
    p.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    core = None if a.core < 0 else a.core

    if a.worker:
        _pin(core)
        if a.kind == "model":
            res = worker_model(a.scenario, a.days, a.dir)
        else:
            res = worker_mmc(a.customers)
        print(json.dumps(res))
        return 0

    if a.repeats < 1:
        p.error("--repeats must be >= 1")
    runs: dict[str, list[dict]] = {s: [] for s in a.scenarios}
    if a.before:
        runs.update({f"{s} (before)": [] for s in a.scenarios})
    runs["plain_simpy_mmc"] = []
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(a.repeats):
            for s in a.scenarios:
                out = Path(tmp) / f"{s}-{r}"
                args = ["--kind", "model", "--scenario", s, "--days", str(a.days)]
                # with --before, the older code runs first in every other repeat (A B, B A, ...),
                # so a machine that speeds up or slows down within the hour favours neither
                sides = [(s, None, out)]
                if a.before:
                    sides.append((f"{s} (before)", a.before, Path(f"{out}-before")))
                for name, src, folder in sides if r % 2 == 0 else sides[::-1]:
                    res = _run_worker([*args, "--dir", str(folder)], core, src)
                    runs[name].append(res)
                    print(
                        f"[{r + 1}/{a.repeats}] {name}: {res['wall_s']:.1f} s, "
                        f"{res['journeys']:,} journeys, {res['peak_rss_mb']:.0f} MB",
                        flush=True,
                    )
            n = runs[a.scenarios[0]][0]["journeys"]
            res = _run_worker(["--kind", "mmc", "--customers", str(n)], core)
            runs["plain_simpy_mmc"].append(res)
            print(f"[{r + 1}/{a.repeats}] plain SimPy M/M/c: {res['wall_s']:.1f} s", flush=True)

    cases = {k: _summarise(v) for k, v in runs.items()}
    # Each repeat runs the scenarios and then the plain SimPy reference back to back, so the
    # ratio is taken per repeat and its median reported: a machine whose speed drifts between
    # repeats (shared cloud cores do, by a third) moves both sides of one ratio alike.
    reference = runs["plain_simpy_mmc"]
    for name, c in cases.items():
        ratios = [
            (r["simulation_s"] / r["journeys"]) / (m["simulation_s"] / m["journeys"])
            for r, m in zip(runs[name], reference, strict=True)
        ]
        c["cost_ratio"] = round(statistics.median(ratios), 2)
        c["cost_ratio_all"] = [round(x, 2) for x in ratios]
    result = {
        "days": a.days,
        "repeats": a.repeats,
        "pinned_core": core,
        "before": str(a.before) if a.before else None,
        "machine": _machine(),
        "mmc": MMC,
        "targets": TARGETS,
        "cases": cases,
    }
    table = markdown(result)
    publish(a.out, result, table)
    return 0


def markdown(result: dict) -> str:
    """The results as a markdown table, with each target marked met or missed."""
    t = result["targets"]
    m = result["machine"]
    lines = [
        f"{result['days']:g} simulated days, median of {result['repeats']} runs per case, "
        f"each in a fresh process pinned to one core ({m['cpu']}, {m['cores']} cores; "
        f"Python {m['python']}, SimPy {m['simpy']}, Mesa {m['mesa']}; commit {m['commit']}).",
        "",
        "| case | wall (median) | simulation loop | journeys | journeys/s | µs per journey "
        "| × plain SimPy (median of repeats) | peak memory |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for name, c in result["cases"].items():
        lines.append(
            f"| {name} | {c['wall_s_median']:.1f} s | {c['simulation_s_median']:.1f} s "
            f"| {c['journeys']:,} | {c['journeys_per_s']:,} | {c['us_per_journey']:.1f} "
            f"| {c['cost_ratio']:.2f} | {c['peak_rss_mb']:,.0f} MB |"
        )
    if result["days"] != 365:
        lines += ["", "The targets apply to a 365-day run; not checked here."]
        return "\n".join(lines)
    base = next(iter(result["cases"].values()))
    checks = [
        ("wall time of the first scenario", base["wall_s_median"], t["wall_s"], "s"),
        (
            "peak memory (all model runs)",
            max(c["peak_rss_mb"] for k, c in result["cases"].items() if k != "plain_simpy_mmc"),
            t["peak_rss_mb"],
            "MB",
        ),
        ("cost per journey / plain SimPy customer", base["cost_ratio"], t["cost_ratio"], "×"),
    ]
    lines += ["", "| target | measured | limit | met |", "|---|---|---|---|"]
    for label, value, limit, unit in checks:
        lines.append(
            f"| {label} | {value:,.2f} {unit} | {limit:g} {unit} | "
            f"{'yes' if value <= limit else 'no'} |"
        )
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
