"""Could closures share a run? In the SEH sensitivity study a closure changes journeys only in
its core (delta.py; `changed_journeys.py` found none outside it), so closures whose cores do
not overlap could be simulated together in one national run and each stitched from it with
the baseline, exactly. How many runs would the 76 closures then need: a greedy colouring of
the graph of overlapping cores (largest core first), from the worlds alone (no simulation).

    python benchmarks/delta_batches.py --out benchmarks/results/delta_batches.md

Not part of the test suite (about a minute: the 76 areas).
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import delta_study as ds  # noqa: E402


def batches(sets: dict[str, frozenset]) -> list[list[str]]:
    """Groups of keys whose sets are pairwise disjoint: each key, largest set first, joins the
    first group it overlaps with nowhere, else starts a new one."""
    groups: list[list[str]] = []
    for key in sorted(sets, key=lambda k: (-len(sets[k]), k)):
        for group in groups:
            if all(not sets[key] & sets[other] for other in group):
                group.append(key)
                break
        else:
            groups.append([key])
    return groups


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--core", type=int, default=0)
    p.add_argument("--out", type=Path, default=None)
    args = p.parse_args()
    args.days, args.warmup, args.rank = 28.0, 1.0, 2
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.core})
    sites = ds.closures()
    started = time.perf_counter()
    area = ds.areas(args, sites, sets=True)
    lines = [
        f"# Closures sharing a run: {len(sites)} closures of the SEH sensitivity study",
        "",
        f"`python benchmarks/delta_batches.py` (areas in {time.perf_counter() - started:.0f} s; "
        "national, PC4 points, sim.delta_rank 2). A batch holds closures whose municipality "
        "sets are pairwise disjoint (greedy colouring, largest set first).",
        "",
        "| sets kept apart | runs for the study | closures per run | at most this much faster |",
        "|---|---|---|---|",
    ]
    groups = batches({r.site: frozenset(r.core_set) for r in area.itertuples()})
    sizes = sorted((len(g) for g in groups), reverse=True)
    lines.append(
        f"| cores (exact) | {len(groups)} | {sizes[-1]} to {sizes[0]} | "
        f"{len(sites) / len(groups):.2f} times |"
    )
    disjoint = sum(
        1
        for i, a in enumerate(area["core_set"])
        for b in list(area["core_set"])[i + 1 :]
        if not set(a) & set(b)
    )
    pairs = len(area) * (len(area) - 1) // 2
    lines += ["", f"Pairs of closures with disjoint cores: {disjoint} of {pairs}."]
    table = "\n".join(lines)
    print(table)
    if args.out:
        args.out.write_text(table + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
