"""The Mesa model that owns one SimPy environment (minutes). `step()` advances one period (an
hour by default) and records the facilities' state; patients are created on arrival and removed
when their journey ends."""

from __future__ import annotations

import mesa
import numpy as np
import simpy

from patientflow.agents import N_UNIFORMS, PatientAgent
from patientflow.config import RunConfig
from patientflow.demand import ArrivalStream
from patientflow.distributions import Distribution
from patientflow.eventlog import ParquetLog
from patientflow.facilities import AmbulanceFleet, EmergencyDepartment, StaffedResource
from patientflow.profiles import out_of_hours
from patientflow.world import World

STREAMS = ("arrivals", "choice", "service", "mesa", "initial")
SAMPLED = {
    "call": ("triage", "call"),
    "consult": ("triage", "consult_time"),
    "home_visit": ("triage", "home_visit_time"),
    "triage": ("seh", "triage"),
    "los_discharged": ("seh", "los_discharged"),
    "los_admitted": ("seh", "los_admitted"),
    "inpatient_stay": ("seh", "inpatient_stay"),
    "on_scene": ("ambulance", "on_scene"),
    "handover": ("ambulance", "handover"),
    "b_ride": ("ambulance", "b_ride"),
    "dispatch": ("ambulance", "dispatch"),
    "turnout": ("ambulance", "turnout"),
}


def acute_beds(expected_inpatients: float, occupancy: float, factor: float) -> int:
    """Acute beds behind an SEH: the expected inpatients at the target occupancy, and never
    fewer than three standard deviations (Poisson) above them, at least 4; times a capacity
    factor (a staff shortage closes beds too)."""
    occ = float(expected_inpatients)
    planned = max(occ / occupancy, occ + 3.0 * np.sqrt(occ), 4.0)
    return max(1, int(np.ceil(planned * factor)))


def replication_streams(seed: int, replication: int) -> dict[str, np.random.SeedSequence]:
    """One SeedSequence per named purpose for one replication (common random numbers)."""
    root = np.random.SeedSequence([int(seed), int(replication)])
    return dict(zip(STREAMS, root.spawn(len(STREAMS)), strict=True))


