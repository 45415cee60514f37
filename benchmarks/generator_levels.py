"""Benchmark: what a level of nested generators costs a journey that waits on a wake.

Journeys of four timed waits each, on their slot's `Wake`, started by the slot's `Stepper`
and run hour by hour with `run_until`, as the acute model runs its journeys; written flat
(`--depth -1`: the waits in the journey itself) or with the waits `depth + 1` levels of
`yield from` down. Prints microseconds per journey for each depth, each in a fresh process
pinned to one core, over `--repeats` rounds.

    python benchmarks/generator_levels.py --repeats 3

Not part of the test suite; run it on purpose on a quiet machine.
"""

from __future__ import annotations

import argparse
import gc
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

WAITS = 4


def worker(depth: int, journeys: int) -> float:
    """Microseconds per journey of `journeys` journeys at this depth (-1: flat)."""
    import numpy as np
    import simpy

    from patientflow.acute.lean_process import Stepper, Wake, run_until

    rng = np.random.default_rng(1)
    gaps = rng.exponential(0.1, journeys).tolist()
    delays = iter(rng.exponential(20.0, journeys * WAITS).tolist())
    env = simpy.Environment()
    idle: list = []

    class Slot:
        __slots__ = ("wake", "stepper")

        def __init__(self) -> None:
            self.wake, self.stepper = Wake(env), Stepper()

    def leaf(slot: Slot):
        for _ in range(WAITS):
            yield slot.wake.after(next(delays))

    def nested(slot: Slot, levels: int):
        yield from (leaf(slot) if levels == 0 else nested(slot, levels - 1))

    def journey(slot: Slot):
        if depth < 0:
            for _ in range(WAITS):
                yield slot.wake.after(next(delays))
        else:
            yield from nested(slot, depth)
        idle.append(slot)

    def feed():
        wake = Wake(env)
        for gap in gaps:
            yield wake.after(gap)
            slot = idle.pop() if idle else Slot()
            slot.stepper.start(journey(slot))

    Stepper().start(feed())
    started = time.perf_counter()
    gc.freeze()
    while env._queue:
        run_until(env, env._now + 60.0)
    return (time.perf_counter() - started) / journeys * 1e6


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--depths", type=int, nargs="+", default=[-1, 0, 1, 2, 3])
    p.add_argument("--journeys", type=int, default=300_000)
    p.add_argument("--repeats", type=int, default=3)
    p.add_argument("--core", type=int, default=0, help="CPU core to pin to; -1: no pinning")
    p.add_argument("--worker", type=int, help=argparse.SUPPRESS)
    a = p.parse_args(argv)
    if a.worker is not None:
        print(json.dumps(worker(a.worker, a.journeys)))
        return 0
    pin = [] if a.core < 0 else ["taskset", "-c", str(a.core)]
    times: dict[int, list[float]] = {d: [] for d in a.depths}
    for _ in range(a.repeats):
        for depth in a.depths:
            cmd = [*pin, sys.executable, __file__, "--worker", str(depth)]
            cmd += ["--journeys", str(a.journeys)]
            out = subprocess.run(cmd, check=True, capture_output=True, text=True).stdout
            times[depth].append(json.loads(out))
    print("| levels of yield from | µs per journey (median) | per repeat |")
    print("|---|---|---|")
    for depth, ts in times.items():
        label = "flat" if depth < 0 else str(depth + 1)
        per = ", ".join(f"{t:.2f}" for t in ts)
        print(f"| {label} | {statistics.median(ts):.2f} | {per} |")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "src"))
    raise SystemExit(main())
