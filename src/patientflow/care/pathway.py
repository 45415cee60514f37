"""The complex-care pathway in motion: Mesa patients through SimPy waiting lists and operating
sessions. Referral at home, diagnostics at the local hospital, choice of centre, a place on the
centre's waiting list (operating minutes per week as capacity, following volume after a lag),
surgery, ICU and ward beds. Acute aneurysms go by ambulance straight to surgery. The same
patients (named random streams per intervention and replication) run through every network
configuration."""

from __future__ import annotations

from dataclasses import dataclass

import mesa
import numpy as np
import pandas as pd
import simpy

from patientflow.care.rules import Assignment
from patientflow.care.study import CareProblem
from patientflow.config.care import CareConfig, CentreChoice
from patientflow.core.capacity import planned_beds
from patientflow.core.distributions import DistName, Distribution
from patientflow.core.streams import Streams

WEEK_MIN = 7 * 1440.0
# The columns of a patient's record, every one present even when no patient got that far.
PATIENT_COLUMNS = (
    "intervention",
    "point",
    "acute",
    "site_id",
    "travel_min",
    "referral_min",
    "refused",
    "ready_min",
    "surgery_min",
    "icu_wait_min",
    "ward_wait_min",
    "discharge_min",
)
DIAGNOSTICS_DAYS = 14.0
ACUTE_PREP_MIN = 30.0


@dataclass
class CareCentre:
    """One provider: its waiting list (operating minutes refilled weekly) and its beds."""

    site_id: str
    theatre: simpy.Container
    weekly_minutes: list[float]
    ward: simpy.Resource
    icu: simpy.Resource
    used_minutes: float = 0.0
    offered_minutes: float = 0.0
    ward_minutes: float = 0.0
    icu_minutes: float = 0.0


class CarePatient(mesa.Agent):
    """A patient referred for one intervention: where from, which centre, and when."""

    def __init__(self, model: CareModel, point: int, acute: bool, u: np.ndarray) -> None:
        super().__init__(model)
        self.point, self.acute, self.u = point, acute, u

    def pathway(self, problem: CareProblem, referral: float):
        m, env = self.model, self.model.env
        j = m.centre_for(problem, self.point, self.u[0])
        centre = m.centres[problem.name][j]
        travel = float(problem.minutes[self.point, j])
        rec = {
            "intervention": problem.name,
            "point": self.point,
            "acute": self.acute,
            "site_id": centre.site_id,
            "travel_min": travel,
            "referral_min": referral,
            "refused": travel > m.care.refuse_above_min,
        }
        m.records.append(rec)
        iv = m.dists[problem.name]
        if self.acute:
            yield env.timeout(15.0 + float(problem.ambulance[self.point, j]) + ACUTE_PREP_MIN)
            rec["ready_min"] = referral
        else:
            yield env.timeout(iv["diagnostics"](self.u[1]))
            rec["ready_min"] = env.now
            need = min(iv["or_minutes"](self.u[2]), centre.theatre.capacity)
            yield centre.theatre.get(need)
            centre.used_minutes += need
        rec["surgery_min"] = env.now
        yield env.timeout(iv["or_minutes"](self.u[2]))
        if self.u[3] < m.interventions[problem.name].icu_share:
            yield from self._bed(centre, "icu", iv["icu_days"](self.u[4]) * 1440.0, rec)
        yield from self._bed(centre, "ward", iv["stay_days"](self.u[5]) * 1440.0, rec)
        rec["discharge_min"] = env.now
        self.remove()

    def _bed(self, centre: CareCentre, kind: str, stay: float, rec: dict):
        """Wait for a bed of this kind (icu or ward) at the centre and stay in it."""
        env = self.model.env
        with getattr(centre, kind).request() as bed:
            t0 = env.now
            yield bed
            rec[f"{kind}_wait_min"] = env.now - t0
            setattr(centre, f"{kind}_minutes", getattr(centre, f"{kind}_minutes") + stay)
            yield env.timeout(stay)


QUANTILE_GRID = 4096


def _quantile_sampler(dist: Distribution):
    """A time from a patient's own uniform through the inverse distribution function (on a
    grid of 4,096 midpoints), so the same patient gets the same times in every network."""
    grid = dist.quantiles((np.arange(QUANTILE_GRID) + 0.5) / QUANTILE_GRID)
    return lambda u: float(grid[min(int(u * QUANTILE_GRID), QUANTILE_GRID - 1)])


