"""Load the dataset tables, from the embedded default or the user's files, and check them.

Every problem is reported with its file, row (as a spreadsheet shows it: the header is row 1)
and column, and all problems of a load are reported together.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from patientflow.data.schema import NL_LAT, NL_LON, TABLES, Column, TableSchema
from patientflow.errors import DataError, Problem


def default_data_dir() -> Path:
    """Folder of the embedded Netherlands dataset (package data)."""
    return Path(str(resources.files("patientflow.data").joinpath("nl")))


log = logging.getLogger(__name__)


@dataclass
class Dataset:
    """All tables of one geography, checked and typed."""

    municipalities: pd.DataFrame
    demand_points: pd.DataFrame
    sites: pd.DataFrame
    gp_posts: pd.DataFrame
    ambulance_posts: pd.DataFrame
    zcc_options: pd.DataFrame
    interventions: pd.DataFrame
    site_interventions: pd.DataFrame
    islands: pd.DataFrame
    vascular_networks: pd.DataFrame
    zcc_subregions: pd.DataFrame
    water_zones: pd.DataFrame
    water_crossings: pd.DataFrame
    paths: dict[str, Path]
    # Set by data/prognosis.py for a later year: the base year's national 65+ share (the age
    # reference of the demand rates) and its municipalities (care's growth against today).
    reference_share_65plus: float | None = None
    base_municipalities: pd.DataFrame | None = None


def table_paths(data_dir: str | Path | None, overrides: dict[str, str | None]) -> dict[str, Path]:
    """Where each table comes from: a per-table file, else the data folder, else the default."""
    base = Path(data_dir) if data_dir else default_data_dir()
    paths = {}
    for t in TABLES:
        own = overrides.get(t.name)
        paths[t.name] = Path(own) if own else base / t.file
    return paths


def vascular_networks_by_rule(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The default vascular networks: each hospital's ROAZ region (the data README's rule),
    for a data folder that has no vascular_networks.csv."""
    sites, munis = tables.get("sites"), tables.get("municipalities")
    if sites is None or munis is None or sites.empty or "roaz_code" not in sites:
        return pd.DataFrame(
            columns=["site_id", "vascular_network", "vascular_network_name", "basis"]
        )
    names = munis.drop_duplicates("roaz_code").set_index("roaz_code")["roaz_name"]
    out = pd.DataFrame(
        {
            "site_id": sites["site_id"],
            "vascular_network": sites["roaz_code"],
            "vascular_network_name": sites["roaz_code"].map(names).fillna(sites["roaz_code"]),
            "basis": "roaz_rule",
        }
    )
    return out.sort_values("site_id").reset_index(drop=True)


