"""The Mesa model that owns one SimPy environment (minutes). `step()` advances one period (an
hour by default) and records the facilities' state; each arriving patient takes a free agent
slot (agents.py) and gives it back when its journey ends."""

from __future__ import annotations

import gc
from collections.abc import Callable, Generator
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np
import simpy

from patientflow.acute.agents import PatientAgent
from patientflow.acute.demand import ArrivalStream
from patientflow.acute.facilities import (
    AmbulanceFleet,
    BedPool,
    EmergencyDepartment,
    HandOffDesk,
    HourlyClock,
    ServerPool,
    StaffedResource,
)
from patientflow.acute.journey import (
    N_UNIFORMS,
    SERVICE_TIMES,
    JourneyContext,
    journey_parameters,
    service_distributions,
)
from patientflow.acute.lean_process import Wake, run_until, start
from patientflow.acute.logs import ARRIVAL_MIN, END_MIN, ROAZ_CODE, WARMUP
from patientflow.acute.profiles import out_of_hours
from patientflow.acute.world import World
from patientflow.config.distributions import DistName
from patientflow.config.schema import RunConfig
from patientflow.core.capacity import planned_beds
from patientflow.core.distributions import Distribution
from patientflow.core.eventlog import ParquetLog
from patientflow.core.streams import Streams

if TYPE_CHECKING:
    from tqdm import tqdm

# ZCC disciplines recorded only where a schedule staffs them.
OPTIONAL_POOLS = ("zcc_desk", "zcc_nurse", "zcc_dispatcher")


