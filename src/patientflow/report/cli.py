"""`patientflow-report PATH`: aggregate a sweep's folder into comparison tables, figures and an
impact report. Missing and failed jobs are listed, never fatal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from patientflow.report.aggregate import (
    acute_regions_side_by_side,
    comparison,
    find_jobs,
    hardest_hit,
    load_shift,
    paired_differences,
    pick_baseline,
    regions_side_by_side,
    seed_mismatches,
    swept_columns,
)
from patientflow.report.impact import forest_plot, indicator_figures, write_report


def build_report(root: Path, out: Path | None = None, baseline: str | None = None) -> dict:
    """Write comparison.csv/.parquet, paired_differences.csv, figures and report.md/.html."""
    out = out or root
    out.mkdir(parents=True, exist_ok=True)
    jobs = find_jobs(root)
    if not jobs:
        raise FileNotFoundError(f"no job folders (with .hydra/ or config.yaml) under {root}")
    table = comparison(jobs)
    table.to_csv(out / "comparison.csv", index=False)
    table.astype({c: str for c in table.columns if c.startswith("override.")}).to_parquet(
        out / "comparison.parquet", index=False
    )
    base = pick_baseline(jobs, baseline)
    unpaired = seed_mismatches(jobs, base) if base else []
    for message in unpaired:
        print(f"patientflow-report: {message}", file=sys.stderr)
    diff = paired_differences(jobs, base) if base else pd.DataFrame()
    diff.to_csv(out / "paired_differences.csv", index=False)
    hit = hardest_hit(jobs, base) if base else pd.DataFrame()
    hit.to_csv(out / "hardest_hit.csv", index=False)
    regions = regions_side_by_side(jobs, base) if base else pd.DataFrame()
    regions.to_csv(out / "regions_by_job.csv", index=False)
    acute_regions = acute_regions_side_by_side(jobs)
    acute_regions.to_csv(out / "acute_regions_by_job.csv", index=False)
    shift = load_shift(jobs, base) if base else pd.DataFrame()
    shift.to_csv(out / "load_shift.csv", index=False)
    figures = indicator_figures(table, swept_columns(table), out)
    forest = forest_plot(diff, out)
    if forest:
        figures.append(forest)
    md, html = write_report(
        table,
        diff,
        figures,
        root,
        out,
        hit=hit,
        regions=regions,
        shift=shift,
        acute_regions=acute_regions,
        unpaired=unpaired,
    )
    return {
        "jobs": len(jobs),
        "complete": int((table["status"] == "complete").sum()),
        "failed": table.loc[table["status"] != "complete", "job"].tolist(),
        "unpaired": unpaired,
        "report": html,
        "markdown": md,
        "figures": figures,
    }


def main(argv: list[str] | None = None) -> int:
    """Console entry point."""
    parser = argparse.ArgumentParser(prog="patientflow-report", description=__doc__)
    parser.add_argument("path", type=Path, help="a sweep (multirun) folder, or a run folder")
    parser.add_argument("--out", type=Path, default=None, help="where to write (default: PATH)")
    parser.add_argument(
        "--baseline",
        default=None,
        help="job folder name to pair against (default: the job that names a "
        "baseline scenario or network, else the first complete job)",
    )
    args = parser.parse_args(argv)
    if not args.path.is_dir():
        print(f"patientflow-report: error: {args.path} is not a folder", file=sys.stderr)
        return 2
    try:
        result = build_report(args.path, args.out, args.baseline)
    except FileNotFoundError as exc:
        print(f"patientflow-report: error: {exc}", file=sys.stderr)
        return 2
    print(
        f"{result['complete']} of {result['jobs']} jobs complete"
        + (f"; not complete: {', '.join(result['failed'])}" if result["failed"] else "")
        + f"; report in {result['report']}"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
