"""The impact report of a sweep: report.md and a self-contained report.html, with the tables
of report/aggregate.py and the figures of report/sweep_figures.py."""

from __future__ import annotations

import platform
import re
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import TypeGuard

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402

from patientflow.core.files import write_text  # noqa: E402
from patientflow.report.aggregate import headline_columns  # noqa: E402
from patientflow.report.chapters import job_chapters  # noqa: E402
from patientflow.report.first_page import first_page, fmt_value  # noqa: E402
from patientflow.report.jobs import Job  # noqa: E402
from patientflow.report.labels import EN, Labels  # noqa: E402
from patientflow.report.region_sections import region_tables  # noqa: E402
from patientflow.report.render import FigureRef, Part, Section, render  # noqa: E402
from patientflow.report.sweep_figures import readable_label  # noqa: E402
from patientflow.version import __version__  # noqa: E402


def _common_overrides(table: pd.DataFrame) -> dict[str, str]:
    """Overrides every job shares (the swept ones are in the indicator table); each job's full
    configuration is its folder's config.yaml."""
    return {
        c.removeprefix("override."): str(table[c].iat[0])
        for c in table.columns
        if c.startswith("override.") and table[c].nunique(dropna=False) == 1
    }


def _norm_label(table: pd.DataFrame, tr: Labels = EN) -> str:
    """The norm the jobs measured against ("45 minutes"), from their summaries."""
    norms = table["norm_min"].dropna().unique() if "norm_min" in table else []
    return " / ".join(f"{float(n):g}" for n in sorted(norms)) + f" {tr('minutes')}"


def stress_des() -> str:
    """The STRESS-DES checklist of the model (docs/stress_des.md, shipped with the package)."""
    from patientflow.config.hydra import conf_dir

    for path in (
        conf_dir().parent / "docs" / "stress_des.md",
        Path(__file__).resolve().parent / "stress_des.md",
    ):
        if path.is_file():
            return path.read_text(encoding="utf-8")
    return "docs/stress_des.md was not found next to this installation."


STRESS_SECTION = re.compile(r"^\*\*(\d+)\. ([^*]+?)\.\*\*\s*(.*)$", re.S)
STRESS_ITEM = re.compile(r"(?:^|\s)(\d+\.\d+) ")


def _compared(table: pd.DataFrame, diff: pd.DataFrame, tr: Labels = EN) -> str:
    """One sentence: the scenarios, the baseline, and how the intervals were made."""
    done = table[table["status"] == "complete"]
    labels = done["label"] if "label" in done else done["job"].astype(str)
    reps = [c for c in done.columns if c.endswith(".n") and c.startswith("acute.replications")]
    n = int(done[reps[0]].max()) if reps and done[reps[0]].notna().any() else 1
    # a label of several overrides has commas of its own: it goes in brackets
    shown = [f"({x})" if ", " in str(x) else str(x) for x in labels]
    text = tr("compared_jobs", n=len(done), labels=", ".join(shown))
    text += tr("compared_replications", n=n) if n > 1 else tr("compared_single")
    if not diff.empty:
        base = (
            diff["baseline_label"].iat[0] if "baseline_label" in diff else diff["baseline"].iat[0]
        )
        text += tr("compared_against", base=base)
    return text


def stress_des_table(text: str | None = None) -> pd.DataFrame:
    """The STRESS-DES checklist as a table: one row per item (section, item, what it says),
    parsed from docs/stress_des.md's "**N. Section.** N.1 ... N.2 ..." paragraphs."""
    text = stress_des() if text is None else text
    rows = []
    for para in re.split(r"\n\s*\n", text):
        found = STRESS_SECTION.match(" ".join(para.split()))
        if not found:
            continue
        number, section, body = found.groups()
        starts: list[re.Match[str]] = []
        for m in STRESS_ITEM.finditer(body):  # items in order: a later "2.1" in a text is text
            if m.group(1) == f"{number}.{len(starts) + 1}":
                starts.append(m)
        if not starts:
            rows.append({"section": f"{number}. {section}", "item": number, "text": body})
        for i, m in enumerate(starts):
            end = starts[i + 1].start() if i + 1 < len(starts) else len(body)
            item_text = body[m.end() : end].strip()
            rows.append({"section": f"{number}. {section}", "item": m.group(1), "text": item_text})
    return pd.DataFrame(rows, columns=["section", "item", "text"])


