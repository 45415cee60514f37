"""One run of a job: load data, build the network, compute, write tables and figures, and
write summary.json last and atomically (a run folder is complete only when it exists)."""

from __future__ import annotations

import hashlib
import json
import logging
import math
import os
import platform
import time
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pandas as pd
from omegaconf import DictConfig, OmegaConf

from patientflow.access.job import AccessOutput, run_access
from patientflow.config.checks import check_config
from patientflow.config.schema import Job, RunConfig
from patientflow.core.area import StudyArea, region_title, study_area
from patientflow.core.distributions import Distribution
from patientflow.core.files import write_text
from patientflow.core.network import ServiceNetwork, build_network
from patientflow.core.preflight import preflight
from patientflow.core.travel import TravelModel, travel_model
from patientflow.core.water import water_network
from patientflow.data import Dataset, load_dataset
from patientflow.data.checksums import run_data_checksums
from patientflow.data.loader import load_od_matrix
from patientflow.data.prognosis import project
from patientflow.data.volumes import embedded_volumes, load_volumes, volumes_source
from patientflow.report.run_figures import access_figures, acute_figures, care_figures
from patientflow.version import __version__, code_identity, source_digest

if TYPE_CHECKING:
    from patientflow.care.wards import AcuteBedLoad

log = logging.getLogger(__name__)
LARGEST_TOWNS = 12  # named on the accessibility map
# Sim settings that change neither what a run computes nor what it writes.
NOT_IN_DIGEST = ("progress", "skip_complete")


@dataclass
class RunResult:
    """What a run produced: its folder, the summary, the paths of everything it wrote (tables,
    chapters) and of its figures; `tables` reads its tables as DataFrames on first use."""

    out_dir: Path
    summary: dict = field(default_factory=dict)
    paths: dict[str, Path] = field(default_factory=dict)
    figures: dict[str, Path] = field(default_factory=dict)

    @property
    def tables(self) -> Tables:
        """The run's CSV and parquet outputs by name, as DataFrames (read lazily, once)."""
        tables: Tables | None = getattr(self, "_tables", None)
        if tables is None or tables.paths is not self.paths:
            tables = self._tables = Tables(self.paths)
        return tables


class Tables(Mapping[str, pd.DataFrame]):
    """Tables by name, each read from its CSV or parquet file on first use."""

    SUFFIXES = (".csv", ".parquet")

    def __init__(self, paths: dict[str, Path]) -> None:
        self.paths = paths
        self._read: dict[str, pd.DataFrame] = {}

    def __getitem__(self, name: str) -> pd.DataFrame:
        path = self.paths[name]
        if path.suffix not in self.SUFFIXES:
            raise KeyError(f"{name} is not a table ({path.name}); its path is in result.paths")
        if name not in self._read:
            read = pd.read_parquet if path.suffix == ".parquet" else pd.read_csv
            self._read[name] = read(path)
        return self._read[name]

    def __iter__(self) -> Iterator[str]:
        return (k for k, p in self.paths.items() if p.suffix in self.SUFFIXES)

    def __len__(self) -> int:
        return sum(1 for _ in self)


def as_run_config(cfg: DictConfig | RunConfig) -> tuple[RunConfig, DictConfig]:
    """The typed config and its DictConfig form, checked either way."""
    dict_cfg = OmegaConf.structured(cfg) if isinstance(cfg, RunConfig) else cfg
    return check_config(dict_cfg), dict_cfg