class PatientFlowModel(mesa.Model):
    """Acute care in motion for one replication of one configuration."""

    def __init__(
        self,
        cfg: RunConfig,
        world: World,
        journeys: ParquetLog,
        timeseries: ParquetLog | None = None,
    ) -> None:
        streams = replication_streams(cfg.sim.seed, cfg.sim.replication)
        super().__init__(rng=np.random.default_rng(streams["mesa"]))
        self.cfg, self.world = cfg, world
        self.env = simpy.Environment()
        self.journeys, self.timeseries = journeys, timeseries
        self.step_min = cfg.sim.step_min
        self.warmup_min = cfg.sim.warmup_days * 1440.0
        self.zcc_on = cfg.scenario.zcc.enabled
        self.choice = np.random.default_rng(streams["choice"])
        self._u_block = np.empty((0, N_UNIFORMS))
        self._u_next = 0
        self.initial_stay = np.random.default_rng(streams["initial"])
        service = np.random.default_rng(streams["service"])
        self._draw = {
            name: Distribution.from_config(
                getattr(getattr(cfg.facilities, group), key), f"facilities.{group}.{key}"
            ).sampler(service)
            for name, (group, key) in SAMPLED.items()
        }
        self._journey_seq = 0
        tri = cfg.facilities.triage
        self.u_edges = np.cumsum([tri.u1, tri.u2, tri.u3, tri.u4])
        self.point_ids = world.points["id"].to_numpy(dtype=object)
        self.point_munis = world.points["municipality_code"].to_numpy(dtype=object)
        self.gp_ids = world.gp_posts["id"].to_numpy(dtype=object)
        self.amb_ids = world.amb_posts["id"].to_numpy(dtype=object)
        self.out_of_hours = out_of_hours(np.arange(168)).tolist()
        self._roaz_of_point = (
            world.points["municipality_code"]
            .map(world.municipalities.set_index("municipality_code")["roaz_code"])
            .to_numpy(dtype=object)
        )
        self._build_facilities()
        self.arrivals = ArrivalStream(
            world.demand,
            world.point_muni,
            world.points["population"].to_numpy(dtype=float),
            streams["arrivals"],
        )
        self.n_days = int(np.ceil(cfg.sim.days))
        self.horizon_min = cfg.sim.days * 1440.0
        self.arrived = 0
        self.env.process(self._feed())

    # ------------------------------------------------------------------ construction
    def _build_facilities(self) -> None:
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
        self.zccs = [
            StaffedResource(env, i, s) for i, s in zip(zcc_ids, w.zcc_schedule, strict=False)
        ]
        self.seh = []
        for j, row in w.sehs.iterrows():
            bays = max(1, int(round(row["seh_bays"] * cap)))
            nurses = (
                f.seh.triage_nurses_large
                if row["seh_bays"] >= f.seh.large_from_bays
                else f.seh.triage_nurses_small
            )
            beds = acute_beds(w.initial_inpatients[j], f.seh.acute_bed_occupancy, cap)
            self.seh.append(
                EmergencyDepartment(
                    env=env,
                    site_id=row["id"],
                    triage=simpy.Resource(env, capacity=max(1, int(round(nurses * cap)))),
                    bays=simpy.PriorityResource(env, capacity=bays),
                    beds=simpy.Resource(env, capacity=beds),
                    hours=w.seh_hours[j],
                    stop_queue=f.seh.stop_queue,
                )
            )
        for j, ed in enumerate(self.seh):
            n = min(int(round(w.initial_inpatients[j])), int(0.95 * ed.beds.capacity))
            for _ in range(n):
                self.env.process(self._initial_inpatient(ed))
        self.fleets = {}
        for vr, posts in w.amb_posts.groupby("vr_code").groups.items():
            idx = np.asarray(posts)
            self.fleets[vr] = AmbulanceFleet(
                env,
                vr,
                idx,
                w.amb_schedule[idx],
                lambda cand, point, idx=idx: self.world.post_point_amb[idx[cand], point],
            )

    def _initial_inpatient(self, ed: EmergencyDepartment):
        """An inpatient already in bed at time 0, for the rest of a stay (uniform fraction)."""
        bed = ed.beds.request()
        yield bed
        yield self.env.timeout(self.initial_stay.random() * self.draw("inpatient_stay"))
        ed.beds.release(bed)

    # ------------------------------------------------------------------ running
    def _feed(self):
        """Create each patient at its arrival time, one simulated day of arrivals at a time."""
        for frame in self.arrivals.days(self.n_days):
            times = frame["time_min"].to_numpy()
            channels = frame["channel"].to_numpy()
            points = frame["point"].to_numpy()
            for t, ch, p in zip(times, channels, points, strict=True):
                if t >= self.horizon_min:
                    return
                if t > self.env.now:
                    yield self.env.timeout(t - self.env.now)
                agent = PatientAgent(self, ch, int(p), float(t))
                self.arrived += 1
                self.env.process(agent.journey())

    def step(self) -> None:
        """Advance one period and record the state of every facility."""
        self.env.run(until=self.env.now + self.step_min)
        if self.timeseries is not None:
            self._record()

    def run_days(self, progress=None) -> None:
        steps = int(np.ceil(self.horizon_min / self.step_min))
        per_day = max(1, int(round(1440 / self.step_min)))
        for k in range(steps):
            self.step()
            if progress is not None and (k + 1) % per_day == 0:
                progress.update(1)

    def _record(self) -> None:
        t, log, active = self.env.now, self.timeseries, self.world.active
        for j, ed in enumerate(self.seh):
            if j not in active["seh"]:
                continue
            log.append(
                {
                    "time_min": t,
                    "facility_type": "seh",
                    "facility_id": ed.site_id,
                    "busy": ed.bays.count,
                    "capacity": ed.bays.capacity,
                    "queue": len(ed.bays.queue),
                    "occupied_beds": ed.beds.count,
                    "stopped": ed.stopped_since is not None,
                }
            )
        for kind, pools, which in (
            ("gp_desk", self.desks, "gp"),
            ("gp_doctor", self.doctors, "gp"),
            ("gp_visit", self.visit_cars, "gp"),
            ("zcc_desk", self.zccs, "zcc"),
        ):
            for i, pool in enumerate(pools):
                if i not in active[which]:
                    continue
                log.append(
                    {
                        "time_min": t,
                        "facility_type": kind,
                        "facility_id": pool.name,
                        "busy": pool.busy,
                        "capacity": pool.staffed,
                        "queue": pool.queue,
                    }
                )
        for vr, fleet in self.fleets.items():
            if vr not in active["vr"]:
                continue
            log.append(
                {
                    "time_min": t,
                    "facility_type": "ambulance",
                    "facility_id": vr,
                    "busy": fleet.vehicles_busy,
                    "capacity": fleet.staffed,
                    "queue": fleet.queue,
                }
            )

    # ------------------------------------------------------------------ helpers for agents
    def uniforms(self) -> np.ndarray:
        """The next patient's block of choice uniforms (drawn in bulk from the choice stream)."""
        if self._u_next >= len(self._u_block):
            self._u_block = self.choice.random((4096, N_UNIFORMS))
            self._u_next = 0
        self._u_next += 1
        return self._u_block[self._u_next - 1]

    def draw(self, name: str) -> float:
        return self._draw[name]()

    def next_journey_id(self) -> int:
        self._journey_seq += 1
        return self._journey_seq

    @staticmethod
    def admit_key(route: str) -> str:
        return {"ambulance": "ambulance", "referred": "referred", "self": "self"}.get(
            route, "other"
        )

    def log_journey(self, rec: dict) -> None:
        rec["roaz_code"] = self._roaz_of_point[rec.pop("_point")]
        rec["warmup"] = rec["arrival_min"] < self.warmup_min
        self.journeys.append(rec)

    def finish(self) -> int:
        """Log the journeys still under way at the horizon (their end_min stays empty)."""
        open_agents = list(self.agents)
        for agent in open_agents:
            agent.rec["end_min"] = None
            self.log_journey(agent.rec)
        return len(open_agents)

    def stop_minutes(self) -> dict[str, float]:
        return {ed.site_id: ed.stopped_total(self.env.now) for ed in self.seh}