def _versions() -> dict[str, str]:
    out = {"patientflow": __version__, "python": platform.python_version()}
    for pkg in ("mesa", "simpy", "hydra-core", "numpy", "pandas"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out


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


def _scenario(job: object, label_of: dict[str, str], towns: dict[str, str], tr: Labels) -> str:
    """A job's scenario as read: its label with the sites named (town and id)."""
    return readable_label(label_of.get(str(job), str(job)), tr, towns)


def _map_scenario(path: Path, label_of: dict[str, str], towns: dict[str, str], tr: Labels) -> str:
    """The scenario a difference map shows (its file is difference_map_<job>.png)."""
    return _scenario(path.stem.removeprefix("difference_map_"), label_of, towns, tr)


def _by_job(wide: pd.DataFrame, label_of: dict[str, str]) -> pd.DataFrame:
    """A table with a column per job in the jobs' own order (0, 1, 2, ..., 10, not as strings
    sort), each headed by the job's label."""
    order = sorted(wide.columns, key=lambda c: (len(str(c)), str(c)))
    wide = wide[order]
    wide.columns = [label_of.get(str(c), str(c)) for c in order]
    return wide.reset_index()


def _indicator_table(t: SweepTables) -> pd.DataFrame:
    """Every job's swept values and headline indicators (the mean of its replications where
    it ran several, as the figures show)."""
    table = t.table
    swept = [c for c in table.columns if c.startswith("override.") and table[c].nunique() > 1]
    cols = ["job", "label", "status", *swept, *headline_columns(table)]
    shown = table[[c for c in cols if c in table.columns]].copy()
    for col in [c for c in shown.columns if c.startswith("acute.national.")]:
        mean = col.replace("acute.national.", "acute.replications.national.") + ".mean"
        if mean in table and table[mean].notna().any():
            shown[col] = table[mean]
            shown = shown.rename(columns={col: f"{col} (mean of replications)"})
    return shown.rename(columns=lambda c: c.removeprefix("override."))


def _interval(mean: float, low: float, high: float, signed: bool, tr: Labels) -> str:
    """A share (or a change of one) with its interval where there is one."""
    text = fmt_value(mean, True, signed, tr)
    if pd.notna(low) and pd.notna(high):
        text += f" [{fmt_value(low, True, signed, tr)}, {fmt_value(high, True, signed, tr)}]"
    return text


def _readable_breaches(
    breaches: pd.DataFrame, label_of: dict[str, str], tr: Labels
) -> pd.DataFrame:
    """The norm breaches as read: scenario names, shares in %, changes in points."""
    rows = []
    for r in breaches.itertuples(index=False):
        rows.append(
            {
                tr("col_scenario"): label_of.get(str(r.job), str(r.job)),
                tr("col_region"): r.region,
                tr("col_norm"): r.norm,
                tr("col_value"): _interval(r.value, r.ci_low, r.ci_high, False, tr),
                tr("col_short"): fmt_value(r.short_of_norm, True, True, tr).lstrip("+"),
                tr("col_baseline_value"): (
                    "" if pd.isna(r.baseline_value) else fmt_value(r.baseline_value, True)
                ),
                tr("col_against"): (
                    ""
                    if pd.isna(r.change_vs_baseline)
                    else _interval(
                        r.change_vs_baseline, r.change_ci_low, r.change_ci_high, True, tr
                    )
                ),
            }
        )
    return pd.DataFrame(rows)


def _readable_hit(
    hit: pd.DataFrame, label_of: dict[str, str], towns: dict[str, str], tr: Labels
) -> pd.DataFrame:
    """Who is hit hardest, as read: the scenario and municipality named, minutes to a tenth."""
    return pd.DataFrame(
        {
            tr("col_scenario"): [_scenario(j, label_of, towns, tr) for j in hit["job"]],
            tr("col_municipality"): hit["name"],
            tr("col_inhabitants"): hit["population"].round(),
            tr("col_65plus"): [fmt_value(v, True) for v in hit["share_65plus"]],
            tr("col_amb_base"): hit["ambulance_min_to_seh_base"].round(1),
            tr("col_amb_new"): hit["ambulance_min_to_seh"].round(1),
            tr("col_extra_amb"): [f"{v:+.1f}" for v in hit["extra_ambulance_min"]],
            tr("col_extra_car"): [f"{v:+.1f}" for v in hit["extra_car_min"]],
            tr("col_extra_beyond"): hit["extra_beyond_norm"].round(),
        }
    )


def _readable_shift(
    shift: pd.DataFrame, label_of: dict[str, str], towns: dict[str, str], tr: Labels
) -> pd.DataFrame:
    """The load on neighbours, as read: the scenario and the SEH named (town and id)."""
    return pd.DataFrame(
        {
            tr("col_scenario"): [_scenario(j, label_of, towns, tr) for j in shift["job"]],
            tr("col_seh"): [f"{towns[i]} ({i})" if i in towns else i for i in shift["site_id"]],
            tr("col_catch_base"): shift["catchment_base"].round(),
            tr("col_catch_new"): shift["catchment"].round(),
            tr("col_catch_extra"): shift["extra_inhabitants"].round(),
        }
    )


def _beyond_per_region(
    regions: pd.DataFrame, table: pd.DataFrame, label_of: dict[str, str], tr: Labels
) -> Section:
    """Inhabitants beyond the norm per ROAZ region and job; one column when every job has the
    same number in every region (a sweep that changes no 24/7 SEH). A region missing
    from a job's table (NaN) counts as a difference, never as the same."""
    # Each (region, name) pair as the jobs have it, a job without the region NaN. Not
    # pivot_table(dropna=False): that makes the product of all codes and all names.
    wide = (
        regions.groupby(["region", "name", "job"], sort=True)["population_beyond_norm"]
        .mean()
        .unstack("job")
    )
    same = wide.shape[1] > 1 and bool(wide.nunique(axis=1, dropna=False).le(1).all())
    title = tr("sec_beyond_per_region", norm=_norm_label(table, tr))
    if same:
        wide = wide.iloc[:, :1].set_axis([tr("all_scenarios")], axis=1)
    elif wide.shape[1] > len(wide):
        # More scenarios than regions (each SEH closed in turn): a row per scenario reads
        # better than a column per scenario.
        per_job = _by_job(wide.droplevel("name"), label_of).set_index("region").T
        per_job = per_job.rename_axis(index=tr("col_scenario"), columns=None).reset_index()
        return Section(title, text=tr("access_row_per_scenario"), table=per_job)
    return Section(
        title,
        text=tr("access_unchanged") if same else "",
        table=_by_job(wide.rename_axis(index=[tr("col_region"), tr("col_name")]), label_of),
    )


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
        access.sections.append(_beyond_per_region(t.regions, table, label_of, tr))
    if _has(t.hit):
        access.sections.append(
            Section(tr("sec_hardest_hit"), table=_readable_hit(t.hit, label_of, t.towns, tr))
        )
    if _has(t.shift):
        access.sections.append(
            Section(tr("sec_load_shift"), table=_readable_shift(t.shift, label_of, t.towns, tr))
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
                        + _map_scenario(p, label_of, t.towns, tr),
                    )
                    for p in figs.difference_maps
                ],
            )
        )

    acute = Part(tr("part_acute"))
    if _has(t.breaches):
        acute.sections.append(
            Section(tr("sec_breaches"), table=_readable_breaches(t.breaches, label_of, tr))
        )

    chapters = job_chapters(table)
    care = Part(tr("part_care"))
    if _has(t.care_networks):
        nets = t.care_networks[t.care_networks["network"] != "NL"]
        for ind in ("providers_new", "extra_travel_min_mean"):
            wide = nets.pivot_table(index=["intervention", "network"], columns="job", values=ind)
            care.sections.append(
                Section(
                    tr("sec_care_networks", indicator=tr.name(ind)), table=_by_job(wide, label_of)
                )
            )
    impact_cols = [c for c in table.columns if c.startswith("care_impact.")]
    if impact_cols:
        per_job = table[["job", *impact_cols]].set_index("job").T
        per_job.index = [i.removeprefix("care_impact.") for i in per_job.index]
        per_job = _by_job(per_job.rename_axis(tr("col_indicator")), label_of)
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
            table=_indicator_table(t),
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
        Section(tr("sec_software"), bullets=[f"{k} {v}" for k, v in _versions().items()]),
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
