"""One CSV table read against its schema: each column typed and checked (required, choices,
codes, whole, non-negative, bounded numbers), ids unique, coordinates inside the Netherlands,
references to tables read before; every problem named by file, row (its line in the file, as an
editor or a spreadsheet shows it: blank lines are skipped but counted) and column."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import numpy as np
import pandas as pd

from patientflow.data.schema import NL_LAT, NL_LON, Column, TableSchema
from patientflow.errors import Problem

# A whole number as digits only: '51.000' (a Dutch thousands dot) or '1.0' is refused rather
# than read as 51 or 1.
WHOLE = r"[+-]?\d+"
WHOLE_EXPECTED = "digits only are expected, without decimals or a thousands separator"

# What reading a CSV file may raise; each caller turns it into a "cannot be read" problem.
CSV_ERRORS = (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError)


def not_a_file(path: Path) -> str:
    """Why `path` cannot be read as a table ("" when it is a file)."""
    if path.is_file():
        return ""
    return "is a folder, not a file" if path.is_dir() else "file not found"


def read_rows(path: Path) -> tuple[pd.DataFrame, np.ndarray]:
    """A CSV file's cells as text and each row's line in the file (every line counted, blank ones
    too; the header is line 1 unless blank lines precede it): empty rows are left out, so a
    message after a blank line names the line an editor shows. Raises one of CSV_ERRORS for a
    file that is not CSV."""
    with path.open(encoding="utf-8-sig") as f:
        lead = next((n for n, line in enumerate(f) if line.strip()), 0)
    raw = pd.read_csv(
        path,
        dtype=str,
        keep_default_na=False,
        encoding="utf-8-sig",
        skiprows=lead,
        skip_blank_lines=False,
    )
    if not isinstance(raw.index, pd.RangeIndex):
        # pandas takes the first fields of rows wider than the header as an index and shifts
        # every column by one: each problem would name the wrong column and value.
        raise pd.errors.ParserError(_wider_than_header(path, len(raw.columns)))
    raw.columns = [c.strip() for c in raw.columns]
    twice = _named_twice(path)
    if twice:
        # pandas renames a second 'beds' to 'beds.1' and the first one was read without a
        # word; ' beds' beside 'beds' stopped on a traceback once the names were stripped.
        raise pd.errors.ParserError(
            f"the header names {', '.join(repr(c) for c in twice)} twice: one column per name"
        )
    empty = (raw.apply(lambda c: c.str.strip()) == "").all(axis=1).to_numpy()
    return raw[~empty].reset_index(drop=True), np.flatnonzero(~empty) + lead + 2


def _named_twice(path: Path) -> list[str]:
    """The column names the header gives more than once (spaces around a name ignored)."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        header = next((r for r in csv.reader(f) if any(c.strip() for c in r)), [])
    names = [c.strip() for c in header]
    return sorted({c for c in names if c and names.count(c) > 1})


def _wider_than_header(path: Path, width: int) -> str:
    """Where a row first has more fields than the header has columns."""
    with path.open(encoding="utf-8-sig", newline="") as f:
        rows = csv.reader(f)
        header = next((r for r in rows if any(c.strip() for c in r)), [])
        width = len(header) or width
        wide = next((r for r in rows if len(r) > width), [])
        return (
            f"row {rows.line_num} has {len(wide)} fields, the header {width} columns (a "
            "delimiter at the end of each line?): every row needs one field per column"
        )


def read_table(
    path: Path, schema: TableSchema, loaded: dict[str, pd.DataFrame] | None = None
) -> tuple[pd.DataFrame, list[Problem], np.ndarray]:
    """Read one CSV table against its schema; return the typed frame, the problems found and
    each row's line in the file (for messages about the frame's rows)."""
    file = str(path)
    none = np.zeros(0, dtype=int)
    if why := not_a_file(path):
        return pd.DataFrame(), [Problem(file, None, None, why)], none
    try:
        raw, lines = read_rows(path)
    except CSV_ERRORS as exc:
        return pd.DataFrame(), [Problem(file, None, None, f"cannot be read as CSV: {exc}")], none
    missing = [c.name for c in schema.columns if c.name not in raw.columns]
    if missing:
        return raw, [Problem(file, None, m, "missing column") for m in missing], lines
    problems: list[Problem] = []
    df = raw.copy()
    for col in schema.columns:
        df[col.name], found = _coerce(raw[col.name], col, file, lines)
        problems.extend(found)
    problems.extend(_check_ids(df, schema, file, lines))
    problems.extend(_check_unique(df, schema.unique, file, lines))
    if schema.coordinates:
        problems.extend(_check_coordinates(df, file, lines))
    for name, target in schema.references.items():
        problems.extend(_check_reference(df, name, target, loaded or {}, file, lines))
    return df, problems, lines


