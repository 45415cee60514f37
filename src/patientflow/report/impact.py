"""The impact report of a sweep: report.md and a self-contained report.html, with the tables
of report/aggregate.py and the figures of report/sweep_figures.py."""

from __future__ import annotations

import base64
import html
import platform
import re
from importlib import metadata
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
import pandas as pd  # noqa: E402

from patientflow.core.files import write_text  # noqa: E402
from patientflow.report.aggregate import headline_columns  # noqa: E402
from patientflow.report.chapters import as_html, as_markdown, job_chapters
from patientflow.report.first_page import first_page
from patientflow.report.markdown import fmt_number, md_escape, md_table  # noqa: E402
from patientflow.version import __version__  # noqa: E402


def _common_overrides(table: pd.DataFrame) -> dict[str, str]:
    """Overrides every job shares (the swept ones are in the indicator table); each job's full
    configuration is its folder's config.yaml."""
    return {
        c.removeprefix("override."): str(table[c].iat[0])
        for c in table.columns
        if c.startswith("override.") and table[c].nunique(dropna=False) == 1
    }


def _norm_label(table: pd.DataFrame) -> str:
    """The norm the jobs measured against ("45 minutes"), from their summaries."""
    norms = table["norm_min"].dropna().unique() if "norm_min" in table else []
    if len(norms) == 1:
        return f"{float(norms[0]):g} minutes"
    return "the norm (" + ", ".join(f"{float(n):g}" for n in sorted(norms)) + " minutes)"


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


def _compared(table: pd.DataFrame, diff: pd.DataFrame) -> str:
    """One sentence: the scenarios, the baseline, and how the intervals were made."""
    done = table[table["status"] == "complete"]
    labels = done["label"] if "label" in done else done["job"].astype(str)
    reps = [c for c in done.columns if c.endswith(".n") and c.startswith("acute.replications")]
    n = int(done[reps[0]].max()) if reps and done[reps[0]].notna().any() else 1
    text = f"{len(done)} scenarios: {', '.join(map(str, labels))}; "
    text += f"{n} replications each: means with 95 % intervals. " if n > 1 else "one run each. "
    if not diff.empty:
        base = (
            diff["baseline_label"].iat[0] if "baseline_label" in diff else diff["baseline"].iat[0]
        )
        text += (
            f"Differences are against {base}, paired over common random numbers; 'better' or "
            "'worse' only where the 95 % interval of the difference excludes zero."
        )
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
        starts = []
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


