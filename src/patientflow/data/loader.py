"""Load the dataset tables, from the embedded default or the user's files, and check them:
each table against its schema (table_reader.py), then across tables (cross_table.py); a table a
folder leaves out is derived by its documented rule (derived.py). All problems of a load are
reported together. A process keeps its last checked datasets, by the content of their files."""

from __future__ import annotations

import functools
import hashlib
import logging
from dataclasses import dataclass, fields, replace
from importlib import resources
from pathlib import Path

import numpy as np
import pandas as pd

from patientflow.data.cross_table import cross_table_problems
from patientflow.data.derived import DERIVED_WHEN_ABSENT
from patientflow.data.schema import TABLES
from patientflow.data.table_reader import not_a_file, read_table
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
    # Set by data/volumes.py: the interventions whose per-hospital volumes are still the embedded
    # approximation after a user's volumes file (None: no volumes file was read).
    embedded_volumes: frozenset[str] | None = None


def table_paths(data_dir: str | Path | None, overrides: dict[str, str | None]) -> dict[str, Path]:
    """Where each table comes from: a per-table file, else the data folder, else the default."""
    base = Path(data_dir) if data_dir else default_data_dir()
    paths = {}
    for t in TABLES:
        own = overrides.get(t.name)
        paths[t.name] = Path(own) if own else base / t.file
    return paths


def load_dataset(
    data_dir: str | Path | None = None, overrides: dict[str, str | None] | None = None
) -> Dataset:
    """Load and check every table; raise DataError listing all problems found. A process
    that loads the same files again (runs of a sweep in one worker, an analyst's notebook)
    gets a copy of the checked tables it loaded before: the files are compared by content,
    so an edited file is read and checked again."""
    paths = table_paths(data_dir, overrides or {})
    # A file the user names (data.tables.<name>=FILE) must be there: only a data folder may
    # leave a table out for its documented rule, or a typo in the path would derive it silently.
    named = [
        Problem(str(paths[name]), None, None, f"{why} (data.tables.{name})")
        for name in DERIVED_WHEN_ABSENT
        if (overrides or {}).get(name) and (why := not_a_file(paths[name]))
    ]
    if named:
        raise DataError(named)
    for name in DERIVED_WHEN_ABSENT:
        if not paths[name].is_file():
            log.warning(
                "%s not found: %s derived by its documented rule (data README)", paths[name], name
            )
    return _copy(_checked(_content_key(paths)))


@functools.lru_cache(maxsize=4)
def _checked(key: tuple) -> Dataset:
    """The checked dataset of the files `key` names (name, path, digest of its bytes per
    table); a process keeps its last four (a few MB each)."""
    return _load_checked({name: Path(path) for name, path, _ in key})


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
    lines: dict[str, np.ndarray] = {}
    problems: list[Problem] = []
    for schema in TABLES:
        if schema.name in DERIVED_WHEN_ABSENT and not paths[schema.name].is_file():
            tables[schema.name] = DERIVED_WHEN_ABSENT[schema.name](tables)
            continue
        df, found, lines[schema.name] = read_table(paths[schema.name], schema, tables)
        problems.extend(found)
        tables[schema.name] = df
    if not problems:
        problems.extend(cross_table_problems(tables, paths, lines))
    if problems:
        raise DataError(problems)
    return Dataset(**tables, paths=paths)


def load_od_matrix(path: str | Path) -> pd.DataFrame:
    """A user's origin-destination minutes (origin_id, destination_id, mode, minutes), checked."""
    from patientflow.data.schema import OD_MATRIX

    df, problems, lines = read_table(Path(path), OD_MATRIX)
    dup = df.duplicated(["origin_id", "destination_id", "mode"]) if not problems else []
    problems += [
        Problem(
            str(path), int(lines[i]), "destination_id", "duplicate origin-destination-mode pair"
        )
        for i in np.flatnonzero(np.asarray(dup))
    ]
    if problems:
        raise DataError(problems)
    return df
