"""One run of a job: load data, build the network, compute, write tables and figures, and
write summary.json last and atomically (a run folder is complete only when it exists)."""

from __future__ import annotations

import json
import logging
import os
import platform
import time
from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd
from omegaconf import DictConfig, OmegaConf

from patientflow import __version__
from patientflow.accessibility import point_accessibility, study_area
from patientflow.config import AccessibilityArea, Job, RunConfig, check_config
from patientflow.data import Dataset, load_dataset
from patientflow.data.loader import load_od_matrix
from patientflow.geo import ModeSpeeds, TravelModel, TravelParams, islands_from_frame
from patientflow.metrics import municipality_table, national_summary, region_table
from patientflow.network import build_network, seh_open_at
from patientflow.report.figures import accessibility_map, travel_cdf

log = logging.getLogger(__name__)


@dataclass
class RunResult:
    """What a run produced: its folder, the summary and the paths of its tables and figures."""

    out_dir: Path
    summary: dict = field(default_factory=dict)
    tables: dict[str, Path] = field(default_factory=dict)
    figures: dict[str, Path] = field(default_factory=dict)


def as_run_config(cfg: DictConfig | RunConfig) -> tuple[RunConfig, DictConfig]:
    """The typed config and its DictConfig form, checked either way."""
    if isinstance(cfg, RunConfig):
        cfg = OmegaConf.structured(cfg)
    return check_config(cfg), cfg


def load_run_data(run: RunConfig) -> Dataset:
    tables = {k: v for k, v in vars(run.data.tables).items() if v}
    return load_dataset(run.data.dir, tables)


def travel_model(run: RunConfig, data: Dataset) -> TravelModel:
    t = run.travel
    params = TravelParams(
        detour_factor=t.detour_factor,
        access_km=t.access_km,
        regional_km=t.regional_km,
        car=ModeSpeeds(**vars(t.car)),
        ambulance=ModeSpeeds(**vars(t.ambulance)),
        ferry_wait_min=t.ferry_wait_min,
        air_transfer_min=t.air_transfer_min,
        air_speed_kmh=t.air_speed_kmh,
    )
    od = load_od_matrix(t.od_matrix) if t.od_matrix else None
    return TravelModel(params, islands_from_frame(data.islands), od)


def run(cfg: DictConfig | RunConfig, out_dir: str | Path) -> RunResult:
    """Run the configured job into `out_dir`; exactly what the `patientflow` command does."""
    started = time.perf_counter()
    run_cfg, dict_cfg = as_run_config(cfg)
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    summary_path = out / "summary.json"
    if summary_path.exists():
        summary_path.unlink()
    (out / "config.yaml").write_text(OmegaConf.to_yaml(dict_cfg, resolve=True), encoding="utf-8")

    data = load_run_data(run_cfg)
    network = build_network(data, run_cfg.network)
    area = study_area(data, run_cfg)
    log.info(
        "study area %s: %d demand points, %d inhabitants",
        run_cfg.region.name,
        len(area.points),
        int(area.points["population"].sum()),
    )
    travel = travel_model(run_cfg, data)
    national = run_cfg.report.accessibility_area is AccessibilityArea.nl
    acc_area = study_area(data, run_cfg, whole_country=True) if national else area
    acc_name = "nl" if national else run_cfg.region.name
    points = point_accessibility(acc_area, network, travel, run_cfg, data.municipalities)
    munis = municipality_table(points, acc_area.municipalities)
    regions = region_table(points, data.municipalities, network, run_cfg.report.region_levels)

    result = RunResult(out_dir=out)
    result.tables = {
        "accessibility": _parquet(munis, out / "accessibility.parquet"),
        "accessibility_points": _parquet(points, out / "accessibility_points.parquet"),
        "regions": _csv(regions, out / "regions.csv"),
        "network_sites": _csv(network.sites, out / "network_sites.csv"),
    }
    if run_cfg.report.figures:
        result.figures = _figures(points, network, run_cfg, out, acc_name)

    if run_cfg.sim.job is Job.acute:
        from patientflow.simulate import simulate

        acute_tables, acute_summary = simulate(run_cfg, data, network, area, travel, out)
        result.tables.update(acute_tables)
    care_summary = None
    if run_cfg.sim.job is Job.care:
        from patientflow.care_job import run_care

        care_tables, care_figures, care_summary = run_care(
            run_cfg, data, network, area, travel, out
        )
        result.tables.update(care_tables)
        result.figures.update(care_figures)
    national = national_summary(points, network)
    national["seh_open_at"] = {
        "03:00": int(seh_open_at(network.sites, 180).sum()),
        "12:00": int(seh_open_at(network.sites, 720).sum()),
    }
    result.summary = {
        "patientflow_version": __version__,
        "job": run_cfg.sim.job.value,
        "region": run_cfg.region.name,
        "accessibility_area": acc_name,
        "network": run_cfg.network.name,
        "scenario": run_cfg.scenario.name,
        "demand_points": run_cfg.demand.points.value,
        "closed_sites": list(network.closed_sites),
        "night_closed_sites": list(network.night_closed_sites),
        "norm_min": run_cfg.report.norm_min,
        "response_allowance_min": run_cfg.report.response_allowance_min,
        "indicators": national,
        "acute": acute_summary if run_cfg.sim.job is Job.acute else None,
        "care": care_summary,
        "data": {k: str(v) for k, v in data.paths.items()},
        "tables": {k: v.name for k, v in result.tables.items()},
        "figures": {k: v.name for k, v in result.figures.items()},
        "runtime_s": round(time.perf_counter() - started, 2),
        "python": platform.python_version(),
    }
    write_json_atomic(summary_path, result.summary)
    log.info(
        "%s of %s inhabitants beyond %g minutes; summary in %s",
        f"{national['population_beyond_norm']:,}",
        f"{national['population']:,}",
        run_cfg.report.norm_min,
        summary_path,
    )
    return result


def _figures(
    points: pd.DataFrame, network, run_cfg: RunConfig, out: Path, area_name: str
) -> dict[str, Path]:
    rep = run_cfg.report
    label = f"{area_name.upper()} · network {network.name}"
    return {
        "map": accessibility_map(
            points,
            network.sites,
            out / "map_ambulance_seh.png",
            title=f"Ambulance minutes from call to nearest 24/7 SEH\n{label}",
            cell_km=rep.map_cell_km,
            norm_min=rep.norm_min,
            boundary_file=rep.boundary_file,
            dpi=rep.dpi,
        ),
        "cdf": travel_cdf(
            points,
            out / "travel_cdf.png",
            title=f"Travel time, population share\n{label}",
            norm_min=rep.norm_min,
            dpi=rep.dpi,
        ),
    }


def _parquet(df: pd.DataFrame, path: Path) -> Path:
    df.to_parquet(path, index=False)
    return path


def _csv(df: pd.DataFrame, path: Path) -> Path:
    df.to_csv(path, index=False, lineterminator="\n")
    return path


def write_json_atomic(path: Path, payload: dict) -> None:
    """Write JSON to a temporary file in the same folder, then rename it into place."""
    tmp = path.with_suffix(path.suffix + ".tmp")
    tmp.write_text(json.dumps(payload, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    os.replace(tmp, path)
