"""Simulate only what a network change reaches (`sim.delta`): the baseline run (the same
configuration without the network's closures) is made once per replication and kept where a
sweep's jobs share it; each job simulates the municipalities its change can reach (delta.py)
on the national world, and stitches its event logs with the baseline's: the core's journeys and
the facilities they use from its own run, everything else from the baseline. The indicators are
then computed from the stitched logs by the same code as a full run's."""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import asdict, replace
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.parquet as pq

from patientflow.acute.catchments import CHOICE_RANKS
from patientflow.acute.delta import DeltaArea, baseline_network, changed_sites, delta_area
from patientflow.acute.replication import ReplicationLogs, simulate_logs
from patientflow.acute.world import World, build_world
from patientflow.config.schema import RunConfig
from patientflow.core.area import StudyArea
from patientflow.core.network import ServiceNetwork, build_network
from patientflow.core.travel import TravelModel
from patientflow.data import Dataset
from patientflow.data.checksums import planned_data_checksums
from patientflow.version import code_identity, source_digest

log = logging.getLogger(__name__)

# Sim settings that do not change what a replication simulates: they stay out of the baseline's
# key, so that every job of a sweep finds the same baseline.
NOT_IN_KEY = ("replications", "progress", "skip_complete", "delta", "delta_dir", "batch_rows")
# Report settings that only draw and write: out of the key too. Every other one (the norm that
# each journey's `seh_within_norm` is logged against) is in it.
REPORT_NOT_IN_KEY = (
    "accessibility_area",
    "region_levels",
    "response_allowance_min",
    "figures",
    "dpi",
    "map_cell_km",
    "boundary_file",
    "lang",
)
# The share of inhabitants from which a delta job costs about as much as a full one: nationally
# over 28 days 5.0 s + 18.3 s x share against 20.7 s for a full job (eight jobs, 4 December
# 2026), 0.95 of a full job at 0.8; docs/performance.md.
DELTA_PAYS_BELOW = 0.8
# Time-series facility types and the DeltaArea field that holds their ids.
FACILITY_GROUPS = {
    "seh": "sehs",
    "gp_desk": "gp_posts",
    "gp_doctor": "gp_posts",
    "gp_visit": "gp_posts",
    "zcc_desk": "zccs",
    "zcc_nurse": "zccs",
    "zcc_dispatcher": "zccs",
    "ambulance": "regions",
}


class DeltaRun:
    """A job of a network-change sweep: its world (the whole study area under its network),
    the area its change reaches, and per replication its stitched logs."""

    def __init__(
        self,
        cfg: RunConfig,
        data: Dataset,
        network: ServiceNetwork,
        area: StudyArea,
        travel: TravelModel,
        out: Path,
    ) -> None:
        base_net = baseline_network(cfg.network)
        self.base_cfg = replace(cfg, network=base_net)
        self.base_world = build_world(
            data, area, build_network(data, base_net), travel, self.base_cfg
        )
        changed = changed_sites(cfg.network, base_net)
        self.world = build_world(data, area, network, travel, cfg) if changed else self.base_world
        self.area: DeltaArea = delta_area(
            self.base_world,
            self.world,
            changed,
            cfg.sim.delta_rank,
            cfg.scenario.zcc.enabled,
            cfg.facilities.ambulance.mutual_aid_min,
        )
        key = baseline_key(self.base_cfg)
        root = Path(cfg.sim.delta_dir) if cfg.sim.delta_dir else out.parent / "delta_baseline"
        self.baseline_dir = root / key
        n_munis = len(area.municipalities)
        log.info(
            "delta: %d changed site(s) (%s); simulating %d of %d municipalities (%.1f %% of "
            "inhabitants), %d of them measured (%.1f %%); the rest from the baseline in %s",
            len(changed),
            ", ".join(sorted(changed)) or "none",
            len(self.area.simulated),
            n_munis,
            100.0 * self.area.population_share,
            len(self.area.core),
            100.0 * self.area.measured_share,
            self.baseline_dir,
        )
        if self.area.changed_sites and self.area.population_share >= DELTA_PAYS_BELOW:
            log.warning(
                "delta: the change reaches %.0f %% of the inhabitants; a delta job then costs "
                "about as much as a full run or more (its two worlds and stitched logs; "
                "docs/performance.md). sim.delta=false runs it whole, with the same effect.",
                100.0 * self.area.population_share,
            )

    def describe(self) -> dict:
        """What summary.json records of the delta simulation."""
        a = self.area
        return {
            "changed_sites": sorted(a.changed_sites),
            "municipalities_measured": len(a.core),
            "municipalities_simulated": len(a.simulated),
            "population_share_simulated": round(a.population_share, 4),
            "population_share_measured": round(a.measured_share, 4),
            "rank": self.base_cfg.sim.delta_rank,
            "baseline_dir": str(self.baseline_dir),
        }

    def logs(self, cfg: RunConfig, out: Path) -> ReplicationLogs:
        """Replication `cfg.sim.replication`'s logs in `out`: the baseline's where nothing
        changed, else the stitch of this job's area run and the baseline."""
        base = baseline_logs(
            replace(self.base_cfg, sim=cfg.sim), self.base_world, self.baseline_dir
        )
        if not self.area.changed_sites:
            return copy_logs(base, out)
        with tempfile.TemporaryDirectory(dir=out) as tmp:
            own = simulate_logs(cfg, area_world(self.world, self.area), Path(tmp))
            return stitch(own, base, self.area, out)


