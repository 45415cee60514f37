"""The jobs' own chapters in a sweep report: each care job's impact chapter (care_impact.md) and
each regiobeeld job's chapter (regiobeeld.md), in Markdown as written and rendered to HTML with
their figures embedded."""

from __future__ import annotations

import base64
import os
import re
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
from markdown_it import MarkdownIt

CHAPTER_FILES = (("care_impact.md", "care"), ("regiobeeld.md", "regiobeeld"))
IMAGE = re.compile(r"!\[([^\]]*)\]\(([^)\s]+\.png)\)")


@dataclass
class Chapter:
    """One job's chapter: its title in the report (the job's label), its kind (care or
    regiobeeld), its Markdown and its folder."""

    title: str
    text: str
    folder: Path
    kind: str = "care"


def job_chapters(table: pd.DataFrame) -> list[Chapter]:
    """The chapters the complete jobs wrote, in job order."""
    out = []
    for _, job in table[table["status"] == "complete"].iterrows():
        folder = Path(job["folder"])
        for name, kind in CHAPTER_FILES:
            path = folder / name
            if path.is_file():
                label = job.get("label", job["job"])
                text = path.read_text(encoding="utf-8")
                out.append(Chapter(str(label), text, folder, kind))
    return out


def demoted(text: str) -> str:
    """The chapter's headings two levels down, under the report's "## <job>" heading."""
    return re.sub(r"^(#{1,4}) ", r"##\1 ", text, flags=re.M)


def as_markdown(chapter: Chapter, report_dir: Path) -> str:
    """The chapter for report.md: headings demoted, figures pointing at the job's folder."""

    def relink(m: re.Match) -> str:
        rel = os.path.relpath(chapter.folder / m.group(2), report_dir)
        return f"![{m.group(1)}]({Path(rel).as_posix()})"

    return IMAGE.sub(relink, demoted(chapter.text))


def as_html(chapter: Chapter) -> str:
    """The chapter rendered (CommonMark with tables), its figures embedded."""

    def embed(m: re.Match) -> str:
        path = chapter.folder / m.group(2)
        if not path.is_file():
            return m.group(0)
        data = base64.b64encode(path.read_bytes()).decode("ascii")
        return f"![{m.group(1)}](data:image/png;base64,{data})"

    text = IMAGE.sub(embed, demoted(chapter.text))
    return MarkdownIt("commonmark").enable("table").render(text)
