"""The report's method part that is not words: the model's STRESS-DES checklist as a table
(docs/stress_des.md, shipped with the package) and the versions of the software that ran."""

from __future__ import annotations

import platform
import re
from importlib import metadata
from pathlib import Path

import pandas as pd

from patientflow.version import __version__


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


def versions() -> dict[str, str]:
    out = {"patientflow": __version__, "python": platform.python_version()}
    for pkg in ("mesa", "simpy", "hydra-core", "numpy", "pandas"):
        try:
            out[pkg] = metadata.version(pkg)
        except metadata.PackageNotFoundError:
            out[pkg] = "not installed"
    return out
