"""Benchmark: what a journey costs before it decides anything, against plain SimPy.

The model's cost per journey (benchmarks/national_year.py) is compared with a plain SimPy
M/M/c customer. This script splits the gap: in one invocation, each case a fresh process
pinned to one core, medians of `--repeats`, ratios per repeat against the same M/M/c:

  mmc            the reference of national_year.py (one desk, ~12 events in SimPy's queue)
  events         journeys that only wait: a feed of arrivals and, per journey, as many SimPy
                 timeouts as a national journey has events (`--events`, measured: 4.57 per
                 journey with the arrival), so long that as many events are pending as in a
                 national run (`--pending`, measured: median 1,216), started as the model
                 starts them (patientflow.acute.lean_process)
  events_logged  the same, and each journey files the model's event-log row (JOURNEY_SCHEMA,
                 the fields a GP-post call fills) into a ParquetLog as the model does
  callbacks      the journeys of `events` written without a generator: each timeout's callback
                 schedules the next (what a journey as a state machine of callbacks would
                 cost SimPy, against the generators the model's journeys are)
  wakes          the journeys of `callbacks` without a SimPy event object per wait: each journey
                 is itself the event it waits on, pushed straight into SimPy's queue (the
                 least a wait can cost while SimPy owns the clock)
  model          the model itself: the national baseline for `--days` (national_year.py's
                 worker; its simulation loop per journey)

What `events_logged` costs is a floor for the model's journey under today's design (SimPy's
queue at national depth, a row of 36 columns per journey); what the model costs above it is
its decisions, its facilities and its arrivals. The M/M/c has as many customers as
`--journeys`; a ratio is a cost per journey over a cost per customer, so the counts need not
match.

    python benchmarks/engine_floor.py --journeys 500000 --days 28 --repeats 3
    python benchmarks/engine_floor.py --out benchmarks/results/engine_floor.json

Not part of the test suite; run it on purpose on a quiet machine.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import sys
import tempfile
import time
from heapq import heappush
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from national_year import (  # noqa: E402
    _machine,
    _peak_rss_mb,
    _pin,
    _run_worker,
    publish,
    worker_mmc,
    worker_model,
)

ARRIVALS_PER_MIN = 6_870_950 / 525_600  # the national year's journeys per minute
CASES = ("mmc", "events", "events_logged", "callbacks", "wakes", "model")


class _Waiting:
    """A journey that only waits, as callbacks: each timeout's callback schedules the next."""

    __slots__ = ("env", "left", "durations")

    def __init__(self, env, left: int, durations) -> None:
        self.env, self.left, self.durations = env, left, durations

    def step(self, _event=None) -> None:
        if self.left:
            self.left -= 1
            self.env.timeout(next(self.durations)).callbacks.append(self.step)


class _Wake:
    """A journey that only waits and is its own event: no Timeout is made for a wait; the
    journey pushes itself into SimPy's queue as `Environment.schedule` would, and SimPy's
    `step` calls its callback (it needs `callbacks` and `_ok` only)."""

    __slots__ = ("env", "left", "durations", "callbacks", "_ok", "_value")

    def __init__(self, env, left: int, durations) -> None:
        self.env, self.left, self.durations = env, left, durations
        self.callbacks: list | None = None
        self._ok, self._value = True, None

    def step(self, _event=None) -> None:
        if self.left:
            self.left -= 1
            env = self.env
            self.callbacks = [self.step]
            heappush(env._queue, (env._now + next(self.durations), 1, next(env._eid), self))


