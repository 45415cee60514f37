"""The acute-care job: build the world, run one replication of the Mesa/SimPy model with a
progress bar in simulated days, stream the event logs, and summarise them."""

from __future__ import annotations

import logging
import time
from pathlib import Path

import pandas as pd
from tqdm import tqdm

from patientflow import acute_metrics
from patientflow.accessibility import StudyArea
from patientflow.config import RunConfig
from patientflow.data import Dataset
from patientflow.eventlog import JOURNEY_SCHEMA, TIMESERIES_SCHEMA, ParquetLog
from patientflow.geo import TravelModel
from patientflow.model import PatientFlowModel
from patientflow.network import ServiceNetwork
from patientflow.world import build_world

log = logging.getLogger(__name__)

SUMMARY_COLUMNS = [
    "roaz_code",
    "warmup",
    "urgency",
    "call_wait_min",
    "desk_id",
    "zcc_id",
    "seh_arrival_min",
    "seh_departure_min",
    "seh_site_id",
    "triage_wait_min",
    "bay_wait_min",
    "disposition",
    "amb_response_min",
    "seh_within_45",
    "diverted",
    "gp_post_id",
    "gp_wait_min",
    "amb_region",
]


def simulate(
    cfg: RunConfig,
    data: Dataset,
    network: ServiceNetwork,
    area: StudyArea,
    travel: TravelModel,
    out: Path,
) -> tuple[dict[str, Path], dict]:
    """Run the acute simulation into `out`; return its table paths and its summary."""
    started = time.perf_counter()
    world = build_world(data, area, network, travel, cfg)
    journeys = ParquetLog(out / "journeys.parquet", JOURNEY_SCHEMA, cfg.sim.batch_rows)
    series = ParquetLog(out / "timeseries.parquet", TIMESERIES_SCHEMA, cfg.sim.batch_rows)
    model = PatientFlowModel(cfg, world, journeys, series)
    warm_stops: dict[str, float] = {}

    def snapshot():
        yield model.env.timeout(model.warmup_min)
        warm_stops.update(model.stop_minutes())

    model.env.process(snapshot())
    with tqdm(
        total=model.n_days,
        unit="day",
        desc="simulated days",
        disable=not cfg.sim.progress,
        leave=False,
    ) as bar:
        model.run_days(bar)
    unfinished = model.finish()
    paths = {"journeys": journeys.close(), "timeseries": series.close()}
    end_stops = model.stop_minutes()
    stops = {k: end_stops[k] - warm_stops.get(k, 0.0) for k in end_stops}
    days = cfg.sim.days - cfg.sim.warmup_days
    j = pd.read_parquet(paths["journeys"], columns=SUMMARY_COLUMNS)
    ts = pd.read_parquet(paths["timeseries"])
    fac = acute_metrics.facility_table(j[~j["warmup"]], ts, model.warmup_min, days, stops)
    paths["facilities"] = out / "facilities.parquet"
    fac.to_parquet(paths["facilities"], index=False)
    summary = acute_metrics.summary(j, ts, model.warmup_min, days, stops)
    summary.update(
        scenario=cfg.scenario.name,
        days=cfg.sim.days,
        warmup_days=cfg.sim.warmup_days,
        seed=cfg.sim.seed,
        replication=cfg.sim.replication,
        arrivals=model.arrived,
        unfinished_journeys=unfinished,
        simulation_s=round(time.perf_counter() - started, 2),
    )
    log.info(
        "simulated %g days, %d arrivals in %.1f s",
        cfg.sim.days,
        model.arrived,
        summary["simulation_s"],
    )
    return paths, summary
