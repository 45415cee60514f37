"""The sweep report as a document: parts (chapters) of sections, each with text, a table,
figures or a job's own chapter, rendered to Markdown and to a self-contained HTML page by the
Jinja2 templates report.md.j2 and report.html.j2."""

from __future__ import annotations

import base64
import os
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from jinja2 import Environment, PackageLoader, select_autoescape
from markupsafe import Markup

from patientflow.report.chapters import Chapter, as_html, as_markdown
from patientflow.report.labels import Labels
from patientflow.report.markdown import fmt_number, md_escape, md_table


@dataclass
class FigureRef:
    """A figure of the report: its PNG and what it shows."""

    path: Path
    caption: str


@dataclass
class Section:
    """One section: any of a paragraph, bullet points, a table, figures and a job's chapter."""

    title: str = ""
    text: str = ""
    bullets: list[str] = field(default_factory=list)
    table: pd.DataFrame | None = None
    figures: list[FigureRef] = field(default_factory=list)
    chapter: Chapter | None = None


@dataclass
class Part:
    """A chapter of the report with its sections; parts without sections are left out."""

    title: str
    intro: str = ""
    sections: list[Section] = field(default_factory=list)


def _environment(out: Path, markdown: bool) -> Environment:
    env = Environment(
        loader=PackageLoader("patientflow.report", "templates"),
        autoescape=select_autoescape(enabled_extensions=("html.j2",), default=False),
        keep_trailing_newline=True,
    )
    if markdown:
        env.filters["md_table"] = md_table
        env.filters["e_md"] = md_escape
        env.filters["md_link"] = lambda p: Path(os.path.relpath(p, out)).as_posix()
        env.filters["chapter_md"] = lambda ch: as_markdown(ch, out)
    else:
        env.filters["html_table"] = lambda df: Markup(
            df.to_html(index=False, float_format=fmt_number, border=0)
        )
        env.filters["data_uri"] = lambda p: Markup(
            "data:image/png;base64," + base64.b64encode(Path(p).read_bytes()).decode("ascii")
        )
        env.filters["chapter_html"] = lambda ch: Markup(as_html(ch))
    return env


def render(parts: list[Part], tr: Labels, out: Path, **page: object) -> tuple[str, str]:
    """The report as Markdown and as HTML (figures embedded), from the same parts."""
    shown = [p for p in parts if p.sections]
    values = {"parts": shown, "t": tr, "lang": tr.lang, **page}
    md = _environment(out, markdown=True).get_template("report.md.j2").render(**values)
    page_html = _environment(out, markdown=False).get_template("report.html.j2").render(**values)
    return md, page_html
