"""The acute-care job: build the world, run one replication of the Mesa/SimPy model with a
progress bar in simulated days, stream the event logs, and summarise them."""

from __future__ import annotations

import gc
import logging
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd
from scipy import stats
from tqdm import tqdm

from patientflow import acute_metrics
from patientflow.accessibility import StudyArea
from patientflow.config import RunConfig
from patientflow.data import Dataset
from patientflow.eventlog import JOURNEY_SCHEMA, TIMESERIES_SCHEMA, ParquetLog, read_compact
from patientflow.geo import TravelModel
from patientflow.model import PatientFlowModel
from patientflow.network import ServiceNetwork
from patientflow.world import build_world

log = logging.getLogger(__name__)

SUMMARY_COLUMNS = [
    "roaz_code",
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
    """Run `sim.replications` replications (seeds spawned per replication) into `out`; the
    first keeps its event logs and facility table, every one adds a row to replications.csv;
    the summary has the first's indicators and the mean with a 95 % CI of each."""
    world = build_world(data, area, network, travel, cfg)
    first = cfg.sim.replication
    rows, paths, summary = [], {}, {}
    for rep in range(first, first + cfg.sim.replications):
        rep_cfg = replace(cfg, sim=replace(cfg.sim, replication=rep))
        if rep == first:
            paths, summary = _replication(rep_cfg, world, out)
            rep_summary = summary
        else:
            with tempfile.TemporaryDirectory(dir=out) as tmp:
                _, rep_summary = _replication(rep_cfg, world, Path(tmp))
        rows.append(
            {
                "replication": rep,
                **flatten(rep_summary["national"], "national"),
                **{
                    k: v
                    for r, ind in rep_summary["per_roaz"].items()
                    for k, v in flatten(ind, f"roaz.{r}").items()
                },
            }
        )
    table = pd.DataFrame(rows)
    paths["replications"] = out / "replications.csv"
    table.to_csv(paths["replications"], index=False, lineterminator="\n")
    summary["replications"] = {
        "n": len(table),
        "national": {
            c.removeprefix("national."): mean_ci(table[c])
            for c in table.columns
            if c.startswith("national.")
        },
    }
    return paths, summary


def flatten(d: dict, prefix: str) -> dict[str, float]:
    """Nested indicator dicts as flat 'prefix.key.sub' columns (numbers only)."""
    out = {}
    for k, v in d.items():
        if isinstance(v, dict):
            out.update(flatten(v, f"{prefix}.{k}"))
        elif isinstance(v, int | float) and not isinstance(v, bool):
            out[f"{prefix}.{k}"] = float(v)
    return out


def mean_ci(values: pd.Series, level: float = 0.95) -> dict:
    """Mean and a t-based confidence interval over replications (no interval for one)."""
    v = pd.to_numeric(values, errors="coerce").dropna().to_numpy(dtype=float)
    if len(v) == 0:
        return {"mean": None, "ci_low": None, "ci_high": None, "n": 0}
    mean = float(v.mean())
    if len(v) < 2:
        return {"mean": mean, "ci_low": None, "ci_high": None, "n": 1}
    half = float(stats.t.ppf(0.5 + level / 2, len(v) - 1) * v.std(ddof=1) / np.sqrt(len(v)))
    return {"mean": mean, "ci_low": mean - half, "ci_high": mean + half, "n": int(len(v))}


def _replication(cfg: RunConfig, world, out: Path) -> tuple[dict[str, Path], dict]:
    """One replication of the acute model into `out`: event logs, facility table, summary."""
    started = time.perf_counter()
    journeys = ParquetLog(out / "journeys.parquet", JOURNEY_SCHEMA, cfg.sim.batch_rows)
    series = ParquetLog(out / "timeseries.parquet", TIMESERIES_SCHEMA, cfg.sim.batch_rows)
    model = PatientFlowModel(cfg, world, journeys, series)
    warm_stops: dict[str, float] = {}

    def snapshot(m: PatientFlowModel):
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
    simulated = time.perf_counter()
    end_stops = model.stop_minutes()
    stops = {k: end_stops[k] - warm_stops.get(k, 0.0) for k in end_stops}
    arrivals, warmup_min = model.arrived, model.warmup_min
    # The model (pending events, agents, facilities) is done with; free it before the logs are
    # read back, so that the two never share the memory peak.
    del model
    gc.collect()
    days = cfg.sim.days - cfg.sim.warmup_days
    measured = read_compact(paths["journeys"], SUMMARY_COLUMNS, after_warmup=True)
    ts = read_compact(paths["timeseries"])
    fac = acute_metrics.facility_table(measured, ts, warmup_min, days, stops)
    paths["facilities"] = out / "facilities.parquet"
    fac.to_parquet(paths["facilities"], index=False)
    summary = acute_metrics.summary(measured, ts, warmup_min, days, stops)
    del measured, ts
    summary.update(
        scenario=cfg.scenario.name,
        days=cfg.sim.days,
        warmup_days=cfg.sim.warmup_days,
        seed=cfg.sim.seed,
        replication=cfg.sim.replication,
        arrivals=arrivals,
        unfinished_journeys=unfinished,
        simulation_s=round(simulated - started, 2),
        indicators_s=round(time.perf_counter() - simulated, 2),
    )
    log.info(
        "replication %d: simulated %g days, %d arrivals in %.1f s",
        cfg.sim.replication,
        cfg.sim.days,
        arrivals,
        summary["simulation_s"],
    )
    return paths, summary