def config_digest(run: RunConfig) -> str:
    """A digest of the run's whole configuration (but NOT_IN_DIGEST) and of the package's
    source: whether a finished run in the same folder ran this job, whatever the overrides say
    (a config file edited, another config name or search path, code edited and not committed)."""
    whole = asdict(run)
    whole["sim"] = {k: v for k, v in whole["sim"].items() if k not in NOT_IN_DIGEST}
    blob = json.dumps({"config": whole, "source": source_digest()}, sort_keys=True, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()


def load_run_data(run: RunConfig) -> Dataset:
    """The dataset of a run: the embedded tables, or the user's folder and files, and the
    user's per-hospital care volumes (care.volumes_file) when given."""
    tables = {k: v for k, v in vars(run.data.tables).items() if v}
    data = load_dataset(run.data.dir, tables)
    if run.care.volumes_file:
        data = load_volumes(run.care.volumes_file, data)
    return project(data, run.demand.year, run.demand.prognosis_file)


def acute_bed_load(
    run: RunConfig, data: Dataset, network: ServiceNetwork, area: StudyArea, travel: TravelModel
) -> AcuteBedLoad | None:
    """What complex care shares each hospital's ward beds with: the expected acute inpatients
    per hospital from the acute model's demand on the study area, their stay and the
    occupancy the acute beds are planned at (None when care.share_beds_with_acute is off or
    nothing is simulated)."""
    if not run.care.share_beds_with_acute or run.sim.days <= 0:
        return None
    from patientflow.acute.beds import acute_inpatients_per_site
    from patientflow.care.wards import AcuteBedLoad

    seh = run.facilities.seh
    return AcuteBedLoad(
        inpatients=acute_inpatients_per_site(data, area, network, travel, run).to_dict(),
        stay=Distribution.from_config(seh.inpatient_stay, "facilities.seh.inpatient_stay"),
        occupancy=seh.acute_bed_occupancy,
    )


def acute_bed_loads(
    run: RunConfig, data: Dataset, network: ServiceNetwork, area: StudyArea, travel: TravelModel
) -> dict[str, AcuteBedLoad] | None:
    """The acute admissions complex care shares the ward beds with, per network compared:
    today's ("current", the 2025 SEHs before the network's closures) and the network's
    ("new"); one load for both when the network closes no SEH, by day or by night."""
    from patientflow.care.study import today_network

    new = acute_bed_load(run, data, network, area, travel)
    if new is None:
        return None
    changed = run.network.closed_sites or run.network.night_closures
    if not changed:
        return {"current": new, "new": new}
    current = acute_bed_load(run, data, today_network(data, run), area, travel)
    assert current is not None, "acute_bed_load gives a load whenever beds are shared"
    return {"current": current, "new": new}


def run_travel_model(run: RunConfig, data: Dataset) -> TravelModel:
    """The travel model of a run, with the user's OD matrix when one is configured."""
    od = load_od_matrix(run.travel.od_matrix) if run.travel.od_matrix else None
    water = water_network(data.water_zones, data.water_crossings) if run.travel.water else None
    return travel_model(run.travel, data.islands, od, water)


def run(
    cfg: DictConfig | RunConfig, out_dir: str | Path, overrides: list[str] | None = None
) -> RunResult:
    """Run the configured job into `out_dir`; exactly what the `patientflow` command does.
    `overrides` (the command line's) are recorded in summary.json, so a rerun into the same
    folder can tell whether these results are its own."""
    started = time.perf_counter()
    run_cfg, dict_cfg = as_run_config(cfg)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    summary_path = out / "summary.json"
    if summary_path.exists():
        summary_path.unlink()
    write_text(out / "config.yaml", OmegaConf.to_yaml(dict_cfg, resolve=True))

    log.info("loading the data (population of %d)", run_cfg.demand.year)
    data = load_run_data(run_cfg)
    if run_cfg.sim.job is Job.regiobeeld and run_cfg.demand.prognosis_file:
        from patientflow.regiobeeld.horizon import check_prognosis_years

        years = (run_cfg.demand.year, run_cfg.regiobeeld.horizon_year)
        check_prognosis_years(run_cfg.demand.prognosis_file, years, data)
    preflight(run_cfg, data)
    network = build_network(data, run_cfg.network)
    area = study_area(data, run_cfg)
    log.info(
        "study area %s: %d demand points, %d inhabitants",
        region_title(data, run_cfg),
        len(area.points),
        int(area.points["population"].sum()),
    )
    travel = run_travel_model(run_cfg, data)
    log.info("the accessibility picture (%s)", run_cfg.report.accessibility_area.value)
    access = run_access(run_cfg, data, network, area, travel, out)
    result = RunResult(out_dir=out, paths=dict(access.tables))
    if run_cfg.report.figures:
        codes = set(access.points["municipality_code"])
        munis = data.municipalities[data.municipalities["municipality_code"].isin(codes)]
        towns = munis.nlargest(LARGEST_TOWNS, "population")[["name", "lat", "lon"]]
        result.figures = access_figures(
            access.points, network, run_cfg, out, access.area_name, towns
        )

    acute_summary = care_summary = None
    if run_cfg.sim.job is Job.acute:
        from patientflow.acute.job import simulate

        acute_tables, acute_summary = simulate(run_cfg, data, network, area, travel, out)
        result.paths.update(acute_tables)
        if run_cfg.report.figures:
            result.figures.update(acute_figures(acute_summary, run_cfg, data, out))
    if run_cfg.sim.job is Job.care:
        from patientflow.care.job import run_care

        acute_load = acute_bed_loads(run_cfg, data, network, area, travel)
        care = run_care(run_cfg, data, network, area, travel, out, acute_load)
        result.paths.update(care.tables)
        care_summary = care.summary
        embedded = embedded_volumes(data, care_summary)
        if embedded:
            log.warning(
                "complex care: the per-hospital volumes of %s are the embedded approximation "
                "(rebuilt from public aggregates, see the data README); for a real analysis "
                "give your own: care.volumes_file=FILE",
                ", ".join(embedded),
            )
        care_figs = {}
        if run_cfg.report.figures:
            care_figs = care_figures(care, network.name, data, run_cfg, out)
            result.figures.update(care_figs)
        if care.impact is not None:
            from patientflow.report.care_chapter import write_care_chapter

            result.paths["care_impact_chapter"] = write_care_chapter(
                care.impact,
                care.summary,
                run_cfg,
                out,
                {
                    k.removeprefix("impact_"): v
                    for k, v in care_figs.items()
                    if k.startswith("impact_")
                },
                _volumes_note(embedded, len(care_summary)),
            )
    regiobeeld_summary = None
    if run_cfg.sim.job is Job.regiobeeld:
        regiobeeld_summary = _regiobeeld(run_cfg, data, network, travel, access, out, overrides)
        result.paths.update(regiobeeld_summary.pop("_paths"))
    national = access.summary
    result.summary = {
        "patientflow_version": __version__,
        "code": code_identity(),
        "config_digest": config_digest(run_cfg),
        "overrides": overrides,
        "job": run_cfg.sim.job.value,
        "region": run_cfg.region.name,
        "region_title": region_title(data, run_cfg),
        "accessibility_area": access.area_name,
        "network": run_cfg.network.name,
        "scenario": run_cfg.scenario.name,
        "seed": run_cfg.sim.seed,
        "replication": run_cfg.sim.replication,
        "demand_points": run_cfg.demand.points.value,
        "closed_sites": list(network.closed_sites),
        "night_closed_sites": list(network.night_closed_sites),
        "norm_min": run_cfg.report.norm_min,
        "response_allowance_min": run_cfg.report.response_allowance_min,
        "indicators": national,
        "acute": acute_summary,
        "care": care_summary,
        "regiobeeld": regiobeeld_summary,
        "care_beds": None if care_summary is None else care.beds,
        "care_impact": None if care_summary is None or care.impact is None else care.impact.summary,
        "care_volumes": None if care_summary is None else volumes_source(data, care_summary),
        "data": {k: str(v) for k, v in data.paths.items()},
        "data_checksums": run_data_checksums(data, run_cfg),
        "tables": {k: v.name for k, v in result.paths.items()},
        "figures": {k: v.name for k, v in result.figures.items()},
        "runtime_s": round(time.perf_counter() - started, 2),
        "python": platform.python_version(),
    }
    result.summary = without_nan(result.summary)
    write_json_atomic(summary_path, result.summary)
    log.info(
        "%s of %s inhabitants beyond %g minutes; summary in %s",
        f"{national['population_beyond_norm']:,}",
        f"{national['population']:,}",
        run_cfg.report.norm_min,
        summary_path,
    )
    return result


def _regiobeeld(
    run_cfg: RunConfig,
    data: Dataset,
    network: ServiceNetwork,
    travel: TravelModel,
    access: AccessOutput,
    out: Path,
    overrides: list[str] | None,
) -> dict:
    """The regiobeeld job: today's data and the horizon year's, the job, its map and chapter."""
    from dataclasses import replace

    from patientflow.regiobeeld.job import run_regiobeeld
    from patientflow.report.regiobeeld_chapter import regiobeeld_map, write_regiobeeld_chapter

    horizon = run_cfg.regiobeeld.horizon_year
    later = load_run_data(replace(run_cfg, demand=replace(run_cfg.demand, year=horizon)))
    years = {run_cfg.demand.year: data, horizon: later}
    result = run_regiobeeld(run_cfg, years, network, travel, access.points, out)
    area = study_area(data, run_cfg)
    codes = set(area.municipalities["municipality_code"])
    points = access.points[access.points["municipality_code"].isin(codes)]
    labels = area.municipalities[["name", "lat", "lon"]]
    paths = dict(result.tables)
    map_path = None
    if run_cfg.report.figures:
        map_path = regiobeeld_map(
            points, network.sites, labels, run_cfg, out, result.summary["region"]
        )
        paths["regiobeeld_map"] = map_path
    paths["regiobeeld_chapter"] = write_regiobeeld_chapter(
        result.frames, result.summary, run_cfg, out, map_path, overrides
    )
    return {**result.summary, "_paths": paths}


VOLUMES_NOTE = (
    "The per-hospital volumes are the embedded approximation rebuilt from public aggregates "
    "(data README); for a real analysis give your own (care.volumes_file)."
)
VOLUMES_NOTE_SOME = (
    "Some interventions' per-hospital volumes are the embedded approximation rebuilt from "
    "public aggregates (summary.json care_volumes names them); the others are from your file."
)


def _volumes_note(embedded: list[str], interventions: int) -> str:
    """The care chapter's note on the embedded volumes: for all interventions, or those left."""
    if not embedded:
        return ""
    return VOLUMES_NOTE if len(embedded) == interventions else VOLUMES_NOTE_SOME


def write_json_atomic(path: Path, payload: dict) -> None:
    """Write JSON to a temporary file in the same folder, then rename it into place. A number
    without a value (NaN, from an empty group) is written as null, never as invalid JSON."""
    text = json.dumps(without_nan(payload), indent=2, ensure_ascii=False, allow_nan=False)
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(text + "\n", encoding="utf-8")
    os.replace(tmp, path)


def without_nan(node: Any) -> Any:
    """The same structure with every NaN or infinite float replaced by None."""
    if isinstance(node, dict):
        return {k: without_nan(v) for k, v in node.items()}
    if isinstance(node, list | tuple):
        return [without_nan(v) for v in node]
    if isinstance(node, float) and not math.isfinite(node):
        return None
    return node
