"""One replication of the acute model: its event logs written while it runs, and what the
logs do not hold (stop minutes, other inpatients). The job (job.py) and the delta simulation
(delta_job.py) both run replications through it."""

from __future__ import annotations

import gc
import time
from collections.abc import Generator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from tqdm import tqdm

from patientflow.acute.logs import JOURNEY_SCHEMA, TIMESERIES_SCHEMA
from patientflow.acute.model import PatientFlowModel
from patientflow.acute.world import World
from patientflow.config.schema import RunConfig
from patientflow.core.eventlog import ParquetLog


@dataclass
class ReplicationLogs:
    """What one replication leaves for its indicators: its event logs, the SEHs' stop minutes
    after the warm-up and the hospitals' other inpatients per site (admitted, cancelled)."""

    journeys: Path
    timeseries: Path
    stops: dict[str, float]
    other_inpatients: dict[str, tuple[int, int]]
    arrivals: int
    unfinished: int  # measured journeys (after the warm-up) still under way at the end
    warmup_min: float
    simulation_s: float


def simulate_logs(cfg: RunConfig, world: World, out: Path) -> ReplicationLogs:
    """One replication of the acute model: its event logs into `out`, and what the logs do not
    hold."""
    started = time.perf_counter()
    journeys = ParquetLog(out / "journeys.parquet", JOURNEY_SCHEMA, cfg.sim.batch_rows)
    series = ParquetLog(out / "timeseries.parquet", TIMESERIES_SCHEMA, cfg.sim.batch_rows)
    model = PatientFlowModel(cfg, world, journeys, series)
    warm_stops: dict[str, float] = {}

    def snapshot(m: PatientFlowModel) -> Generator[Any, Any, None]:
        yield m.env.timeout(m.warmup_min)
        warm_stops.update(m.stop_minutes())

    model.env.process(snapshot(model))
    with tqdm(
        total=model.n_days,
        unit="day",
        desc=f"replication {cfg.sim.replication}: simulated days",
        disable=not cfg.sim.progress,
        leave=False,
    ) as bar:
        model.run_days(bar)
    unfinished = model.finish()
    paths = {"journeys": journeys.close(), "timeseries": series.close()}
    end_stops = model.stop_minutes()
    logs = ReplicationLogs(
        journeys=paths["journeys"],
        timeseries=paths["timeseries"],
        stops={k: end_stops[k] - warm_stops.get(k, 0.0) for k in end_stops},
        other_inpatients=model.other_inpatients_per_site(),
        arrivals=model.arrived,
        unfinished=unfinished,
        warmup_min=model.warmup_min,
        simulation_s=round(time.perf_counter() - started, 2),
    )
    # The model (pending events, agents, facilities) is done with; free it before the logs are
    # read back, so that the two never share the memory peak.
    del model
    gc.collect()
    return logs
