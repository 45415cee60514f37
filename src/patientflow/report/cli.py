"""`patientflow-report PATH`: aggregate a sweep's folder into comparison tables, figures and an
impact report. Missing and failed jobs are listed, never fatal."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

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
    site_towns,
    swept_columns,
)
from patientflow.report.breaches import norm_breaches
from patientflow.report.difference_maps import difference_maps
from patientflow.report.impact import SweepFigures, SweepTables, write_report
from patientflow.report.jobs import COMPLETE, UnreadableTable, find_jobs, load_yaml
from patientflow.report.labels import LANGUAGES, Labels
from patientflow.report.sweep_figures import forest_plot, indicator_figures, readable_label


def build_report(
    root: Path, out: Path | None = None, baseline: str | None = None, lang: str | None = None
) -> dict:
    """Write comparison.csv/.parquet, paired_differences.csv, figures and report.md/.html
    (in `lang`, en or nl; by default the jobs' report.lang). Every expected job is listed with
    its state; a broken folder or table is reported, never fatal. An unknown --baseline raises
    UnknownBaseline."""
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
    norms = table["norm_min"].dropna().unique() if "norm_min" in table else []
    tr = Labels(
        lang or jobs_language(jobs), " / ".join(f"{float(n):g}" for n in sorted(norms)) or "45"
    )
    left_out: list[str] = []

    def section(make: Callable[..., pd.DataFrame], *args: Any) -> pd.DataFrame:
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
    try:
        towns = site_towns(jobs)
    except UnreadableTable as exc:
        towns = {}
        left_out.append(f"hospital towns (site ids shown alone): {exc}")
    figures = SweepFigures(
        indicators=indicator_figures(table, swept_columns(table), out, tr=tr, towns=towns),
        forest=forest_plot(diff, out, tr=tr),
        difference_maps=(
            difference_maps(
                jobs,
                base,
                {k: readable_label(v, tr, towns) for k, v in job_labels(jobs).items()},
                out,
                tr=tr,
            )
            if base
            else []
        ),
    )
    tables = SweepTables(
        table,
        diff,
        hit=hit,
        regions=regions,
        shift=shift,
        care_networks=care_networks,
        breaches=breaches,
        towns=towns,
        unpaired=[*unpaired, *left_out],
    )
    md, html = write_report(tables, figures, jobs, root, out, tr)
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
        "figures": [
            *figures.indicators,
            *([figures.forest] if figures.forest else []),
            *figures.difference_maps,
        ],
    }


def jobs_language(jobs: list) -> str:
    """The report.lang the complete jobs ran with (en when they differ or do not say)."""
    import yaml

    found = set()
    for job in jobs:
        path = job.path / "config.yaml"
        if job.status != COMPLETE or not path.is_file():
            continue
        try:
            cfg = load_yaml(path.read_text(encoding="utf-8")) or {}
        except (OSError, yaml.YAMLError):
            continue
        lang = (cfg.get("report") or {}).get("lang") if isinstance(cfg, dict) else None
        if lang:
            found.add(str(lang))
    return found.pop() if len(found) == 1 and found <= set(LANGUAGES) else "en"


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
    parser.add_argument(
        "--lang",
        choices=LANGUAGES,
        default=None,
        help="language of the report and its figures (default: the jobs' report.lang, else en)",
    )
    args = parser.parse_args(argv)
    if not args.path.is_dir():
        print(f"patientflow-report: error: {args.path} is not a folder", file=sys.stderr)
        return 2
    try:
        result = build_report(args.path, args.out, args.baseline, args.lang)
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
