"""The acute-care job: build the world, run one replication of the Mesa/SimPy model with a
progress bar in simulated days, stream the event logs, and summarise them."""

from __future__ import annotations

import logging
import tempfile
import time
from dataclasses import replace
from pathlib import Path

import pandas as pd

from patientflow.acute import metrics as acute_metrics
from patientflow.acute.delta_job import DeltaRun
from patientflow.acute.profiles import calendar_factor
from patientflow.acute.replication import ReplicationLogs, simulate_logs
from patientflow.acute.world import (
    World,
    build_world,
    call_hours_only,
    staffing_fte,
    zcc_desk_schedules,
    zcc_population,
)
from patientflow.acute.zcc import zcc_table
from patientflow.config.demand import Channel
from patientflow.config.schema import RunConfig
from patientflow.core.area import StudyArea
from patientflow.core.eventlog import read_compact
from patientflow.core.files import write_frame
from patientflow.core.network import ServiceNetwork
from patientflow.core.statistics import flatten, level_range, mean_ci
from patientflow.core.travel import TravelModel
from patientflow.data import Dataset

log = logging.getLogger(__name__)

UNFINISHED_WARN_SHARE = 0.01
# The journey columns the summary (and ZCC table) and the facility table read, each read on its
# own after the warm-up and freed before the next: a national year is 6.9 million journeys,
# and one frame of both sets' columns would hold some 300 MB more at once.
SUMMARY_COLUMNS = [
    "roaz_code",
    "channel",
    "arrival_min",
    "urgency",
    "call_wait_min",
    "desk_id",
    "zcc_id",
    "seh_arrival_min",
    "seh_departure_min",
    "triage_wait_min",
    "disposition",
    "amb_response_min",
    "seh_within_norm",
    "diverted",
    "zcc_consult_id",
    "zcc_consult_wait_min",
    "dispatch_zcc_id",
    "dispatch_wait_min",
]
FACILITY_COLUMNS = [
    "seh_site_id",
    "bay_wait_min",
    "desk_id",
    "zcc_id",
    "call_wait_min",
    "gp_post_id",
    "gp_wait_min",
    "outcome",
    "amb_region",
    "amb_wait_min",
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
    the summary has the first's indicators and the mean with a 95 % CI of each. With
    `sim.delta` each replication simulates only what the network change can reach and takes
    the rest from the shared baseline run (delta_job.py)."""
    delta = None
    if cfg.sim.delta:
        delta = DeltaRun(cfg, data, network, area, travel, out)
        world = delta.world
    else:
        world = build_world(data, area, network, travel, cfg)
    first = cfg.sim.replication
    rows: list[dict] = []
    paths: dict[str, Path] = {}
    summary: dict = {}
    for rep in range(first, first + cfg.sim.replications):
        rep_cfg = replace(cfg, sim=replace(cfg.sim, replication=rep))
        with tempfile.TemporaryDirectory(dir=out) as tmp:
            rep_out = out if rep == first else Path(tmp)
            if delta is None:
                logs = simulate_logs(rep_cfg, world, rep_out)
            else:
                logs = delta.logs(rep_cfg, rep_out)
            rep_paths, rep_summary = indicators(rep_cfg, world, logs, rep_out)
        if rep == first:
            paths, summary = rep_paths, rep_summary
            if delta is not None:
                summary["delta"] = delta.describe()
        rows.append(
            {
                "seed": cfg.sim.seed,
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
    write_frame(table, paths["replications"])
    summary["staffing_fte"] = staffing_fte(world, cfg)
    summary["replications"] = replication_stats(table)
    return paths, summary


def replication_stats(table: pd.DataFrame) -> dict:
    """Each national indicator's mean over the replications (one row each) with its 95 %
    interval, cut to the range the indicator can take: no count below 0, no share above 1."""
    return {
        "n": len(table),
        "national": {
            c.removeprefix("national."): mean_ci(table[c], within=level_range(c))
            for c in table.columns
            if c.startswith("national.")
        },
    }


def indicators(
    cfg: RunConfig, world: World, logs: ReplicationLogs, out: Path
) -> tuple[dict[str, Path], dict]:
    """The indicators of one replication's logs: facility table (and ZCC table) into `out`,
    and the summary."""
    computing = time.perf_counter()
    paths = {"journeys": logs.journeys, "timeseries": logs.timeseries}
    days = cfg.sim.days - cfg.sim.warmup_days
    window = measured_window(cfg)
    ts = read_compact(paths["timeseries"])
    served = read_compact(paths["journeys"], FACILITY_COLUMNS, after_warmup=True)
    counted = call_hours_only(cfg)
    fac = acute_metrics.facility_table(served, ts, logs.warmup_min, days, logs.stops, counted)
    del served
    paths["facilities"] = out / "facilities.parquet"
    write_frame(fac, paths["facilities"])
    measured = read_compact(paths["journeys"], SUMMARY_COLUMNS, after_warmup=True)
    _warn_unfinished(cfg, logs.unfinished, len(measured))
    sehs = study_area_sehs(world)
    summary = acute_metrics.summary(
        measured, ts, logs.warmup_min, window, logs.stops, sehs, counted
    )
    summary["study_area_sehs"] = sorted(sehs)
    if cfg.scenario.zcc.enabled:
        table = zcc_table(
            measured,
            world.zcc,
            zcc_desk_schedules(world, cfg),
            zcc_population(world),
            cfg.scenario.zcc.hours_per_fte,
            window,
        )
        paths["zcc"] = out / "zcc.csv"
        write_frame(table, paths["zcc"])
        summary["per_zcc"] = {
            r["zcc_id"]: {k: v for k, v in r.items() if k not in ("zcc_id", "name")}
            for r in table.to_dict("records")
        }
    measured_n = len(measured)
    del measured, ts
    arrivals, unfinished = logs.arrivals, logs.unfinished
    summary.update(
        other_inpatients=acute_metrics.other_inpatients(logs.other_inpatients, sehs),
        scenario=cfg.scenario.name,
        days=cfg.sim.days,
        warmup_days=cfg.sim.warmup_days,
        seed=cfg.sim.seed,
        replication=cfg.sim.replication,
        arrivals=arrivals,
        unfinished_journeys=unfinished,
        measured_journeys=measured_n,
        unfinished_share=round(unfinished / measured_n, 4) if measured_n else 0.0,
        simulation_s=logs.simulation_s,
        indicators_s=round(time.perf_counter() - computing, 2),
    )
    log.info(
        "replication %d: simulated %g days, %d arrivals in %.1f s",
        cfg.sim.replication,
        cfg.sim.days,
        arrivals,
        summary["simulation_s"],
    )
    return paths, summary


def measured_window(cfg: RunConfig) -> acute_metrics.Window:
    """The measured days, the end of the run, the SEH norm and each channel's calendar factor
    over the measured hours (after the warm-up)."""
    start, end = cfg.sim.warmup_days * 1440.0, cfg.sim.days * 1440.0
    return acute_metrics.Window(
        days=cfg.sim.days - cfg.sim.warmup_days,
        end_min=end,
        norm_min=cfg.report.norm_min,
        calendar={
            ch.value: calendar_factor(getattr(cfg.demand.channels, ch.value).profile, start, end)
            for ch in Channel
        },
    )


def study_area_sehs(world: World) -> set[str]:
    """The SEHs in the study area's municipalities (a regional run also records SEHs across
    its border that its patients may reach)."""
    mine = world.sehs["municipality_code"].isin(set(world.points["municipality_code"]))
    return set(world.sehs.loc[mine, "id"].astype(str))


def _warn_unfinished(cfg: RunConfig, unfinished: int, measured: int) -> None:
    """Warn when more than 1 % of the measured journeys were still under way at the end."""
    if measured and unfinished > UNFINISHED_WARN_SHARE * measured:
        log.warning(
            "replication %d: %d of %d measured journeys (%.1f %%) were still under way at the "
            "end of the run. A wait still open then counts with its time so far: as a lower "
            "bound in percentiles, and as a miss of a norm it had already passed (summary: "
            "*_open_at_end); an SEH stay under way is not a length of stay "
            "(seh_visits_unfinished). In a longer run they are a smaller share.",
            cfg.sim.replication,
            unfinished,
            measured,
            100.0 * unfinished / measured,
        )