class CareModel(mesa.Model):
    """One network configuration's complex care over `days` days."""

    def __init__(
        self,
        problems: dict[str, CareProblem],
        assignments: dict[str, Assignment],
        today: dict[str, Assignment],
        care: CareConfig,
        days: float,
        streams: Streams,
        point_network: np.ndarray,
    ) -> None:
        super().__init__(rng=streams.rng("care", "mesa"))
        self.point_network = point_network
        self.env = simpy.Environment()
        self.care, self.days, self.records = care, days, []
        self.problems, self.assignments = problems, assignments
        self.interventions = {n: p.config for n, p in problems.items()}
        self.dists = {n: self._dists(p) for n, p in problems.items()}
        self.centres = {n: self._centres(problems[n], assignments[n], today[n]) for n in problems}
        for name, problem in problems.items():
            referrals = streams.rng("care", "referrals", name)
            pathway = streams.rng("care", "pathway", name)
            self.env.process(self._arrivals(problem, referrals, pathway))

    def _dists(self, p: CareProblem) -> dict:
        iv = p.config
        key = f"care.interventions.{p.name}"
        out = {
            k: _quantile_sampler(Distribution.from_config(getattr(iv, k), f"{key}.{k}"))
            for k in ("or_minutes", "stay_days", "icu_days")
        }
        diag = Distribution(DistName.lognormal, mean=DIAGNOSTICS_DAYS * 1440.0, cv=0.5)
        out["diagnostics"] = _quantile_sampler(diag)
        return out

    def _centres(self, p: CareProblem, new: Assignment, today: Assignment) -> dict:
        """Capacity per centre: today's expected weekly operating minutes at the target
        occupancy, moving to the new volume's after the lag, at most `capacity_cap` times."""
        care, iv = self.care, p.config
        mean_or = Distribution.from_config(iv.or_minutes, "or").mean
        mean_stay = Distribution.from_config(iv.stay_days, "stay").mean
        mean_icu = Distribution.from_config(iv.icu_days, "icu").mean
        elective = 1.0 - iv.acute_share
        weeks = int(np.ceil(self.days / 7)) + 1
        lag = int(round(care.capacity_lag_weeks))
        out = {}
        for j in new.providers:

            def minutes(volume: float) -> float:
                return volume * elective * mean_or / 52.0 / care.session_occupancy

            before, after = minutes(today.volume[j]), minutes(new.volume[j])
            if before > 0:
                after = min(after, care.capacity_cap * before)
            schedule = [before if w < lag and before > 0 else after for w in range(weeks)]
            ward = planned_beds(new.volume[j] * mean_stay / 365.0, 0.85, 1.0)
            icu = planned_beds(new.volume[j] * iv.icu_share * mean_icu / 365.0, 0.85, 1.0)
            env = self.env
            centre = CareCentre(
                site_id=p.candidates["id"].iat[j],
                theatre=simpy.Container(env, capacity=max(2 * max(schedule), care.session_minutes)),
                weekly_minutes=schedule,
                ward=simpy.Resource(env, ward),
                icu=simpy.Resource(env, icu),
            )
            env.process(self._sessions(centre))
            out[j] = centre
        return out

    def _sessions(self, centre: CareCentre):
        """Each week the centre's operating minutes are offered; unused minutes carry over up to
        two weeks' worth (at least one session, so a long operation always fits)."""
        for minutes in centre.weekly_minutes:
            room = centre.theatre.capacity - centre.theatre.level
            offer = min(minutes, room)
            if offer > 0:
                yield centre.theatre.put(offer)
                centre.offered_minutes += minutes
            yield self.env.timeout(WEEK_MIN)

    def centre_for(self, p: CareProblem, point: int, u: float) -> int:
        """Nearest provider; the hub of the patient's network; or a logit draw on travel."""
        a = self.assignments[p.name]
        if self.care.choice is CentreChoice.nearest or len(a.providers) == 1:
            return int(a.choice[point])
        provs = np.asarray(a.providers)
        if self.care.choice is CentreChoice.hub:
            own = [j for j in provs if p.candidates["network"].iat[j] == self.point_network[point]]
            return int(own[np.argmin(p.minutes[point, own])]) if own else int(a.choice[point])
        util = -self.care.logit_per_min * p.minutes[point, provs]
        prob = np.exp(util - util.max())
        cum = np.cumsum(prob / prob.sum())
        return int(provs[min(np.searchsorted(cum, u), len(provs) - 1)])

    def _arrivals(self, p: CareProblem, rng: np.random.Generator, pathway: np.random.Generator):
        """Poisson referrals per demand point (`rng`); each patient's uniforms for its choice
        and times drawn on arrival (`pathway`)."""
        rate = p.weight / (365.0 * 1440.0)
        total = rate.sum()
        if total <= 0:
            return
        cum = np.cumsum(rate / total)
        horizon = self.days * 1440.0
        while True:
            gap = rng.exponential(1.0 / total)
            point = int(min(np.searchsorted(cum, rng.random()), len(cum) - 1))
            acute = rng.random() < p.config.acute_share
            u = pathway.random(6)
            if self.env.now + gap >= horizon:
                return
            yield self.env.timeout(gap)
            patient = CarePatient(self, point, acute, u)
            self.env.process(patient.pathway(p, self.env.now))

    def run(self) -> None:
        self.env.run(until=self.days * 1440.0)

    def patients(self) -> pd.DataFrame:
        """One row per referred patient; a stage not reached yet is empty."""
        df = pd.DataFrame(self.records, columns=list(PATIENT_COLUMNS))
        times = {c: float for c in PATIENT_COLUMNS if c.endswith("_min")}
        return df.astype({"acute": bool, "refused": bool, "point": "int64", **times})