def baseline_key(cfg: RunConfig) -> str:
    """A digest of everything that makes a baseline replication what it is: the configuration
    (but the replication and the settings in NOT_IN_KEY and REPORT_NOT_IN_KEY), the data files
    and the code."""
    sim = {k: v for k, v in asdict(cfg.sim).items() if k not in NOT_IN_KEY + ("replication",)}
    report = {k: v for k, v in asdict(cfg.report).items() if k not in REPORT_NOT_IN_KEY}
    whole = {k: v for k, v in asdict(cfg).items() if k not in ("sim", "report")}
    blob = json.dumps(
        {
            "config": whole,
            "sim": sim,
            "report": report,
            "data": planned_data_checksums(cfg),
            "code": code_identity(),
            "source": source_digest(),
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


def area_world(world: World, area: DeltaArea) -> World:
    """The world with demand only in `area.simulated`: the same facilities, staffing, fleets
    and beds (planned on the whole study area), the same patients there (their streams are
    keyed by municipality), none elsewhere; it records only the facilities whose series the
    stitch takes from it."""
    codes = world.municipalities["municipality_code"].astype(str).to_numpy()
    keep = np.isin(codes, list(area.simulated))
    demand = replace(world.demand, population=np.where(keep, world.demand.population, 0.0))

    def indices(ids: object, wanted: frozenset[str]) -> set:
        return {i for i, x in enumerate(np.asarray(ids, dtype=object)) if x in wanted}

    recorded = {
        "seh": indices(world.sehs["id"], area.sehs) & world.active["seh"],
        "gp": indices(world.gp_posts["id"], area.gp_posts) & world.active["gp"],
        "zcc": indices(world.zcc["zcc_id"], area.zccs) & world.active["zcc"],
        "vr": set(area.regions) & world.active["vr"],
    }
    return replace(world, demand=demand, recorded=recorded)


def baseline_logs(cfg: RunConfig, world: World, root: Path) -> ReplicationLogs:
    """The baseline's replication, from `root` when a job made it already, else made now under
    a lock (the sweep's other jobs wait for it) and kept there."""
    name = f"replication_{cfg.sim.replication}"
    folder = root / name
    root.mkdir(parents=True, exist_ok=True)
    with _locked(root / f"{name}.lock"):
        if not (folder / "logs.json").is_file():
            log.info("delta: simulating the baseline's replication %d", cfg.sim.replication)
            for stale in root.glob(f".making-{name}-*"):  # left by a job that was killed
                shutil.rmtree(stale, ignore_errors=True)
            tmp = Path(tempfile.mkdtemp(dir=root, prefix=f".making-{name}-"))
            tmp.chmod(0o755)  # readable like any run folder, not only by its maker
            try:
                _write_meta(simulate_logs(cfg, world, tmp), tmp / "logs.json")
                shutil.rmtree(folder, ignore_errors=True)
                os.replace(tmp, folder)
            except BaseException:
                shutil.rmtree(tmp, ignore_errors=True)
                raise
    return _read_meta(folder)


@contextlib.contextmanager
def _locked(path: Path) -> Iterator[None]:
    """An exclusive lock on `path` between processes (POSIX; elsewhere none: a job then may
    make a baseline that another also makes, and one of the two identical results stays)."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - Windows
        yield
        return
    with open(path, "a+b") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def _write_meta(logs: ReplicationLogs, path: Path) -> None:
    meta = {k: v for k, v in asdict(logs).items() if k not in ("journeys", "timeseries")}
    path.write_text(json.dumps(meta), encoding="utf-8")


def _read_meta(folder: Path) -> ReplicationLogs:
    meta = json.loads((folder / "logs.json").read_text(encoding="utf-8"))
    meta["other_inpatients"] = {k: tuple(v) for k, v in meta["other_inpatients"].items()}
    return ReplicationLogs(
        journeys=folder / "journeys.parquet", timeseries=folder / "timeseries.parquet", **meta
    )


def copy_logs(logs: ReplicationLogs, out: Path) -> ReplicationLogs:
    """The baseline's logs as this job's own (a job that changes nothing)."""
    out.mkdir(parents=True, exist_ok=True)
    journeys = Path(shutil.copyfile(logs.journeys, out / "journeys.parquet"))
    series = Path(shutil.copyfile(logs.timeseries, out / "timeseries.parquet"))
    return replace(logs, journeys=journeys, timeseries=series)


def stitch(
    own: ReplicationLogs, base: ReplicationLogs, area: DeltaArea, out: Path
) -> ReplicationLogs:
    """One set of logs for the whole study area: the journeys of `area.core` and the time
    series, stop minutes and other inpatients of `area.facilities` from the area run `own`,
    the rest from the baseline. Journey ids are renumbered (the two runs number apart)."""
    core = pa.array(sorted(area.core), pa.string())
    changed = pa.array(sorted(area.changed_sites), pa.string())
    rows = unfinished = at_changed = 0
    journeys = out / "journeys.parquet"
    schema = pq.ParquetFile(own.journeys).schema_arrow
    with pq.ParquetWriter(journeys, schema) as writer:
        for source, inside in ((own, True), (base, False)):
            for batch in pq.ParquetFile(source.journeys).iter_batches():
                mine = pc.is_in(batch.column("municipality_code"), value_set=core)
                kept = pa.Table.from_batches([batch]).filter(mine if inside else pc.invert(mine))
                n = kept.num_rows
                if not n:
                    continue
                ids = pa.array(np.arange(rows + 1, rows + n + 1), pa.int64())
                kept = kept.set_column(schema.get_field_index("journey_id"), "journey_id", ids)
                still_open = pc.and_(
                    pc.is_null(kept.column("end_min")), pc.invert(kept.column("warmup"))
                )
                unfinished += pc.sum(still_open).as_py() or 0
                if not inside:
                    at_changed += pc.sum(pc.is_in(kept.column("seh_site_id"), changed)).as_py() or 0
                rows += n
                writer.write_table(kept)
    if at_changed:
        log.warning(
            "delta: %d journeys taken from the baseline (municipalities outside the measured "
            "area) went to an SEH this network closes or closes at night (conveyed past the "
            "%dth nearest); they are kept as in the baseline: set sim.delta=false to simulate "
            "them",
            at_changed,
            CHOICE_RANKS[1],
        )
    series = out / "timeseries.parquet"
    ts_schema = pq.ParquetFile(own.timeseries).schema_arrow
    with pq.ParquetWriter(series, ts_schema) as writer:
        for source, inside in ((own, True), (base, False)):
            for batch in pq.ParquetFile(source.timeseries).iter_batches():
                mine = _facility_mask(batch, area)
                writer.write_table(
                    pa.Table.from_batches([batch]).filter(mine if inside else pc.invert(mine))
                )
    ours = area.sehs
    return ReplicationLogs(
        journeys=journeys,
        timeseries=series,
        # The baseline world holds every SEH the network keeps, so each is in both logs: a
        # missing one is a bug, not a zero.
        stops={k: (own if k in ours else base).stops[k] for k in own.stops},
        other_inpatients={
            k: (own if k in ours else base).other_inpatients[k] for k in own.other_inpatients
        },
        arrivals=rows,
        unfinished=unfinished,
        warmup_min=own.warmup_min,
        simulation_s=own.simulation_s,
    )


def _facility_mask(batch: pa.RecordBatch, area: DeltaArea) -> pa.Array:
    """True for the time-series rows of facilities whose series come from the area run. A
    facility type without a group here is refused: its series would be taken from the baseline
    whatever the change does to it."""
    kinds, ids = batch.column("facility_type"), batch.column("facility_id")
    unknown = set(pc.unique(kinds).to_pylist()) - set(FACILITY_GROUPS)
    if unknown:
        raise ValueError(
            f"delta stitch: facility type(s) {sorted(map(str, unknown))} have no group in "
            "FACILITY_GROUPS; add where their ids are kept in DeltaArea"
        )
    mask = pa.array(np.zeros(batch.num_rows, dtype=bool))
    for kind, group in FACILITY_GROUPS.items():
        ours = pa.array(sorted(getattr(area, group)), pa.string())
        mask = pc.or_(mask, pc.and_(pc.equal(kinds, kind), pc.is_in(ids, value_set=ours)))
    return mask