def _coerce(
    values: pd.Series, col: Column, file: str, lines: np.ndarray
) -> tuple[pd.Series, list[Problem]]:
    text = values.astype(str).str.strip()
    empty = text == ""
    problems = [
        Problem(file, int(lines[i]), col.name, "empty value")
        for i in np.flatnonzero(empty.to_numpy())
        if col.required
    ]
    if col.choices:
        bad = ~empty & ~text.isin(col.choices)
        problems += [
            Problem(
                file,
                int(lines[i]),
                col.name,
                f"'{text.iat[i]}' is not one of {', '.join(col.choices)}",
            )
            for i in np.flatnonzero(bad.to_numpy())
        ]
    if col.pattern:
        ok = text.map(lambda s: bool(re.match(col.pattern, s)))
        bad = ~empty & ~ok
        problems += [
            Problem(file, int(lines[i]), col.name, f"'{text.iat[i]}' is not a valid code")
            for i in np.flatnonzero(bad.to_numpy())
        ]
    if col.kind == "str":
        return text, problems
    num = pd.to_numeric(text.where(~empty), errors="coerce")
    bad = ~empty & ~np.isfinite(num.to_numpy(dtype=float, na_value=np.nan))
    problems += [
        Problem(
            file,
            int(lines[i]),
            col.name,
            f"'{text.iat[i]}' is not a {'number' if np.isnan(num.iat[i]) else 'finite number'}",
        )
        for i in np.flatnonzero(bad)
    ]
    num = num.where(~bad)
    if col.kind == "int":
        frac = ~num.isna() & ~text.str.fullmatch(WHOLE)
        problems += [
            Problem(
                file,
                int(lines[i]),
                col.name,
                f"'{text.iat[i]}' is not a whole number: {WHOLE_EXPECTED}",
            )
            for i in np.flatnonzero(frac.to_numpy())
        ]
    if col.non_negative:
        neg = ~num.isna() & (num < 0)
        problems += [
            Problem(file, int(lines[i]), col.name, f"negative value {text.iat[i]}")
            for i in np.flatnonzero(neg.to_numpy())
        ]
    if col.minimum is not None:
        low = ~num.isna() & (num < col.minimum)
        problems += [
            Problem(file, int(lines[i]), col.name, f"{text.iat[i]} is below {col.minimum:g}")
            for i in np.flatnonzero(low.to_numpy())
        ]
    if col.maximum is not None:
        high = ~num.isna() & (num > col.maximum)
        problems += [
            Problem(file, int(lines[i]), col.name, f"{text.iat[i]} is above {col.maximum:g}")
            for i in np.flatnonzero(high.to_numpy())
        ]
    if col.kind == "int" and col.required and not problems:
        return num.astype("int64"), problems
    return num.astype(float), problems


def _check_ids(
    df: pd.DataFrame, schema: TableSchema, file: str, lines: np.ndarray
) -> list[Problem]:
    if not schema.id_column:
        return []
    ids = df[schema.id_column]
    dup = ids.duplicated(keep="first") & (ids != "")
    return [
        Problem(file, int(lines[i]), schema.id_column, f"duplicate id '{ids.iat[i]}'")
        for i in np.flatnonzero(dup.to_numpy())
    ]


def _check_unique(
    df: pd.DataFrame, cols: tuple[str, ...], file: str, lines: np.ndarray
) -> list[Problem]:
    """Each row repeating an earlier row's values in `cols`, named with the row it repeats."""
    if not cols:
        return []
    keys = [df[c] for c in cols]
    dup = df.duplicated(list(cols), keep="first") & pd.concat(keys, axis=1).ne("").all(axis=1)
    if not dup.any():
        return []
    first = pd.Series(lines).groupby(keys).transform("first").to_numpy()
    return [
        Problem(
            file,
            int(lines[i]),
            cols[-1],
            f"{', '.join(f'{c} {df[c].iat[i]!r}' for c in cols)} repeats row {first[i]}: "
            f"one row per {' and '.join(cols)} is expected",
        )
        for i in np.flatnonzero(dup.to_numpy())
    ]


def _check_coordinates(df: pd.DataFrame, file: str, lines: np.ndarray) -> list[Problem]:
    problems = []
    for col, (lo, hi) in (("lat", NL_LAT), ("lon", NL_LON)):
        v = pd.to_numeric(df[col], errors="coerce")
        out = ~v.isna() & ((v < lo) | (v > hi))
        problems += [
            Problem(
                file, int(lines[i]), col, f"{v.iat[i]} lies outside the Netherlands ({lo}..{hi})"
            )
            for i in np.flatnonzero(out.to_numpy())
        ]
    return problems


def _check_reference(
    df: pd.DataFrame,
    col: str,
    target: str,
    loaded: dict[str, pd.DataFrame],
    file: str,
    lines: np.ndarray,
) -> list[Problem]:
    table, key = target.split(".")
    other = loaded.get(table)
    if other is None or key not in other.columns:
        return []
    known = set(other[key].astype(str))
    vals = df[col].astype(str)
    bad = (vals != "") & ~vals.isin(known)
    what = "region code" if col.endswith(("vr_code", "roaz_code", "region_code")) else "id"
    return [
        Problem(file, int(lines[i]), col, f"unknown {what} '{vals.iat[i]}' (not in {table})")
        for i in np.flatnonzero(bad.to_numpy())
    ]