def worker_floor(
    journeys: int,
    events: float,
    pending: float,
    logged: bool,
    out: Path,
    callbacks: bool = False,
    wakes: bool = False,
) -> dict:
    """Journeys that only wait (with `logged`, filing their row; with `callbacks`, written as
    callbacks instead of generators): see the module text."""
    import numpy as np
    import simpy

    from patientflow.acute import logs as L
    from patientflow.acute.lean_process import start
    from patientflow.acute.logs import JOURNEY_SCHEMA
    from patientflow.core.eventlog import ParquetLog

    rng = np.random.default_rng(1)
    waits = events - 1.0  # the arrival is one of the journey's events
    base, extra = int(waits), waits - int(waits)
    mean_wait = pending / ARRIVALS_PER_MIN / waits  # Little: pending = rate x time in system
    gaps = rng.exponential(1.0 / ARRIVALS_PER_MIN, journeys).tolist()
    steps = (base + (rng.random(journeys) < extra)).tolist()
    durations = iter(rng.exponential(mean_wait, int(sum(steps))).tolist())
    out.mkdir(parents=True, exist_ok=True)
    log = ParquetLog(out / "journeys.parquet", JOURNEY_SCHEMA, 100_000) if logged else None
    env = simpy.Environment()
    depth: list[int] = []

    def journey(k: int, n: int):
        rec = log.new_row() if log is not None else None
        if rec is not None:
            rec[L.JOURNEY_ID], rec[L.ARRIVAL_MIN] = k, env.now
            rec[L.POINT_ID], rec[L.MUNICIPALITY_CODE] = "P01234", "GM0363"
            rec[L.CHANNEL] = rec[L.PATH] = "gp_post_call"
            rec[L.URGENCY], rec[L.DESK_ID] = "U3", "HAP001"
        t0 = env.now
        for _ in range(n):
            yield env.timeout(next(durations))
        if rec is not None:
            rec[L.CALL_WAIT_MIN], rec[L.OUTCOME], rec[L.GP_POST_ID] = 0.0, "consult", "HAP001"
            rec[L.GP_WAIT_MIN], rec[L.TRAVEL_MIN] = env.now - t0, 5.0
            rec[L.END_MIN], rec[L.ROAZ_CODE], rec[L.WARMUP] = env.now, "ROAZ01", False
            log.append_values(rec)

    def feed():
        for k, (gap, n) in enumerate(zip(gaps, steps, strict=True)):
            yield env.timeout(gap)
            if k % 1000 == 0:
                depth.append(len(env._queue))
            if wakes:
                _Wake(env, n, durations).step()
            elif callbacks:
                _Waiting(env, n, durations).step()
            else:
                start(journey(k, n))

    started = time.perf_counter()
    thresholds = gc.get_threshold()
    gc.freeze()  # as PatientFlowModel.run_days does
    gc.set_threshold(50_000, 20, 100)
    try:
        env.process(feed())
        env.run()
    finally:
        gc.set_threshold(*thresholds)
        gc.unfreeze()
    if log is not None:
        log.close()
    wall = time.perf_counter() - started
    return {
        "wall_s": wall,
        "simulation_s": wall,
        "journeys": journeys,
        "events_per_journey": 1.0 + sum(steps) / journeys,
        "pending_median": statistics.median(depth[len(depth) // 10 :]),
        "peak_rss_mb": _peak_rss_mb(),
    }


def _cell(case: dict, key: str, fmt: str) -> str:
    """A table cell: the case's value, or a dash where the case does not count it."""
    return fmt.format(case[key]) if key in case else "–"


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument(
        "--journeys",
        type=int,
        default=500_000,
        help="journeys per floor case (the queue fills over the first ~2,000; default 500,000)",
    )
    p.add_argument("--days", type=float, default=28.0, help="the model case's simulated days")
    p.add_argument("--events", type=float, default=4.57, help="SimPy events per journey")
    p.add_argument("--pending", type=float, default=1216, help="events pending in SimPy's queue")
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--core", type=int, default=0, help="CPU core to pin to; -1: no pinning")
    p.add_argument("--out", type=Path, help="write the results as JSON here (and .md beside)")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    p.add_argument("--dir", type=Path, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    core = None if a.core < 0 else a.core
    if a.worker:
        _pin(core)
        if a.case == "mmc":
            res = worker_mmc(a.journeys)
        elif a.case == "model":
            res = worker_model("baseline_2025", a.days, a.dir)
        else:
            res = worker_floor(
                a.journeys,
                a.events,
                a.pending,
                a.case == "events_logged",
                a.dir,
                callbacks=a.case == "callbacks",
                wakes=a.case == "wakes",
            )
        print(json.dumps(res))
        return 0
    if a.journeys < 1000 or a.events < 1 or a.pending <= 0 or a.repeats < 1:
        p.error("needs --journeys >= 1000, --events >= 1, --pending > 0, --repeats >= 1")
    runs: dict[str, list[dict]] = {c: [] for c in CASES}
    with tempfile.TemporaryDirectory() as tmp:
        for r in range(a.repeats):
            for case in CASES:
                args = ["--case", case, "--journeys", str(a.journeys), "--events", str(a.events)]
                args += ["--pending", str(a.pending), "--days", str(a.days)]
                args += ["--dir", str(Path(tmp) / f"{case}-{r}")]
                runs[case].append(_run_worker(args, core, script=__file__))
                print(f"[{r + 1}/{a.repeats}] {case}: {runs[case][-1]['wall_s']:.1f} s", flush=True)
    result = {"journeys": a.journeys, "repeats": a.repeats, "machine": _machine(), "cases": {}}
    for case, rs in runs.items():
        us = [r["simulation_s"] / r["journeys"] * 1e6 for r in rs]
        ratios = [
            u / (m["simulation_s"] / m["journeys"] * 1e6)
            for u, m in zip(us, runs["mmc"], strict=True)
        ]
        result["cases"][case] = {
            "us_per_journey": round(statistics.median(us), 2),
            "cost_ratio": round(statistics.median(ratios), 2),
            "cost_ratio_all": [round(x, 2) for x in ratios],
            **{k: rs[0][k] for k in ("events_per_journey", "pending_median") if k in rs[0]},
        }
    m = result["machine"]
    lines = [
        f"{a.journeys:,} journeys, median of {a.repeats} runs per case, each in a fresh process "
        f"pinned to one core ({m['cpu']}; Python {m['python']}, SimPy {m['simpy']}; "
        f"commit {m['commit']}).",
        "",
        "| case | µs per journey | × plain SimPy (median of repeats) | events per journey "
        "| pending events (median) |",
        "|---|---|---|---|---|",
    ]
    for case, c in result["cases"].items():
        lines.append(
            f"| {case} | {c['us_per_journey']:.1f} | {c['cost_ratio']:.2f} "
            f"| {_cell(c, 'events_per_journey', '{:.2f}')} "
            f"| {_cell(c, 'pending_median', '{:,.0f}')} |"
        )
    table = "\n".join(lines)
    publish(a.out, result, table)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
