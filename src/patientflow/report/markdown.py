"""Markdown for reports: numbers as people read them, user strings as literal text, tables."""

from __future__ import annotations

import html
import re

import pandas as pd


def fmt_number(v: float) -> str:
    """Counts with thousands separators, other numbers to 4 significant digits."""
    return f"{v:,.0f}" if abs(v) >= 1000 else f"{v:.4g}"


MD_SPECIAL = re.compile(r"([\\`*_\[\]#|~])")


def md_escape(value: object) -> str:
    """A user's string as literal Markdown text: HTML escaped (Markdown renders raw HTML) and
    Markdown's punctuation backslash-escaped, on one line, as the HTML report escapes it."""
    text = html.escape(str(value), quote=False).replace("\r", " ").replace("\n", " ")
    return MD_SPECIAL.sub(r"\\\1", text)


def md_table(df: pd.DataFrame) -> str:
    """A Markdown table (numbers to 4 significant digits)."""

    def cell(v: object) -> str:
        if isinstance(v, float):
            return "" if pd.isna(v) else fmt_number(v)
        return md_escape(v)

    lines = ["| " + " | ".join(map(md_escape, df.columns)) + " |", "|" + "---|" * len(df.columns)]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in df.itertuples(index=False)]
    return "\n".join(lines)
