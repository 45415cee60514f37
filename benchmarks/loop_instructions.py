"""Benchmark: the instructions a journey costs in the simulation loop, counted by Valgrind.

On a shared cloud core the time of one run drifts by a third within the hour, so a change
worth a few per cent cannot be timed there (docs/performance.md). Instructions can be
counted: each case runs under `valgrind --tool=callgrind` with counting switched on only
while the simulation loop runs (`callgrind_control -i on`, then off), Python's hash seed
fixed, so the count repeats to within a tenth of a per cent. Cases, each in a fresh process:

- the national model (`region=nl`, `--days`, `--scenario`), its loop (`run_days`) counted;
- with `--before SRC`, the same with the package of an older checkout's src/ folder;
- the plain SimPy M/M/c of benchmarks/national_year.py with as many customers as the model
  has journeys, its `env.run()` counted.

It prints instructions per journey and per plain customer and their ratio: the issue-19
cost ratio in instructions, not seconds. Instructions are not time (a cache miss costs
hundreds of cycles and no instruction), so a change that saves instructions is confirmed in
seconds with national_year.py; one that saves none is not worth timing.

    python benchmarks/loop_instructions.py                          # ~10 minutes
    python benchmarks/loop_instructions.py --before /tmp/before/src --out benchmarks/results/x.json

Needs Valgrind (`apt-get install valgrind`); not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from national_year import _machine, publish, worker_mmc  # noqa: E402

EVENTS = re.compile(r"Events\s*:\s*([\w ]+)")
COUNTED = re.compile(r"Collected\s*:\s*([\d ]+)")
# Cachegrind's rough cost model: a first-level miss ~10 cycles, a last-level miss ~100.
L1_EVENTS, LL_EVENTS = ("I1mr", "D1mr", "D1mw"), ("ILmr", "DLmr", "DLmw")


@contextmanager
def counting():
    """Callgrind counts instructions inside this block only (the process runs under
    `--instr-atstart=no`)."""
    pid = str(os.getpid())
    subprocess.run(["callgrind_control", "-i", "on", pid], capture_output=True, check=True)
    try:
        yield
    finally:
        subprocess.run(["callgrind_control", "-i", "off", pid], capture_output=True, check=True)


def worker_model(scenario: str, days: float, warmup_days: float, out: Path) -> dict:
    """The national model with its simulation loop counted; its journeys."""
    import patientflow
    from patientflow.acute import model

    loop = model.PatientFlowModel.run_days

    def counted(self, progress=None):
        with counting():
            return loop(self, progress)

    model.PatientFlowModel.run_days = counted
    cfg = patientflow.compose(
        [
            "sim=acute",
            "region=nl",
            f"scenario={scenario}",
            f"sim.days={days}",
            f"sim.warmup_days={warmup_days}",
            "sim.progress=false",
            "report.figures=false",
        ]
    )
    result = patientflow.run(cfg, out)
    return {"journeys": result.summary["acute"]["arrivals"]}


def _under_valgrind(
    args: list[str], source: Path | None, tmp: Path, cache: bool, last_level: str | None = None
) -> tuple[dict, dict[str, int]]:
    """Run `this script --worker ARGS` under callgrind (its cache simulation with `cache`);
    (its JSON, the events counted: Ir, and with `cache` the misses per level)."""
    env = dict(os.environ, PYTHONHASHSEED="0")
    if source is not None:
        env["PYTHONPATH"] = os.pathsep.join([str(source), env.get("PYTHONPATH", "")])
    cmd = [
        "valgrind",
        "--tool=callgrind",
        "--instr-atstart=no",
        *(["--cache-sim=yes"] if cache else []),
        *([f"--LL={last_level}"] if cache and last_level else []),
        f"--callgrind-out-file={tmp / 'callgrind.out.%p'}",
        sys.executable,
        __file__,
        "--worker",
        *args,
    ]
    done = subprocess.run(cmd, capture_output=True, text=True, check=False, env=env)
    names, counts = EVENTS.findall(done.stderr), COUNTED.findall(done.stderr)
    if done.returncode != 0 or not names or not counts:
        raise SystemExit(f"benchmark worker failed: {' '.join(cmd)}\n{done.stderr[-3000:]}")
    events = dict(zip(names[-1].split(), map(int, counts[-1].split()), strict=True))
    return json.loads(done.stdout.strip().splitlines()[-1]), events


def _cycles(events: dict[str, int]) -> int:
    """Instructions plus the rough cost of the cache misses (when they were simulated)."""
    l1 = sum(events.get(e, 0) for e in L1_EVENTS)
    ll = sum(events.get(e, 0) for e in LL_EVENTS)
    return events["Ir"] + 10 * l1 + 100 * ll


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument(
        "--days", type=float, default=7.0, help="simulated days (default 7: one block of arrivals)"
    )
    p.add_argument("--warmup-days", type=float, default=0.25, help="of them warm-up (default 0.25)")
    p.add_argument("--scenario", default="baseline_2025")
    p.add_argument("--before", type=Path, help="also count the package in this src/ folder")
    p.add_argument("--out", type=Path, help="write the results as JSON here (and .md beside)")
    p.add_argument(
        "--cache",
        action="store_true",
        help="simulate the caches too (slower): misses a journey, and instructions plus ten "
        "cycles a first-level and a hundred a last-level miss",
    )
    p.add_argument(
        "--last-level",
        metavar="SIZE,WAYS,LINE",
        help="with --cache, the last level simulated (Valgrind's --LL), e.g. 2097152,16,64 for "
        "a 2 MB second level whose misses go to a shared third level (default: Valgrind's "
        "guess from this machine)",
    )
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--kind", choices=["model", "mmc"], help=argparse.SUPPRESS)
    p.add_argument("--customers", type=int, help=argparse.SUPPRESS)
    p.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    a = p.parse_args(argv)

    if a.worker:
        if a.kind == "model":
            res = worker_model(a.scenario, a.days, a.warmup_days, a.dir)
        else:
            res = {"journeys": worker_mmc(a.customers, around=counting)["journeys"]}
        print(json.dumps(res))
        return 0

    missing = [t for t in ("valgrind", "callgrind_control") if shutil.which(t) is None]
    if missing:
        p.error(f"{' and '.join(missing)} not found: install Valgrind (apt-get install valgrind)")
    if not 0 <= a.warmup_days < a.days:
        p.error("--warmup-days must be at least 0 and below --days")
    sides = [("model", None)] + ([("model (before)", a.before)] if a.before else [])
    cases: dict[str, dict] = {}
    started = time.perf_counter()
    with tempfile.TemporaryDirectory() as tmp:
        for name, source in sides:
            args = ["--kind", "model", "--scenario", a.scenario, "--days", str(a.days)]
            args += ["--warmup-days", str(a.warmup_days)]
            folder = Path(tmp) / name.replace(" ", "_").strip("()")
            res, events = _under_valgrind(
                [*args, "--dir", str(folder)], source, Path(tmp), a.cache, a.last_level
            )
            cases[name] = {"journeys": res["journeys"], "events": events}
            print(f"{name}: {res['journeys']:,} journeys, {events}", flush=True)
        n = cases["model"]["journeys"]
        args = ["--kind", "mmc", "--customers", str(n)]
        res, events = _under_valgrind(args, None, Path(tmp), a.cache, a.last_level)
        cases["plain_simpy_mmc"] = {"journeys": res["journeys"], "events": events}
        print(f"plain SimPy M/M/c: {n:,} customers, {events}", flush=True)
    plain = cases["plain_simpy_mmc"]
    for c in cases.values():
        c["instructions"] = c["events"]["Ir"]
        c["instructions_per_journey"] = round(c["instructions"] / c["journeys"])
        c["ratio_to_plain"] = round(
            c["instructions"] / c["journeys"] * plain["journeys"] / plain["events"]["Ir"], 3
        )
        if a.cache:
            c["l1_misses_per_journey"] = round(
                sum(c["events"][e] for e in L1_EVENTS) / c["journeys"]
            )
            c["ll_misses_per_journey"] = round(
                sum(c["events"][e] for e in LL_EVENTS) / c["journeys"], 1
            )
            c["cycles_ratio_to_plain"] = round(
                _cycles(c["events"]) / c["journeys"] * plain["journeys"] / _cycles(plain["events"]),
                3,
            )
    result = {
        "days": a.days,
        "warmup_days": a.warmup_days,
        "scenario": a.scenario,
        "before": str(a.before) if a.before else None,
        "machine": _machine(),
        "minutes": round((time.perf_counter() - started) / 60, 1),
        "cache_simulated": a.cache,
        "last_level": a.last_level,
        "cases": cases,
    }
    head = "| case | journeys | instructions | per journey | × plain SimPy customer |"
    rule = "|---|---|---|---|---|"
    if a.cache:
        head += (
            " first-level misses a journey | last-level misses a journey | × plain, misses costed |"
        )
        rule += "---|---|---|"
    rows = []
    for name, c in cases.items():
        row = (
            f"| {name} | {c['journeys']:,} | {c['instructions']:,} | "
            f"{c['instructions_per_journey']:,} | {c['ratio_to_plain']:.2f} |"
        )
        if a.cache:
            row += (
                f" {c['l1_misses_per_journey']:,} | {c['ll_misses_per_journey']:,} | "
                f"{c['cycles_ratio_to_plain']:.2f} |"
            )
        rows.append(row)
    table = "\n".join(
        [
            f"National, {a.days:g} simulated days ({a.warmup_days:g} warm-up), scenario "
            f"{a.scenario}; instructions counted by callgrind in the simulation loop only "
            f"(commit {result['machine']['commit']})"
            + (
                f"; caches simulated, last level {a.last_level or 'as Valgrind guessed it'}."
                if a.cache
                else "."
            ),
            "",
            head,
            rule,
            *rows,
        ]
    )
    if a.cache:
        table += (
            "\n\nMisses costed: instructions plus 10 a first-level and 100 a last-level miss, "
            "Cachegrind's rough model, not a timing."
        )
    if a.before:
        now, then = cases["model"], cases["model (before)"]
        table += (
            f"\n\nNew over before: "
            f"{now['instructions_per_journey'] / then['instructions_per_journey']:.3f}"
        )
    publish(a.out, result, table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