def zcc_subregions_by_rule(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    """The default ZCC sub-regions: each safety region's part of a ROAZ region (the data
    README's rule; 28 sub-regions, ROAZ Midden-Nederland one of 1.4 M people)."""
    munis = tables.get("municipalities")
    cols = ["municipality_code", "subregion_code", "subregion_name", "basis"]
    if munis is None or munis.empty:
        return pd.DataFrame(columns=cols)
    out = pd.DataFrame(
        {
            "municipality_code": munis["municipality_code"],
            "subregion_code": munis["roaz_code"] + "-" + munis["vr_code"],
            "subregion_name": munis["roaz_name"] + " / " + munis["vr_name"],
            "basis": "roaz_x_vr_rule",
        }
    )
    return out.sort_values("municipality_code").reset_index(drop=True)[cols]


def no_water(tables: dict[str, pd.DataFrame], name: str) -> pd.DataFrame:
    """No water barriers: every trip is the straight line times the detour factor."""
    schema = next(t for t in TABLES if t.name == name)
    return pd.DataFrame(columns=[c.name for c in schema.columns])


# Tables a user's data folder may leave out: derived from the others by a documented rule.
DERIVED_WHEN_ABSENT = {
    "vascular_networks": vascular_networks_by_rule,
    "zcc_subregions": zcc_subregions_by_rule,
    "water_zones": lambda tables: no_water(tables, "water_zones"),
    "water_crossings": lambda tables: no_water(tables, "water_crossings"),
}


def load_dataset(
    data_dir: str | Path | None = None, overrides: dict[str, str | None] | None = None
) -> Dataset:
    """Load and check every table; raise DataError listing all problems found. A process
    that loads the same files again (runs of a sweep in one worker, an analyst's notebook)
    gets a copy of the checked tables it loaded before: the files are compared by content,
    so an edited file is read and checked again."""
    paths = table_paths(data_dir, overrides or {})
    for name in DERIVED_WHEN_ABSENT:
        if not paths[name].is_file():
            log.warning(
                "%s not found: %s derived by its documented rule (data README)", paths[name], name
            )
    key = _content_key(paths)
    with _LOADED_LOCK:
        dataset = _LOADED.pop(key, None)
    if dataset is None:
        dataset = _load_checked(paths)
    with _LOADED_LOCK:
        _LOADED[key] = dataset
        while len(_LOADED) > _KEEP_LOADED:
            del _LOADED[next(iter(_LOADED))]
    return _copy(dataset)


# The last few checked datasets of this process, by the content of their files (a few MB each).
_KEEP_LOADED = 4
_LOADED: dict[tuple, Dataset] = {}
_LOADED_LOCK = threading.Lock()


def _content_key(paths: dict[str, Path]) -> tuple:
    """Each table's path and a digest of its bytes (None for a missing file)."""
    key = []
    for name, path in paths.items():
        try:
            digest: str | None = hashlib.blake2b(path.read_bytes(), digest_size=16).hexdigest()
        except OSError:
            digest = None
        key.append((name, str(path), digest))
    return tuple(key)


def _copy(dataset: Dataset) -> Dataset:
    """A dataset whose tables the caller may change without changing the kept one."""
    return replace(
        dataset,
        **{
            f.name: value.copy()
            for f in fields(dataset)
            if isinstance(value := getattr(dataset, f.name), pd.DataFrame)
        },
        paths=dict(dataset.paths),
    )


def _load_checked(paths: dict[str, Path]) -> Dataset:
    """Read and check every table, deriving the absent ones that have a documented rule."""
    tables: dict[str, pd.DataFrame] = {}
    problems: list[Problem] = []
    for schema in TABLES:
        if schema.name in DERIVED_WHEN_ABSENT and not paths[schema.name].is_file():
            tables[schema.name] = DERIVED_WHEN_ABSENT[schema.name](tables)
            continue
        df, found = read_table(paths[schema.name], schema, tables)
        problems.extend(found)
        tables[schema.name] = df
    if not problems:
        problems.extend(cross_table_problems(tables, paths))
    if problems:
        raise DataError(problems)
    return Dataset(**tables, paths=paths)


def read_table(
    path: Path, schema: TableSchema, loaded: dict[str, pd.DataFrame] | None = None
) -> tuple[pd.DataFrame, list[Problem]]:
    """Read one CSV table against its schema; return the typed frame and the problems found."""
    file = str(path)
    if not path.is_file():
        return pd.DataFrame(), [Problem(file, None, None, "file not found")]
    try:
        raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
        return pd.DataFrame(), [Problem(file, None, None, f"cannot be read as CSV: {exc}")]
    raw.columns = [c.strip() for c in raw.columns]
    missing = [c.name for c in schema.columns if c.name not in raw.columns]
    if missing:
        return raw, [Problem(file, None, m, "missing column") for m in missing]
    problems: list[Problem] = []
    df = raw.copy()
    for col in schema.columns:
        df[col.name], found = _coerce(raw[col.name], col, file)
        problems.extend(found)
    problems.extend(_check_ids(df, schema, file))
    if schema.coordinates:
        problems.extend(_check_coordinates(df, file))
    for name, target in schema.references.items():
        problems.extend(_check_reference(df, name, target, loaded or {}, file))
    return df, problems


def _row(i: int | np.integer) -> int:
    return int(i) + 2


def _coerce(values: pd.Series, col: Column, file: str) -> tuple[pd.Series, list[Problem]]:
    text = values.astype(str).str.strip()
    empty = text == ""
    problems = [
        Problem(file, _row(i), col.name, "empty value")
        for i in np.flatnonzero(empty.to_numpy())
        if col.required
    ]
    if col.choices:
        bad = ~empty & ~text.isin(col.choices)
        problems += [
            Problem(
                file, _row(i), col.name, f"'{text.iat[i]}' is not one of {', '.join(col.choices)}"
            )
            for i in np.flatnonzero(bad.to_numpy())
        ]
    if col.pattern:
        ok = text.map(lambda s: bool(re.match(col.pattern, s)))
        bad = ~empty & ~ok
        problems += [
            Problem(file, _row(i), col.name, f"'{text.iat[i]}' is not a valid code")
            for i in np.flatnonzero(bad.to_numpy())
        ]
    if col.kind == "str":
        return text, problems
    num = pd.to_numeric(text.where(~empty), errors="coerce")
    bad = ~empty & ~np.isfinite(num.to_numpy(dtype=float, na_value=np.nan))
    problems += [
        Problem(
            file,
            _row(i),
            col.name,
            f"'{text.iat[i]}' is not a {'number' if np.isnan(num.iat[i]) else 'finite number'}",
        )
        for i in np.flatnonzero(bad)
    ]
    num = num.where(~bad)
    if col.kind == "int":
        frac = ~num.isna() & (num != np.round(num))
        problems += [
            Problem(file, _row(i), col.name, f"'{text.iat[i]}' is not a whole number")
            for i in np.flatnonzero(frac.to_numpy())
        ]
    if col.non_negative:
        neg = ~num.isna() & (num < 0)
        problems += [
            Problem(file, _row(i), col.name, f"negative value {text.iat[i]}")
            for i in np.flatnonzero(neg.to_numpy())
        ]
    if col.maximum is not None:
        high = ~num.isna() & (num > col.maximum)
        problems += [
            Problem(file, _row(i), col.name, f"{text.iat[i]} is above {col.maximum:g}")
            for i in np.flatnonzero(high.to_numpy())
        ]
    if col.kind == "int" and col.required and not problems:
        return num.astype("int64"), problems
    return num.astype(float), problems


def _check_ids(df: pd.DataFrame, schema: TableSchema, file: str) -> list[Problem]:
    if not schema.id_column:
        return []
    ids = df[schema.id_column]
    dup = ids.duplicated(keep="first") & (ids != "")
    return [
        Problem(file, _row(i), schema.id_column, f"duplicate id '{ids.iat[i]}'")
        for i in np.flatnonzero(dup.to_numpy())
    ]


def _check_coordinates(df: pd.DataFrame, file: str) -> list[Problem]:
    problems = []
    for col, (lo, hi) in (("lat", NL_LAT), ("lon", NL_LON)):
        v = pd.to_numeric(df[col], errors="coerce")
        out = ~v.isna() & ((v < lo) | (v > hi))
        problems += [
            Problem(file, _row(i), col, f"{v.iat[i]} lies outside the Netherlands ({lo}..{hi})")
            for i in np.flatnonzero(out.to_numpy())
        ]
    return problems


def _check_reference(
    df: pd.DataFrame, col: str, target: str, loaded: dict[str, pd.DataFrame], file: str
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
        Problem(file, _row(i), col, f"unknown {what} '{vals.iat[i]}' (not in {table})")
        for i in np.flatnonzero(bad.to_numpy())
    ]


def load_od_matrix(path: str | Path) -> pd.DataFrame:
    """A user's origin-destination minutes (origin_id, destination_id, mode, minutes), checked."""
    from patientflow.data.schema import OD_MATRIX

    df, problems = read_table(Path(path), OD_MATRIX)
    dup = df.duplicated(["origin_id", "destination_id", "mode"]) if not problems else []
    problems += [
        Problem(str(path), _row(i), "destination_id", "duplicate origin-destination-mode pair")
        for i in np.flatnonzero(np.asarray(dup))
    ]
    if problems:
        raise DataError(problems)
    return df


def cross_table_problems(tables: dict[str, pd.DataFrame], paths: dict[str, Path]) -> list[Problem]:
    """What the model needs across tables, beyond each table's own columns: hours for every
    limited-hours SEH, demand points for every inhabited municipality, an ambulance post in
    every safety region and a ZCC option in every ROAZ region with inhabitants, islands whose
    box is a box. Each problem names the file and row that must change."""
    problems: list[Problem] = []
    posts_df, posts_file = tables["ambulance_posts"], str(paths["ambulance_posts"])
    part_time = posts_df["availability"].isin(("day_evening", "night"))
    for i in np.flatnonzero(part_time.to_numpy()):
        for col in ("open", "close"):
            if not str(posts_df[col].iat[i] or "").strip():
                problems.append(
                    Problem(
                        posts_file,
                        _row(i),
                        col,
                        f"a {posts_df['availability'].iat[i]} post needs its hours (HH:MM); "
                        "without them it would get no vehicle",
                    )
                )
    sites, file = tables["sites"], str(paths["sites"])
    for i in np.flatnonzero((sites["seh_hours"] == "limited").to_numpy()):
        row = sites.iloc[i]
        for col in ("seh_open", "seh_close"):
            if not row[col]:
                problems.append(
                    Problem(file, _row(i), col, "an SEH with limited hours needs its clock times")
                )
        if row["seh_open"] and row["seh_open"] == row["seh_close"]:
            problems.append(Problem(file, _row(i), "seh_close", "equals seh_open"))
    for i in np.flatnonzero(((sites["seh"] == 1) & (sites["seh_hours"] == "none")).to_numpy()):
        problems.append(Problem(file, _row(i), "seh_hours", "'none' for a site with an SEH"))
    for i in np.flatnonzero(((sites["seh"] == 0) & (sites["seh_hours"] != "none")).to_numpy()):
        problems.append(Problem(file, _row(i), "seh_hours", "hours for a site without an SEH"))
    munis, mfile = tables["municipalities"], str(paths["municipalities"])
    inhabited = munis["population"] > 0
    points = tables["demand_points"]
    with_points = set(points.loc[points["population"] > 0, "municipality_code"])
    for i in np.flatnonzero((inhabited & ~munis["municipality_code"].isin(with_points)).to_numpy()):
        problems.append(
            Problem(
                mfile,
                _row(i),
                "municipality_code",
                f"'{munis['municipality_code'].iat[i]}' has inhabitants but no demand point "
                f"with inhabitants in {paths['demand_points']}",
            )
        )
    posts = set(tables["ambulance_posts"]["vr_code"])
    zcc = tables["zcc_options"]
    zcc_roaz = set(zcc.loc[zcc["level"] == "roaz", "region_code"])
    for col, known, what, where in (
        ("vr_code", posts, "no ambulance post", paths["ambulance_posts"]),
        ("roaz_code", zcc_roaz, "no ZCC option at level roaz", paths["zcc_options"]),
    ):
        seen: set[str] = set()
        for i in np.flatnonzero(inhabited.to_numpy()):
            code = munis[col].iat[i]
            if code not in known and code not in seen:
                seen.add(code)
                problems.append(
                    Problem(
                        mfile,
                        _row(i),
                        col,
                        f"region '{code}' has inhabitants but {what} in {where}",
                    )
                )
    if tables["gp_posts"].empty:
        problems.append(Problem(str(paths["gp_posts"]), None, None, "no GP post"))
    islands, ifile = tables["islands"], str(paths["islands"])
    for lo, hi in (("lat_min", "lat_max"), ("lon_min", "lon_max")):
        for i in np.flatnonzero((islands[lo] >= islands[hi]).to_numpy()):
            problems.append(Problem(ifile, _row(i), hi, f"must be greater than {lo}"))
    return problems
