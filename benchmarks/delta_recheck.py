"""Recheck one closure of the SEH sensitivity study: full national runs against delta runs
(`sim.delta`), with the baseline (job 0) of each, nationally and in one ROAZ region; the same
jobs and table as benchmarks/delta_study.py's error part, for a closure chosen by hand.

    python benchmarks/delta_recheck.py H108503 BRABANT      # about 10 minutes, one core
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import delta_study as ds  # noqa: E402


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("site")
    p.add_argument("roaz")
    p.add_argument("--days", type=float, default=28.0)
    p.add_argument("--warmup", type=float, default=1.0)
    p.add_argument("--replications", type=int, default=3)
    p.add_argument("--core", type=int, default=0)
    p.add_argument("--out", type=Path, default=None)
    args = p.parse_args()
    args.rank = 2
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {args.core})
    runs = {}
    with tempfile.TemporaryDirectory() as t:
        for site in (None, args.site):
            for delta in (False, True):
                runs[site, delta] = ds.job(args, Path(t), site, delta, args.replications)
                print(
                    site or "baseline",
                    "delta" if delta else "full",
                    round(runs[site, delta]["wall_s"]),
                    "s",
                    flush=True,
                )
    lines = [
        f"# {args.site}: full against delta runs",
        "",
        f"`python benchmarks/delta_recheck.py {args.site} {args.roaz} --days {args.days:g} "
        f"--replications {args.replications}` at commit {ds._commit()}; wall seconds of each "
        "job (one core, its replications together): "
        + ", ".join(
            f"{site or 'baseline'} {'delta' if delta else 'full'} {run['wall_s']:.0f}"
            for (site, delta), run in runs.items()
        )
        + ".",
        "",
        "| where | indicator | full | delta | inside | effect full | effect delta |",
        "|---|---|---|---|---|---|---|",
    ]
    for where, prefix in (("national", "national."), (args.roaz, f"roaz.{args.roaz}.")):
        for ind in ds.INDICATORS:
            col = prefix + ind
            row = ds.compare(
                runs[args.site, False],
                runs[args.site, True],
                runs[None, False],
                runs[None, True],
                col,
            )
            lines.append(f"| {where} | {ind} | {ds.cells(row)}")
    full, delta = runs[args.site, False]["table"], runs[args.site, True]["table"]
    cols = [c for c in full.columns if c.startswith(("national.", "roaz.")) and c in delta]
    differ = [c for c in cols if not full[c].equals(delta[c])]
    lines += [
        "",
        f"Every replication's value equal in full and delta runs, to the last digit: "
        f"{len(cols) - len(differ)} of {len(cols)} indicators (national and per ROAZ region)"
        + (f"; differing: {', '.join(differ)}." if differ else "."),
    ]
    out = args.out or Path(__file__).resolve().parent / "results" / f"delta_recheck_{args.site}.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
