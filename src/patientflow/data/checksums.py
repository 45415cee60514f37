"""The sha256 of every data file a run reads, keyed by table name, so that a report can be
traced to exactly the tables it ran on (summary.json `data_checksums`): the embedded tables or
the user's (`data.dir`, `data.tables.*`), and the user's other input files (care volumes,
population prognosis, OD matrix, ambulance fleet, map boundaries) when given."""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from patientflow.data.loader import Dataset, default_data_dir, table_paths

if TYPE_CHECKING:
    from patientflow.config.schema import RunConfig

CHUNK = 1 << 20


def file_sha256(path: str | Path) -> str | None:
    """The hex sha256 of a file's bytes; None when there is no such file (a table a data folder
    leaves out is derived by its rule, and the run log says so)."""
    p = Path(path)
    if not p.is_file():
        return None
    digest = hashlib.sha256()
    with open(p, "rb") as f:
        while chunk := f.read(CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def checksums(files: Mapping[str, str | Path | None]) -> dict[str, str | None]:
    """{name: sha256} for each named file; names without a file are left out, a file that
    does not exist gives None."""
    return {name: file_sha256(path) for name, path in sorted(files.items()) if path}


def run_data_checksums(data: Dataset, run: RunConfig) -> dict[str, str | None]:
    """The checksums of every data file of a run: each table of the dataset by its name (with
    `care.volumes_file` given, `site_interventions` is still the table file and the volumes
    are `care_volumes`), then the user's other input files by their role."""
    files: dict[str, str | Path | None] = dict(data.paths)
    if run.care.volumes_file:
        files["site_interventions"] = _table_files(run)["site_interventions"]
    return checksums({**files, **_input_files(run)})


def planned_data_checksums(run: RunConfig) -> dict[str, str | None]:
    """The checksums a run of this configuration would record, from the configuration alone
    (before loading): whether a finished run in the same folder read the same files."""
    return checksums({**_table_files(run), **_input_files(run)})


def _table_files(run: RunConfig) -> dict[str, Path]:
    own = {k: v for k, v in vars(run.data.tables).items() if v}
    return table_paths(run.data.dir, own)


def _input_files(run: RunConfig) -> dict[str, str | Path | None]:
    return {
        "care_volumes": run.care.volumes_file,
        "prognosis": run.demand.prognosis_file,
        "od_matrix": run.travel.od_matrix,
        "ambulance_fleet": run.facilities.ambulance.fleet_file,
        "municipal_boundaries": run.report.boundary_file
        or default_data_dir() / "municipal_boundaries.geojson",
    }
