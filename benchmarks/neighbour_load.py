"""Benchmark: how much a busy neighbour core slows the model and plain SimPy.

The cost ratio of benchmarks/national_year.py moves between repeats far more than either
side's code does (1.8 to 3.1 for one commit). This asks whether the machine is the cause: the
national model and the plain SimPy M/M/c of national_year.py run on one core (`--core`),
alternately with the other core (`--neighbour-core`) idle and with it copying between two
numpy buffers of `--buffer-mb` each (by default 2 x 256 MB, far beyond the shared 32 MB
third level, as another tenant's memory-bound job would; 2 x 16 MB fills that level alone).
A model whose journeys wait on memory slows down more than a plain customer whose few
objects stay in the core's own caches.

    python benchmarks/neighbour_load.py --days 14 --rounds 4 --out benchmarks/results/x.json

Needs two cores; not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from national_year import _machine, _run_worker, publish  # noqa: E402

STREAM = """
import os, sys, numpy as np
os.sched_setaffinity(0, {%d})
a = np.ones(%d // 8); b = np.empty_like(a)
print("ready", flush=True)
while True:
    np.copyto(b, a); np.copyto(a, b)
"""


def _neighbour(core: int, buffer_mb: int) -> subprocess.Popen:
    """A process on `core` copying between two buffers of `buffer_mb` until killed."""
    proc = subprocess.Popen(
        [sys.executable, "-c", STREAM % (core, buffer_mb * 2**20)],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert proc.stdout is not None
    proc.stdout.readline()
    return proc


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--days", type=float, default=14.0, help="simulated national days")
    p.add_argument("--rounds", type=int, default=4, help="rounds of (idle, busy) per case")
    p.add_argument("--core", type=int, default=0, help="core the timed runs are pinned to")
    p.add_argument("--neighbour-core", type=int, default=1)
    p.add_argument("--buffer-mb", type=int, default=256, help="each of the neighbour's two buffers")
    p.add_argument("--scenario", default="baseline_2025")
    p.add_argument("--out", type=Path, help="write the results as JSON here (and .md beside)")
    a = p.parse_args(argv)
    if a.core == a.neighbour_core or len(os.sched_getaffinity(0)) < 2:
        p.error("needs two distinct cores")

    runs: dict[str, list[dict]] = {}
    journeys = None
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(a.rounds):
            # idle first in even rounds, busy first in odd ones
            for load in ("idle", "busy") if r % 2 == 0 else ("busy", "idle"):
                proc = _neighbour(a.neighbour_core, a.buffer_mb) if load == "busy" else None
                try:
                    folder = Path(tmp) / f"{r}-{load}"
                    args = ["--scenario", a.scenario, "--days", str(a.days), "--dir", str(folder)]
                    model = _run_worker(["--kind", "model", *args], a.core)
                    journeys = journeys or model["journeys"]
                    plain = _run_worker(["--kind", "mmc", "--customers", str(journeys)], a.core)
                finally:
                    if proc is not None:
                        proc.kill()
                        proc.wait()
                row = {
                    "model_us": 1e6 * model["simulation_s"] / model["journeys"],
                    "plain_us": 1e6 * plain["simulation_s"] / plain["journeys"],
                }
                row["ratio"] = row["model_us"] / row["plain_us"]
                runs.setdefault(load, []).append(row)
                print(
                    f"[{r + 1}/{a.rounds}] neighbour {load}: model {row['model_us']:.1f} µs, "
                    f"plain {row['plain_us']:.2f} µs, ratio {row['ratio']:.2f}",
                    flush=True,
                )

    med = {
        load: {k: statistics.median(x[k] for x in rows) for k in ("model_us", "plain_us", "ratio")}
        for load, rows in runs.items()
    }
    result = {
        "days": a.days,
        "rounds": a.rounds,
        "buffer_mb": a.buffer_mb,
        "journeys": journeys,
        "machine": _machine(),
        "runs": runs,
        "medians": med,
    }
    lines = [
        f"National model ({a.scenario}, {a.days:g} days, {journeys:,} journeys) and plain SimPy "
        f"M/M/c on core {a.core}; core {a.neighbour_core} idle or copying between two buffers "
        f"of {a.buffer_mb} MB; "
        f"{a.rounds} rounds, medians.",
        "",
        "| neighbour core | model µs per journey | plain µs per customer | cost ratio |"
        " per round |",
        "|---|---|---|---|---|",
    ]
    for load in ("idle", "busy"):
        m = med[load]
        per = ", ".join(f"{x['ratio']:.2f}" for x in runs[load])
        lines.append(
            f"| {load} | {m['model_us']:.1f} | {m['plain_us']:.2f} | {m['ratio']:.2f} | {per} |"
        )
    slow = {k: med["busy"][k] / med["idle"][k] for k in ("model_us", "plain_us")}
    lines += [
        "",
        f"Busy over idle: the model {slow['model_us']:.2f} times, plain SimPy "
        f"{slow['plain_us']:.2f} times.",
    ]
    table = "\n".join(lines)
    publish(a.out, result, table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