def write_report(
    table: pd.DataFrame,
    diff: pd.DataFrame,
    figures: list[Path],
    root: Path,
    out: Path,
    hit: pd.DataFrame | None = None,
    regions: pd.DataFrame | None = None,
    shift: pd.DataFrame | None = None,
    acute_regions: pd.DataFrame | None = None,
    care_networks: pd.DataFrame | None = None,
    breaches: pd.DataFrame | None = None,
    unpaired: list[str] | None = None,
) -> tuple[Path, Path]:
    """report.md and a self-contained report.html (figures embedded)."""
    swept = [c for c in table.columns if c.startswith("override.") and table[c].nunique() > 1]
    cols = ["job", "label", "status", *swept, *headline_columns(table)]
    label_of = dict(zip(table["job"].astype(str), table.get("label", table["job"]), strict=True))
    shown = table[[c for c in cols if c in table.columns]].copy()
    for col in [c for c in shown.columns if c.startswith("acute.national.")]:
        mean = col.replace("acute.national.", "acute.replications.national.") + ".mean"
        if mean in table and table[mean].notna().any():  # the mean the figures show, not rep 0
            shown[col] = table[mean]
            shown = shown.rename(columns={col: f"{col} (mean of replications)"})
    shown = shown.rename(columns=lambda c: c.removeprefix("override."))
    failed = table[table["status"] != "complete"][["job", "status", "error"]]
    page = first_page(table, diff)
    compared = _compared(table, diff)
    md = [
        f"# Impact report: {md_escape(root)}",
        "",
        f"{len(table)} jobs, {int((table['status'] == 'complete').sum())} complete.",
        "",
        "## What was compared",
        "",
        md_escape(compared),
        "",
        md_table(page) if len(page) else "",
        "",
        "## Indicators per job",
        "",
        md_table(shown),
        "",
    ]
    if len(failed):
        md += ["## Failed or incomplete jobs", "", md_table(failed), ""]
    if not diff.empty:
        md += [
            "## Paired differences against the baseline (common random numbers)",
            "",
            md_table(diff),
            "",
        ]
    if unpaired:
        md += [
            "## Jobs not paired with the baseline, and tables left out",
            "",
            *[f"- {md_escape(m)}" for m in unpaired],
            "",
        ]
    extra_sections = []
    if regions is not None and not regions.empty:
        wide = regions.pivot_table(
            index=["region", "name"], columns="job", values="population_beyond_norm"
        ).reset_index()
        wide.columns = [str(c) for c in wide.columns]
        extra_sections.append(
            (f"Inhabitants beyond {_norm_label(table)} per ROAZ region, per job", wide)
        )
    if hit is not None and not hit.empty:
        extra_sections.append(
            (
                "Who is hit hardest: municipalities whose ambulance minutes to a 24/7 SEH grow "
                "most (with their 65+ share)",
                hit,
            )
        )
    if acute_regions is not None and not acute_regions.empty:
        for ind in ("a1_share_on_scene_15min", "share_seh_triage_10min", "seh_los_min_p90"):
            wide = acute_regions.pivot_table(index="region", columns="job", values=ind)
            wide.columns = [label_of.get(str(c), f"job {c}") for c in wide.columns]
            extra_sections.append(
                (f"Per ROAZ region, per job: {ind.replace('_', ' ')}", wide.reset_index())
            )
    if care_networks is not None and not care_networks.empty:
        nets = care_networks[care_networks["network"] != "NL"]
        for ind, label in (
            ("providers_new", "providers"),
            ("extra_travel_min_mean", "mean extra car minutes per patient"),
        ):
            wide = nets.pivot_table(index=["intervention", "network"], columns="job", values=ind)
            wide.columns = [f"job {c}" for c in wide.columns]
            extra_sections.append(
                (f"Complex care per cancer network, per job: {label}", wide.reset_index())
            )
    if breaches is not None and not breaches.empty:
        extra_sections.append(
            (
                "Norms breached per ROAZ region and job: the mean over the replications with "
                "its 95 % interval, how far short of the norm, the baseline's mean in that "
                "region and the paired change against it with its interval",
                breaches,
            )
        )
    impact_cols = [c for c in table.columns if c.startswith("care_impact.")]
    if impact_cols:
        per_job = table[["job", *impact_cols]].set_index("job").T.reset_index()
        per_job.columns = ["indicator", *[f"job {c}" for c in per_job.columns[1:]]]
        per_job["indicator"] = per_job["indicator"].str.removeprefix("care_impact.")
        extra_sections.append(
            (
                "Complex care, impact per stakeholder group (patients, professionals, "
                "providers, networks), per job; each job's care_impact.md has the chapter",
                per_job,
            )
        )
    common = {k: v for k, v in _common_overrides(table).items()}
    if common:
        extra_sections.insert(
            0,
            (
                "Configuration common to every job",
                pd.DataFrame({"override": list(common), "value": list(common.values())}),
            ),
        )
    if shift is not None and not shift.empty:
        extra_sections.append(
            ("Load on neighbours: 24/7 SEHs whose ambulance catchment grows most", shift)
        )
    for title, frame in extra_sections:
        md += [f"## {title}", "", md_table(frame), ""]
    chapters = job_chapters(table)
    for chapter in chapters:
        md += [f"## {md_escape(chapter.title)}", "", as_markdown(chapter, out), ""]
    checklist = stress_des_table()
    md += ["## STRESS-DES checklist", "", md_table(checklist), ""]
    md += [
        "## Assumptions",
        "",
        "The model's assumptions and their sources: docs/acute-model.md, "
        "docs/complex-care.md, docs/travel-model.md and the data README. Each job's full "
        "configuration is in its folder (config.yaml).",
        "",
        "## Software",
        "",
        *[f"- {k} {v}" for k, v in _versions().items()],
        "",
    ]
    md_path = out / "report.md"
    write_text(md_path, "\n".join(md))
    body = [
        f"<h1>Impact report</h1><p>{html.escape(str(root))}: {len(table)} jobs, "
        f"{int((table['status'] == 'complete').sum())} complete.</p>",
        "<h2>What was compared</h2>",
        f"<p>{html.escape(compared)}</p>",
        page.to_html(index=False) if len(page) else "",
        "<h2>Indicators per job</h2>",
        shown.to_html(index=False, float_format=fmt_number),
    ]
    if len(failed):
        body += ["<h2>Failed or incomplete jobs</h2>", failed.to_html(index=False)]
    if not diff.empty:
        body += [
            "<h2>Paired differences against the baseline</h2>",
            diff.to_html(index=False, float_format=fmt_number),
        ]
    if unpaired:
        body += [
            "<h2>Jobs not paired with the baseline, and tables left out</h2><ul>"
            + "".join(f"<li>{html.escape(m)}</li>" for m in unpaired)
            + "</ul>"
        ]
    for title, frame in extra_sections:
        body += [
            f"<h2>{html.escape(title)}</h2>",
            frame.to_html(index=False, float_format=fmt_number),
        ]
    for chapter in chapters:
        body += [f"<h2>{html.escape(chapter.title)}</h2>", as_html(chapter)]
    if figures:
        body.append("<h2>Figures</h2>")
    for fig in figures:
        data = base64.b64encode(fig.read_bytes()).decode("ascii")
        body.append(
            f'<figure><img src="data:image/png;base64,{data}" style="max-width:100%">'
            f"<figcaption>{html.escape(fig.name)}</figcaption></figure>"
        )
    body += ["<h2>STRESS-DES checklist</h2>", checklist.to_html(index=False)]
    body += [
        "<h2>Software</h2><ul>"
        + "".join(f"<li>{k} {v}</li>" for k, v in _versions().items())
        + "</ul>"
    ]
    style = (
        "body{font-family:sans-serif;max-width:1100px;margin:2em auto;} table{border-collapse:"
        "collapse;font-size:12px;display:block;max-width:100%;overflow-x:auto} "
        "td,th{border:1px solid #ccc;padding:3px 6px} img{max-width:100%}"
    )
    html_path = out / "report.html"
    write_text(
        html_path,
        f"<!doctype html><html><head><meta charset='utf-8'><title>patientflow "
        f"impact report</title><style>{style}</style></head><body>"
        + "\n".join(body)
        + "</body></html>",
    )
    return md_path, html_path
