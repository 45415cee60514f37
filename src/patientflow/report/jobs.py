"""The jobs of a sweep (or one run) as they stand on disk: every folder and every job the sweep's
own list expects, each with its state (complete, failed, never started, unreadable, stale,
incomplete), overrides and summary; and their tables read so that a broken file is a named
error, never a crash. A bad folder is a state, never an exception."""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import yaml

from patientflow.errors import PatientflowError


@dataclass
class Job:
    """One job folder of a sweep."""

    path: Path
    status: str
    overrides: dict[str, str]
    summary: dict | None
    error: str


COMPLETE = "complete"
FAILED = "failed"
NEVER_STARTED = "never started"
UNREADABLE = "unreadable"
INCOMPLETE = "incomplete"
STALE = "stale"


def find_jobs(root: Path) -> list[Job]:
    """Every job of the sweep (or the run) at `root`, with its state: every folder with a
    Hydra config (`.hydra/`) or our `config.yaml`, and every job the sweep's own list expects
    that has no folder (never started). A bad folder is a state, never an exception."""
    folders = sorted(
        {p.parent.parent for p in root.rglob(".hydra/config.yaml")}
        | {p.parent for p in root.rglob("config.yaml") if p.parent.name != ".hydra"}
    )
    jobs = [read_job(f) for f in folders if f != root or not (root / "multirun.yaml").is_file()]
    expected = expected_jobs(root)
    if expected is not None:
        present = {j.path.name for j in jobs}
        for num in range(expected):
            if str(num) not in present:
                jobs.append(
                    Job(root / str(num), NEVER_STARTED, {}, None, "no folder: the job never ran")
                )
    return sorted(jobs, key=lambda j: (len(j.path.name), j.path.name))


def read_job(folder: Path) -> Job:
    """One job folder and its state: complete, failed (its error), unreadable (a summary.json
    that is not JSON, or overrides that cannot be read), stale (its results ran with other
    overrides than the folder now names, or its job refused them: refused.txt), or incomplete
    (interrupted)."""
    error_path = folder / "error.txt"
    error = _last_line(error_path)
    refused = _last_line(folder / "refused.txt")
    try:
        overrides = read_overrides(folder)
    except UnreadableOverrides as exc:
        return Job(folder, UNREADABLE, {}, None, str(exc))
    summary_path = folder / "summary.json"
    if summary_path.is_file():
        try:
            summary = json.loads(summary_path.read_text(encoding="utf-8"))
            if not isinstance(summary, dict):
                raise ValueError("not a JSON object")
        except (OSError, UnicodeDecodeError, ValueError) as exc:
            return Job(folder, UNREADABLE, overrides, None, f"summary.json: {exc}")
        ran = summary.get("overrides")
        if ran is not None:
            ran_as = _as_dict(ran)
            if overrides and ran_as != overrides:
                why = refused or f"its results ran with {sorted(ran)}"
                return Job(folder, STALE, ran_as, None, why)
            overrides = ran_as
        if refused:  # the job refused these results: they ran another configuration
            return Job(folder, STALE, overrides, None, refused)
        return Job(folder, COMPLETE, overrides, summary, "")
    if error_path.is_file():
        return Job(folder, FAILED, overrides, None, error)
    return Job(folder, INCOMPLETE, overrides, None, "no summary.json: interrupted or running")


def expected_jobs(root: Path) -> int | None:
    """How many jobs the sweep at `root` launched, from its own multirun.yaml (None when the
    folder is not a sweep or its list cannot be counted)."""
    path = root / "multirun.yaml"
    if not path.is_file():
        return None
    try:
        from omegaconf import DictConfig, OmegaConf

        from patientflow.report.callback import sweep_size

        config = OmegaConf.load(path)
        return sweep_size(config) if isinstance(config, DictConfig) else None
    except Exception:  # noqa: BLE001 - an unreadable sweep list: report what is there
        return None


class UnreadableTable(PatientflowError):
    """A job's table that cannot be read (truncated, not a table, columns missing)."""


def read_table(path: Path, columns: list[str] | None = None) -> pd.DataFrame:
    """A job's CSV or parquet table; UnreadableTable (naming the file) when it is broken."""
    try:
        if path.suffix == ".parquet":
            return pd.read_parquet(path, columns=columns)
        frame = pd.read_csv(path)
        return frame[columns] if columns else frame
    except Exception as exc:  # noqa: BLE001 - any broken file is reported as that file
        raise UnreadableTable(f"{path}: cannot be read ({type(exc).__name__}: {exc})") from exc


def _last_line(path: Path) -> str:
    if not path.is_file():
        return ""
    lines = path.read_text(encoding="utf-8", errors="replace").strip().splitlines()
    return lines[-1] if lines else ""


def _as_dict(items: list[str]) -> dict[str, str]:
    out = {}
    for item in items:
        key, _, value = str(item).lstrip("+~").partition("=")
        if not key.startswith("hydra."):
            out[key] = value
    return out


def load_yaml(text: str) -> object:
    """YAML as `yaml.safe_load` reads it, with libyaml's C loader where PyYAML has it: a run's
    config.yaml in 4 ms instead of 27 (a sweep's report reads one per job, serially)."""
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


class UnreadableOverrides(PatientflowError):
    """A job's overrides.yaml that cannot be read: which job's results are these?"""


def read_overrides(folder: Path) -> dict[str, str]:
    """The job's command-line overrides (Hydra's overrides.yaml), hydra.* left out; none where
    the folder has no such file (a single run). UnreadableOverrides, naming the file, where it
    is not a YAML list: read as none, a closure's results would pass for the baseline's."""
    path = folder / ".hydra" / "overrides.yaml"
    if not path.is_file():
        return {}
    try:
        items = load_yaml(path.read_text(encoding="utf-8"))
    except UnicodeDecodeError as exc:
        raise UnreadableOverrides(f"{path}: not UTF-8 text ({exc.reason})") from exc
    except OSError as exc:
        raise UnreadableOverrides(f"{path}: cannot be read ({exc})") from exc
    except yaml.YAMLError as exc:
        raise UnreadableOverrides(f"{path}: not YAML ({type(exc).__name__})") from exc
    if items is None:  # Hydra writes "[]" for no overrides: an empty file was cut short
        raise UnreadableOverrides(f"{path}: empty, not a list of overrides")
    if not isinstance(items, list):
        raise UnreadableOverrides(f"{path}: not a list of overrides")
    return _as_dict(items)
