"""Benchmark: what the national arrivals cost per patient, before any journey starts.

`ArrivalStream.day` draws a week of patients per channel and municipality (times, demand
points, choice uniforms and, since December 2026, the uniforms of each patient's service
times through their inverse distribution functions) and hands them out a day at a time.
This times `--days` days of it, in one process pinned to one core (the world is built once,
outside the timing), as the median of `--repeats`; with `--before SRC` the same in a fresh
process with the package of an older checkout's src/ folder, in the same invocation.

    python benchmarks/arrivals_cost.py --days 28 --repeats 5 --before /tmp/before/src

Not part of the test suite.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from national_year import _machine, _pin, _run_worker  # noqa: E402


def worker(days: int, repeats: int) -> dict:
    """Microseconds per patient of `days` national days of arrivals, each repeat a fresh
    stream of the same seed."""
    import patientflow
    from patientflow.acute import demand
    from patientflow.acute.catchments import catchments
    from patientflow.acute.journey import N_UNIFORMS
    from patientflow.core.area import study_area
    from patientflow.core.network import build_network
    from patientflow.core.streams import Streams
    from patientflow.runner import as_run_config, load_run_data, run_travel_model

    cfg, _ = as_run_config(patientflow.compose(["region=nl"]))
    data = load_run_data(cfg)
    world = catchments(
        data,
        study_area(data, cfg),
        build_network(data, cfg.network),
        run_travel_model(cfg, data),
        cfg,
    )
    extra: list = []
    try:
        from patientflow.acute.journey import service_distributions

        extra = [service_distributions(cfg)]
    except ImportError:  # a checkout from before the per-patient service times
        pass
    per_patient = []
    for _ in range(repeats):
        stream = demand.ArrivalStream(
            world.demand,
            world.point_muni,
            world.points["population"].to_numpy(dtype=float),
            Streams(cfg.sim.seed, 0),
            N_UNIFORMS,
            world.municipalities["municipality_code"].astype(str).tolist(),
            *extra,
        )
        started = time.perf_counter()
        patients = sum(len(stream.day(d)) for d in range(days))
        per_patient.append((time.perf_counter() - started) / patients * 1e6)
    return {"patients": patients, "us_per_patient": per_patient}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--days", type=int, default=28)
    p.add_argument("--repeats", type=int, default=5)
    p.add_argument("--core", type=int, default=0, help="CPU core to pin to; -1: no pinning")
    p.add_argument("--before", type=Path, help="also time the package in this src/ folder")
    p.add_argument("--worker", action="store_true", help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    core = None if a.core < 0 else a.core
    if a.worker:
        _pin(core)
        print(json.dumps(worker(a.days, a.repeats)))
        return 0
    args = ["--days", str(a.days), "--repeats", str(a.repeats)]
    versions = {"now": None, **({"before": a.before} if a.before else {})}
    print(
        f"national arrivals, {a.days} days, median of {a.repeats} "
        f"({_machine()['cpu']}, commit {_machine()['commit']}; pinned to core {core}):"
    )
    for name, source in versions.items():
        got = _run_worker(args, core, source, script=__file__)
        us = got["us_per_patient"]
        print(
            f"  {name}: {statistics.median(us):.2f} us a patient "
            f"({', '.join(f'{x:.2f}' for x in us)}), {got['patients']:,} patients"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
