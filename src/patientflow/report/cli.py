"""`patientflow-report PATH`: aggregate a sweep's folder into comparison tables, figures and an
impact report. Missing and failed jobs are listed, never fatal."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import pandas as pd

from patientflow.core.files import write_frame
from patientflow.errors import PatientflowError
from patientflow.report.aggregate import (
    acute_regions_side_by_side,
    care_networks_side_by_side,
    comparison,
    hardest_hit,
    job_labels,
    load_shift,
    paired_differences,
    pick_baseline,
    regions_side_by_side,
    seed_mismatches,
    swept_columns,
)
from patientflow.report.breaches import norm_breaches
from patientflow.report.difference_maps import difference_maps
from patientflow.report.impact import write_report
from patientflow.report.jobs import COMPLETE, UnreadableTable, find_jobs
from patientflow.report.sweep_figures import forest_plot, indicator_figures


def build_report(root: Path, out: Path | None = None, baseline: str | None = None) -> dict:
    """Write comparison.csv/.parquet, paired_differences.csv, figures and report.md/.html.
    Every expected job is listed with its state; a broken folder or table is reported, never
    fatal. An unknown --baseline raises UnknownBaseline."""
    out = out or root
    out.mkdir(parents=True, exist_ok=True)
    jobs = find_jobs(root)
    if not jobs:
        raise FileNotFoundError(f"no job folders (with .hydra/ or config.yaml) under {root}")
    table = comparison(jobs)
    write_frame(table, out / "comparison.csv")
    write_frame(
        table.astype({c: str for c in table.columns if c.startswith("override.")}),
        out / "comparison.parquet",
    )
    base = pick_baseline(jobs, baseline)
    left_out: list[str] = []

    def section(make, *args) -> pd.DataFrame:
        """One aggregate table; a job's unreadable table leaves this one out, with a note."""
        try:
            return make(*args)
        except UnreadableTable as exc:
            left_out.append(f"{make.__name__.replace('_', ' ')}: {exc}")
            return pd.DataFrame()

    unpaired = seed_mismatches(jobs, base) if base else []
    for message in unpaired:
        print(f"patientflow-report: {message}", file=sys.stderr)
    diff = section(paired_differences, jobs, base) if base else pd.DataFrame()
    write_frame(diff, out / "paired_differences.csv")
    hit = section(hardest_hit, jobs, base) if base else pd.DataFrame()
    write_frame(hit, out / "hardest_hit.csv")
    regions = section(regions_side_by_side, jobs, base) if base else pd.DataFrame()
    write_frame(regions, out / "regions_by_job.csv")
    acute_regions = section(acute_regions_side_by_side, jobs)
    write_frame(acute_regions, out / "acute_regions_by_job.csv")
    breaches = section(norm_breaches, jobs, base)
    write_frame(breaches, out / "norm_breaches.csv")
    care_networks = section(care_networks_side_by_side, jobs)
    write_frame(care_networks, out / "care_networks_by_job.csv")
    shift = section(load_shift, jobs, base) if base else pd.DataFrame()
    write_frame(shift, out / "load_shift.csv")
    figures = indicator_figures(table, swept_columns(table), out)
    forest = forest_plot(diff, out)
    if forest:
        figures.append(forest)
    if base:
        figures += difference_maps(jobs, base, job_labels(jobs), out)
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
        care_networks=care_networks,
        breaches=breaches,
        unpaired=[*unpaired, *left_out],
    )
    not_complete = table[table["status"] != COMPLETE]
    return {
        "jobs": len(jobs),
        "complete": int((table["status"] == COMPLETE).sum()),
        "failed": not_complete["job"].astype(str).tolist(),
        "states": dict(zip(table["job"].astype(str), table["status"], strict=True)),
        "unpaired": unpaired,
        "left_out": left_out,
        "report": html,
        "markdown": md,
        "figures": figures,
    }


def main(argv: list[str] | None = None) -> int:
    """Console entry point: 0 when every expected job is complete, 1 when the report was
    written but some job is not (each listed with its state), 2 for a usage error."""
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
    except (FileNotFoundError, PatientflowError) as exc:
        print(f"patientflow-report: error: {exc}", file=sys.stderr)
        return 2
    print(f"{result['complete']} of {result['jobs']} jobs complete; report in {result['report']}")
    for job, state in result["states"].items():
        if state != COMPLETE:
            print(f"  job {job}: {state}", file=sys.stderr)
    for note in result["left_out"]:
        print(f"  left out: {note}", file=sys.stderr)
    return 1 if result["failed"] or result["left_out"] else 0


if __name__ == "__main__":
    sys.exit(main())