class PatientFlowModel(mesa.Model):
    """Acute care in motion for one replication of one configuration. Every draw comes from
    a named stream of `Streams(sim.seed, sim.replication)`: per channel and municipality its
    arrival times, demand points, choice uniforms and service times (demand.py), streams for
    the initial and the other inpatients, one for Mesa."""

    def __init__(
        self,
        cfg: RunConfig,
        world: World,
        journeys: ParquetLog,
        timeseries: ParquetLog | None = None,
    ) -> None:
        streams = Streams(cfg.sim.seed, cfg.sim.replication)
        super().__init__(rng=streams.rng("acute", "mesa"))
        self.cfg, self.world = cfg, world
        self.env = simpy.Environment()
        self.journeys, self.timeseries = journeys, timeseries
        self.step_min = cfg.sim.step_min
        self.warmup_min = cfg.sim.warmup_days * 1440.0
        self.streams = streams
        services = service_distributions(cfg)
        self._stay = services[list(SERVICE_TIMES).index("inpatient_stay")]
        self._idle: list[PatientAgent] = []
        self._roaz_of_point = (
            world.points["municipality_code"]
            .map(world.municipalities.set_index("municipality_code")["roaz_code"])
            .tolist()
        )
        self._build_facilities()
        self.ctx = JourneyContext(
            env=self.env,
            p=journey_parameters(cfg),
            desks=self.desks,
            doctors=self.doctors,
            visit_cars=self.visit_cars,
            zccs=self.zccs,
            zcc_nurses=self.zcc_nurses,
            zcc_dispatchers=self.zcc_dispatchers,
            seh=self.seh,
            fleets=self.fleets,
            aid_fleets=[f for vr, f in self.fleets.items() if vr in world.active["vr"]],
            point_ids=world.points["id"].astype(str).tolist(),
            point_munis=world.points["municipality_code"].astype(str).tolist(),
            point_gp=world.point_gp.astype(int).tolist(),
            point_zcc=world.point_zcc.astype(int).tolist(),
            point_vr=world.point_vr.tolist(),
            gp_ids=world.gp_posts["id"].tolist(),
            amb_ids=world.amb_posts["id"].tolist(),
            gp_car=world.gp_car.tolist(),
            seh_car=world.seh_car.tolist(),
            seh_amb=world.seh_amb,
            seh_order_car=world.seh_order_car.tolist(),
            seh_order_amb=world.seh_order_amb.tolist(),
            gp_seh_car=world.gp_seh_car.tolist(),
            gp_seh_order_car=world.gp_seh_order_car.tolist(),
            seh_post_amb=world.seh_post_amb,
            seh_post_car=world.seh_post_car,
            amb_car=world.post_point_car,
            out_of_hours=out_of_hours(np.arange(168)).tolist(),
            new_row=self.journeys.new_row,
            later=self.later,
            end_journey=self.end_journey,
        )
        self.arrivals = ArrivalStream(
            world.demand,
            world.point_muni,
            world.points["population"].to_numpy(dtype=float),
            streams,
            N_UNIFORMS,
            world.municipalities["municipality_code"].astype(str).tolist(),
            services,
        )
        self.n_days = int(np.ceil(cfg.sim.days))
        self.horizon_min = cfg.sim.days * 1440.0
        self.arrived = 0
        start(self._feed())

    # ------------------------------------------------------------------ construction
    def _build_facilities(self) -> None:
        """Pools, SEHs and fleets; one hourly clock applies every schedule that varies."""
        w, f, cap = self.world, self.cfg.facilities, self.cfg.scenario.capacity_factor
        env = self.env
        gp_ids = w.gp_posts["id"].to_numpy()
        self.desks = [
            StaffedResource(env, i, s) for i, s in zip(gp_ids, w.desk_schedule, strict=True)
        ]
        self.doctors = [
            StaffedResource(env, i, s) for i, s in zip(gp_ids, w.doctor_schedule, strict=True)
        ]
        self.visit_cars = [
            StaffedResource(env, i, s) for i, s in zip(gp_ids, w.visit_schedule, strict=True)
        ]
        zcc_ids = w.zcc["zcc_id"].to_numpy()
        self.zccs, self.zcc_nurses = (
            [StaffedResource(env, i, s) for i, s in zip(zcc_ids, sched, strict=False)]
            for sched in (w.zcc_schedule, w.zcc_nurse_schedule)
        )
        # Calls still queued when a ZCC's dispatchers go off go to the regional centre.
        self.zcc_dispatchers: list[StaffedResource] = [
            HandOffDesk(env, i, s) for i, s in zip(zcc_ids, w.zcc_dispatch_schedule, strict=False)
        ]
        self.seh = []
        for j, row in w.sehs.iterrows():
            bays = max(1, int(round(row["seh_bays"] * cap)))
            nurses = (
                f.seh.triage_nurses_large
                if row["seh_bays"] >= f.seh.large_from_bays
                else f.seh.triage_nurses_small
            )
            beds = planned_beds(
                w.initial_inpatients[j] + w.other_inpatients[j],
                f.seh.acute_bed_occupancy,
                cap * self.cfg.scenario.acute_beds_factor,
            )
            self.seh.append(
                EmergencyDepartment(
                    env=env,
                    site_id=row["id"],
                    triage=ServerPool(env, "triage", max(1, int(round(nurses * cap)))),
                    bays=ServerPool(env, "bays", bays),
                    beds=BedPool(env, "beds", beds),
                    hours=w.seh_hours[j],
                    stop_queue=f.seh.stop_queue,
                )
            )
        for j, ed in enumerate(self.seh):
            in_bed = int(round(w.initial_inpatients[j] + w.other_inpatients[j]))
            n = min(in_bed, int(0.95 * ed.beds.capacity))
            rng = self.streams.rng("acute", "initial_inpatients", ed.site_id)
            # Already in bed: each one's remaining stay is that of a stay under way at a random
            # moment (length-biased), not a fraction of a fresh stay, which would empty the
            # beds in the first days (Midden 2,350 -> 1,783 occupied by day 2).
            for left in self._stay.residual_sample(rng, n).tolist():
                ed.beds.acquire()
                ed.beds.occupy_for(left)
            if w.other_inpatients[j] > 0:
                env.process(self._other_inpatients(ed, float(w.other_inpatients[j])))
        self.fleets = {}
        for vr, posts in w.amb_posts.groupby("vr_code").groups.items():
            idx = np.asarray(posts)
            self.fleets[vr] = AmbulanceFleet(
                env,
                vr,
                idx,
                w.amb_schedule[idx],
                w.post_point_amb[idx],
            )
        pools = [
            *self.desks,
            *self.doctors,
            *self.visit_cars,
            *self.zccs,
            *self.zcc_nurses,
            *self.zcc_dispatchers,
        ]
        HourlyClock(env, [x for x in pools if x.varies] + list(self.fleets.values()))
        self._recorded_facilities()

    def _other_inpatients(
        self, ed: EmergencyDepartment, expected: float
    ) -> Generator[simpy.Event, Any, None]:
        """One hospital's other inpatients (elective, from the clinics): a Poisson stream that
        keeps its expected number in bed. One finding no bed free is cancelled (postponed),
        never queued before an acute patient; counted after the warm-up. Each hospital draws
        from its own streams, and each inpatient its stay whether it gets a bed or not, so that
        a closure or a shortage elsewhere leaves a hospital's inpatients as they were."""
        # Small blocks: a hospital takes a few dozen a day, and a short run would otherwise
        # draw thousands it never uses (the values do not depend on the block).
        arrivals = Distribution(DistName.exponential, self._stay.mean / expected, 1.0)
        gaps = arrivals.sampler(self.streams.rng("acute", "other_inpatients", ed.site_id), 256)
        stays = self._stay.sampler(
            self.streams.rng("acute", "other_inpatients", ed.site_id, "stay"), 256
        )
        env, warmup, beds = self.env, self.warmup_min, ed.beds
        after = Wake(env).after
        while True:
            yield after(gaps())
            counted = env._now >= warmup
            stay = stays()
            if beds.try_acquire():
                beds.occupy_for(stay)
                ed.other_admitted += counted
            else:
                ed.other_cancelled += counted

    # ------------------------------------------------------------------ running
    def _feed(self) -> Generator[simpy.Event, Any, None]:
        """Create each patient at its arrival time, one simulated day of arrivals at a time."""
        env, idle, horizon = self.env, self._idle, self.horizon_min
        after = Wake(env).after
        for day in self.arrivals.days(self.n_days):
            own, width, at = day.own, day.width, 0
            for t, ch, p in zip(day.times, day.channels, day.points, strict=True):
                if t >= horizon:
                    return
                if t > env._now:
                    yield after(t - env._now)
                agent = idle.pop() if idle else PatientAgent(self)
                self.arrived += 1
                agent.begin(ch, p, t, self.arrived, own[at : at + width])
                at += width
                agent.stepper.start(agent.journey())

    def step(self) -> None:
        """Advance one period, not past the horizon, and record the state of every facility."""
        run_until(self.env, min(self.env.now + self.step_min, self.horizon_min))
        if self.timeseries is not None:
            self._record(self.timeseries)

    def run_days(self, progress: tqdm | None = None) -> None:
        """Run to the horizon. The world and facilities, built by now, are moved out of the
        garbage collector's sight (gc.freeze) and collections come less often: a journey
        allocates a few short-lived objects, and full collections over a large live heap
        otherwise cost a tenth of the run."""
        steps = int(np.ceil(self.horizon_min / self.step_min))
        per_day = max(1, int(round(1440 / self.step_min)))
        thresholds = gc.get_threshold()
        gc.freeze()
        gc.set_threshold(50_000, 20, 100)
        try:
            for k in range(steps):
                self.step()
                if progress is not None and (k + 1) % per_day == 0:
                    progress.update(1)
        finally:
            gc.set_threshold(*thresholds)
            gc.unfreeze()

    def _recorded_facilities(self) -> None:
        """The facilities of the study area that `_record` reports, in a fixed order."""
        active = self.world.recorded or self.world.active
        self._rec_seh = [ed for j, ed in enumerate(self.seh) if j in active["seh"]]
        self._rec_pools = [
            (kind, pool)
            for kind, pools, which in (
                ("gp_desk", self.desks, "gp"),
                ("gp_doctor", self.doctors, "gp"),
                ("gp_visit", self.visit_cars, "gp"),
                ("zcc_desk", self.zccs, "zcc"),
                ("zcc_nurse", self.zcc_nurses, "zcc"),
                ("zcc_dispatcher", self.zcc_dispatchers, "zcc"),
            )
            for i, pool in enumerate(pools)
            if i in active[which] and (kind not in OPTIONAL_POOLS or max(pool.schedule) > 0)
        ]
        self._rec_fleets = [f for vr, f in self.fleets.items() if vr in active["vr"]]
        self._rec_types = (
            ["seh"] * len(self._rec_seh)
            + [kind for kind, _ in self._rec_pools]
            + ["ambulance"] * len(self._rec_fleets)
        )
        self._rec_ids = (
            [ed.site_id for ed in self._rec_seh]
            + [pool.name for _, pool in self._rec_pools]
            + [f.region for f in self._rec_fleets]
        )
        self._rec_none = [None] * (len(self._rec_pools) + len(self._rec_fleets))

    def _record(self, timeseries: ParquetLog) -> None:
        """One row per facility: busy servers, staffed capacity, queue (and SEH beds, stop)."""
        seh, pools, fleets = self._rec_seh, [p for _, p in self._rec_pools], self._rec_fleets
        timeseries.extend(
            {
                "time_min": [self.env.now] * len(self._rec_ids),
                "facility_type": self._rec_types,
                "facility_id": self._rec_ids,
                "busy": [ed.bays.busy for ed in seh]
                + [p.busy for p in pools]
                + [f.vehicles_busy for f in fleets],
                "capacity": [ed.bays.capacity for ed in seh]
                + [p.capacity for p in pools]
                + [f.staffed for f in fleets],
                "queue": [ed.bays.queue for ed in seh]
                + [p.queue for p in pools]
                + [f.queue for f in fleets],
                "occupied_beds": [ed.beds.occupied for ed in seh] + self._rec_none,
                "stopped": [ed.stopped_since is not None for ed in seh] + self._rec_none,
            }
        )

    # ------------------------------------------------------------------ helpers for agents
    def later(self, delay: float, fn: Callable[..., None], *args: Any) -> None:
        """Call fn(*args) after `delay` minutes (a timeout with a callback, not a process)."""
        self.env.timeout(delay).callbacks.append(lambda _event: fn(*args))

    def end_journey(self, agent: PatientAgent) -> None:
        """Log the patient's journey and free its agent slot for the next patient."""
        rec = agent.rec
        assert rec is not None, "the agent slot is free already"
        rec[END_MIN] = self.env._now
        rec[ROAZ_CODE] = self._roaz_of_point[agent.point]
        rec[WARMUP] = rec[ARRIVAL_MIN] < self.warmup_min
        self.journeys.append_values(rec)
        # A free slot keeps no draws: a patient's draws are a view of its week's block, which a
        # slot idle for months would otherwise keep in memory.
        agent.rec, agent.own = None, ()
        self._idle.append(agent)

    def log_journey(self, agent: PatientAgent) -> None:
        rec = agent.rec
        assert rec is not None, "the agent slot is free"
        rec[ROAZ_CODE] = self._roaz_of_point[agent.point]
        rec[WARMUP] = rec[ARRIVAL_MIN] < self.warmup_min
        self.journeys.append_values(rec)

    def finish(self) -> int:
        """Log the journeys still under way at the horizon (their end_min stays empty); the
        number of them that arrived after the warm-up (the measured ones)."""
        open_agents = [a for a in self.agents if a.rec is not None]
        for agent in open_agents:
            agent.rec[END_MIN] = None
            self.log_journey(agent)
        return sum(1 for a in open_agents if not a.rec[WARMUP])

    def other_inpatients_per_site(self) -> dict[str, tuple[int, int]]:
        """The hospitals' other inpatients after the warm-up, per SEH site: (admitted,
        cancelled for want of a free bed)."""
        return {ed.site_id: (ed.other_admitted, ed.other_cancelled) for ed in self.seh}

    def stop_minutes(self) -> dict[str, float]:
        return {ed.site_id: ed.stopped_total(self.env.now) for ed in self.seh}
