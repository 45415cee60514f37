"""The impact report of a sweep: its parts in order (what was compared, accessibility, acute,
complex care, regiobeeld, by region, all tables, method) and report.md and a self-contained
report.html written from them. The tables as read come from report/sweep_tables.py, the
checklist and versions from report/method.py, the figures from report/sweep_figures.py."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeGuard

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402

from patientflow.core.files import write_text  # noqa: E402
from patientflow.report.chapters import job_chapters  # noqa: E402
from patientflow.report.first_page import first_page  # noqa: E402
from patientflow.report.jobs import Job  # noqa: E402
from patientflow.report.labels import EN, Labels  # noqa: E402
from patientflow.report.method import stress_des_table, versions  # noqa: E402
from patientflow.report.region_sections import region_tables  # noqa: E402
from patientflow.report.render import FigureRef, Part, Section, render  # noqa: E402
from patientflow.report.sweep_tables import (  # noqa: E402
    beyond_per_region,
    by_job,
    indicator_table,
    map_scenario,
    readable_breaches,
    readable_hit,
    readable_shift,
)


def _common_overrides(table: pd.DataFrame) -> dict[str, str]:
    """Overrides every job shares (the swept ones are in the indicator table); each job's full
    configuration is its folder's config.yaml."""
    return {
        c.removeprefix("override."): str(table[c].iat[0])
        for c in table.columns
        if c.startswith("override.") and table[c].nunique(dropna=False) == 1
    }


def _compared(table: pd.DataFrame, diff: pd.DataFrame, tr: Labels = EN) -> str:
    """One sentence: the scenarios, the baseline, and how the intervals were made."""
    done = table[table["status"] == "complete"]
    labels = done["label"] if "label" in done else done["job"].astype(str)
    reps = [c for c in done.columns if c.endswith(".n") and c.startswith("acute.replications")]
    counts = done[reps[0]].fillna(1) if reps and len(done) else pd.Series([1.0])
    low, high = int(counts.min()), int(counts.max())
    # a label of several overrides has commas of its own: it goes in brackets
    shown = [f"({x})" if ", " in str(x) else str(x) for x in labels]
    text = tr("compared_jobs", n=len(done), labels=", ".join(shown))
    if low != high:
        text += tr("compared_replications_range", low=low, high=high)
    else:
        text += tr("compared_replications", n=high) if high > 1 else tr("compared_single")
    if not diff.empty:
        base = (
            diff["baseline_label"].iat[0] if "baseline_label" in diff else diff["baseline"].iat[0]
        )
        text += tr("compared_against", base=base)
    return text


@dataclass
class SweepTables:
    """The aggregate tables of a sweep (report/aggregate.py, report/breaches.py)."""

    table: pd.DataFrame
    diff: pd.DataFrame
    hit: pd.DataFrame | None = None
    regions: pd.DataFrame | None = None
    shift: pd.DataFrame | None = None
    care_networks: pd.DataFrame | None = None
    breaches: pd.DataFrame | None = None
    # each site's town as the jobs ran it (aggregate.site_towns): names in labels and tables
    towns: dict[str, str] = field(default_factory=dict)
    unpaired: list[str] = field(default_factory=list)


@dataclass
class SweepFigures:
    """The sweep's figures by what they show."""

    indicators: list[Path] = field(default_factory=list)
    forest: Path | None = None
    difference_maps: list[Path] = field(default_factory=list)


def _has(frame: pd.DataFrame | None) -> TypeGuard[pd.DataFrame]:
    return frame is not None and not frame.empty


def _parts(t: SweepTables, figs: SweepFigures, jobs: list[Job], tr: Labels) -> list[Part]:
    """The report's chapters: what was compared, then by job type, by region, all tables, and
    the method."""
    table = t.table
    label_of = dict(zip(table["job"].astype(str), table.get("label", table["job"]), strict=True))
    page = first_page(table, t.diff, tr)
    first = Part(tr("part_compared"))
    first.sections.append(
        Section(
            text=_compared(table, t.diff, tr),
            table=page if len(page) else None,
            figures=[FigureRef(figs.forest, tr("caption_forest"))] if figs.forest else [],
        )
    )

    access = Part(tr("part_access"))
    if _has(t.regions):
        moved = _has(t.hit) or bool(figs.difference_maps)
        access.sections.append(beyond_per_region(t.regions, table, label_of, tr, moved))
    if _has(t.hit):
        access.sections.append(
            Section(tr("sec_hardest_hit"), table=readable_hit(t.hit, label_of, t.towns, tr))
        )
    if _has(t.shift):
        access.sections.append(
            Section(tr("sec_load_shift"), table=readable_shift(t.shift, label_of, t.towns, tr))
        )
    if figs.difference_maps:
        access.sections.append(
            Section(
                tr("sec_difference_maps"),
                figures=[
                    FigureRef(
                        p,
                        tr("caption_difference_map")
                        + ": "
                        + map_scenario(p, label_of, t.towns, tr),
                    )
                    for p in figs.difference_maps
                ],
            )
        )

    acute = Part(tr("part_acute"))
    if _has(t.breaches):
        acute.sections.append(
            Section(tr("sec_breaches"), table=readable_breaches(t.breaches, label_of, tr))
        )

    chapters = job_chapters(table)
    care = Part(tr("part_care"))
    if _has(t.care_networks):
        nets = t.care_networks[t.care_networks["network"] != "NL"]
        for ind in ("providers_new", "extra_travel_min_mean"):
            wide = nets.pivot_table(index=["intervention", "network"], columns="job", values=ind)
            care.sections.append(
                Section(
                    tr("sec_care_networks", indicator=tr.name(ind)), table=by_job(wide, label_of)
                )
            )
    impact_cols = [c for c in table.columns if c.startswith("care_impact.")]
    if impact_cols:
        per_job = table[["job", *impact_cols]].set_index("job").T
        per_job.index = [i.removeprefix("care_impact.") for i in per_job.index]
        per_job = by_job(per_job.rename_axis(tr("col_indicator")), label_of)
        care.sections.append(Section(tr("sec_care_impact"), table=per_job))
    care.sections += [Section(chapter=ch) for ch in chapters if ch.kind == "care"]
    regiobeeld = Part(tr("part_regiobeeld"))
    regiobeeld.sections += [Section(chapter=ch) for ch in chapters if ch.kind == "regiobeeld"]

    regions = Part(tr("part_regions"), intro=tr("regions_intro"))
    for region in region_tables(jobs, label_of, tr):
        regions.sections.append(Section(f"{region.name} ({region.code})", table=region.table))

    tables = Part(tr("part_tables"))
    tables.sections.append(
        Section(
            tr("sec_indicators"),
            table=indicator_table(t.table),
            figures=[FigureRef(p, tr("caption_indicators")) for p in figs.indicators],
        )
    )
    failed = table[table["status"] != "complete"][["job", "status", "error"]]
    if len(failed):
        tables.sections.append(Section(tr("sec_failed"), table=failed))
    if not t.diff.empty:
        tables.sections.append(Section(tr("sec_paired"), table=t.diff))
    if t.unpaired:
        tables.sections.append(Section(tr("sec_unpaired"), bullets=list(t.unpaired)))

    method = Part(tr("part_method"))
    common = _common_overrides(table)
    if common:
        method.sections.append(
            Section(
                tr("sec_common"),
                table=pd.DataFrame({"override": list(common), "value": list(common.values())}),
            )
        )
    method.sections += [
        Section(tr("sec_assumptions"), text=tr("assumptions_text")),
        Section(tr("sec_sources"), text=tr("sources_text")),
        Section(tr("sec_stress_des"), table=stress_des_table()),
        Section(tr("sec_software"), bullets=[f"{k} {v}" for k, v in versions().items()]),
    ]
    return [first, access, acute, care, regiobeeld, regions, tables, method]


def write_report(
    tables: SweepTables,
    figures: SweepFigures,
    jobs: list[Job],
    root: Path,
    out: Path,
    tr: Labels = EN,
) -> tuple[Path, Path]:
    """report.md and a self-contained report.html (figures embedded), in the language of
    `tr`."""
    table = tables.table
    md, page = render(
        _parts(tables, figures, jobs, tr),
        tr,
        out,
        root=str(root),
        jobs=len(table),
        complete=int((table["status"] == "complete").sum()),
    )
    md_path, html_path = out / "report.md", out / "report.html"
    write_text(md_path, md)
    write_text(html_path, page)
    return md_path, html_path
