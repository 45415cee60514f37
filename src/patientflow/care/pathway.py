"""The complex-care pathway in motion: the model that makes Mesa patients (patient.py) and
runs them through SimPy waiting lists and operating sessions. Referral at home, diagnostics at
the local hospital, choice of centre, a place on the centre's waiting list (operating minutes
per week as capacity, following volume after a lag), surgery, ICU and ward beds. Acute
aneurysms go by ambulance to a repair centre, directly or through the nearest SEH
(care/ruptured.py), and take its operating minutes first. The same patients (named random
streams per intervention and replication) run through every network configuration."""

from __future__ import annotations

import math
from collections.abc import Callable

import mesa
import numpy as np
import pandas as pd
import simpy

from patientflow.care.choice import Referrals
from patientflow.care.patient import PATIENT_COLUMNS, WEEK_MIN, CareCentre, CarePatient, Process
from patientflow.care.ruptured import RupturedRoutes, acute_load, arrival_min, routes_of
from patientflow.care.study import CareProblem
from patientflow.care.wards import AcuteBedLoad, HospitalBeds, MeasuredWindow, bed_pool
from patientflow.config.care import CareConfig
from patientflow.core.capacity import planned_beds
from patientflow.core.distributions import Distribution
from patientflow.core.streams import Streams

QUANTILE_GRID = 4096
# A patient's uniforms: provider today, diagnostics, operation, ICU or not, ICU days, ward
# days, the provider when today's stopped, and (acute) whether the crew recognises a rupture.
# The last comes from a stream of its own, so the first seven draw what they drew before.
N_UNIFORMS = 8


def _inverse(cumulative: np.ndarray, u: float) -> int:
    """The index whose cumulative share first exceeds u x the total (an inverse-CDF draw)."""
    i = int(np.searchsorted(cumulative, u * cumulative[-1], side="right"))
    return min(i, len(cumulative) - 1)


def _quantile_sampler(dist: Distribution) -> Callable[[float], float]:
    """A time from a patient's own uniform through the inverse distribution function (on a
    grid of 4,096 midpoints), so the same patient gets the same times in every network."""
    grid = dist.quantiles((np.arange(QUANTILE_GRID) + 0.5) / QUANTILE_GRID)
    return lambda u: float(grid[min(int(u * QUANTILE_GRID), QUANTILE_GRID - 1)])


class CareModel(mesa.Model):
    """One network configuration's complex care over `days` days."""

    def __init__(
        self,
        problems: dict[str, CareProblem],
        assignments: dict[str, Referrals],
        today: dict[str, Referrals],
        care: CareConfig,
        days: float,
        streams: Streams,
        point_network: np.ndarray,
        acute: AcuteBedLoad | None = None,
        in_network: bool = False,
        warmup_days: float = 0.0,
        capacity_factor: float = 1.0,
    ) -> None:
        super().__init__(rng=streams.rng("care", "mesa"))
        # the scenario's staffed capacity (a staff shortage): the beds and operating minutes
        # planned for the load, times this factor
        self.capacity_factor = capacity_factor
        # the measured window (minutes): the utilisations and bed counts are of it; theatres
        # over the whole weeks in it (their minutes come weekly and carry over; a week cut by
        # the end offered its minutes whole for a part of its patients)
        self.measured = MeasuredWindow(warmup_days * 1440.0, days * 1440.0)
        first_week = math.ceil(self.measured.start / WEEK_MIN) * WEEK_MIN
        last_week = max(first_week, math.floor(self.measured.end / WEEK_MIN) * WEEK_MIN)
        self.theatre_window = MeasuredWindow(first_week, last_week)
        # today's SEHs, or those the network keeps open (the acute AAA routes)
        self.in_network = in_network
        self.point_network = point_network
        self.env = simpy.Environment()
        self.care, self.days = care, days
        self.records: list[dict] = []
        self.problems, self.assignments = problems, assignments
        self.interventions = {n: p.config for n, p in problems.items()}
        self.dists = {n: self._dists(p) for n, p in problems.items()}
        self.acute = acute or AcuteBedLoad()
        self._ruptured = {
            n: self._routes(p, assignments[n])
            for n, p in problems.items()
            if p.config.acute_share > 0
        }
        self.hospitals = self._hospital_beds(problems, assignments)
        for beds in self.hospitals.values():
            if beds.expected_acute > 0:
                self.env.process(self._acute_admissions(beds, streams))
        self.centres = {n: self._centres(problems[n], assignments[n], today[n]) for n in problems}
        self._choice = {}
        for n in problems:
            kept = np.zeros(len(problems[n].candidates), dtype=bool)
            kept[assignments[n].providers] = True
            moved = assignments[n].destination
            self._choice[n] = (np.cumsum(today[n].share, axis=1), np.cumsum(moved, axis=1), kept)
        for name, problem in problems.items():
            referrals = streams.rng("care", "referrals", name)
            pathway = streams.rng("care", "pathway", name)
            recognised = streams.rng("care", "pathway", name, "recognised")
            self.env.process(self._arrivals(problem, referrals, pathway, recognised))

    def _routes(
        self, p: CareProblem, r: Referrals
    ) -> tuple[RupturedRoutes, np.ndarray, np.ndarray]:
        """The acute patients' routes to the providers, with the minutes from the call to
        arrival at the centre per demand point, recognised and not."""
        routes = routes_of(p, r.providers, self.in_network)
        return (routes, *arrival_min(routes, self.care.ruptured))

    def _load(self, p: CareProblem, r: Referrals, in_network: bool | None = None) -> np.ndarray:
        """Expected patients per candidate hospital per year, which its operating minutes and
        beds are planned on: the referral model's elective patients and the acute patients
        where their routes take them."""
        acute = p.config.acute_share
        if acute <= 0:
            return r.volume
        routes = routes_of(p, r.providers, self.in_network if in_network is None else in_network)
        return r.volume * (1.0 - acute) + acute_load(p, routes, self.care.ruptured)

    def _dists(self, p: CareProblem) -> dict[str, Callable[[float], float]]:
        iv = p.config
        key = f"care.interventions.{p.name}"
        out = {
            k: _quantile_sampler(Distribution.from_config(getattr(iv, k), f"{key}.{k}"))
            for k in ("or_minutes", "stay_days", "icu_days", "workup_days")
        }
        days = out.pop("workup_days")
        out["diagnostics"] = lambda u: days(u) * 1440.0
        return out

    def _hospital_beds(
        self, problems: dict[str, CareProblem], assignments: dict[str, Referrals]
    ) -> dict[str, HospitalBeds]:
        """One shared pool of ward and ICU beds per hospital, planned on the expected
        occupancy of all its complex interventions together (not a minimum per intervention)."""
        ward: dict[str, float] = {}
        icu: dict[str, float] = {}
        own: dict[str, tuple[int, int]] = {}
        for name, p in problems.items():
            iv, a = p.config, assignments[name]
            load = self._load(p, a)
            stay = Distribution.from_config(iv.stay_days, "stay").mean
            icu_days = Distribution.from_config(iv.icu_days, "icu").mean
            for j in a.providers:
                site = p.candidates["id"].iat[j]
                ward[site] = ward.get(site, 0.0) + load[j] * stay / 365.0
                icu[site] = icu.get(site, 0.0) + load[j] * iv.icu_share * icu_days / 365.0
                own[site] = (int(p.candidates["beds"].iat[j]), int(p.candidates["icu_beds"].iat[j]))
        env, target, factor = self.env, self.acute.occupancy, self.capacity_factor
        acute = {site: float(self.acute.inpatients.get(site, 0.0)) for site in ward}
        return {
            site: HospitalBeds(
                site_id=site,
                ward=bed_pool(env, planned_beds(ward[site] + acute[site], target, factor)),
                icu=bed_pool(env, planned_beds(icu[site], target, factor)),
                expected_ward=ward[site],
                expected_icu=icu[site],
                expected_acute=acute[site],
                hospital_beds=own[site][0],
                hospital_icu_beds=own[site][1],
            )
            for site in sorted(ward)
        }

    def _acute_admissions(self, beds: HospitalBeds, streams: Streams) -> Process:
        """The hospital's acute admissions in its ward beds: it starts with its expected acute
        inpatients in bed (each with the remaining stay of a stay under way, length-biased:
        `Distribution.residual_sample`; a share of a fresh stay emptied the beds at the start,
        as it did in the acute model until 5 December 2026), then admits a Poisson stream at
        the rate that keeps that occupancy (expected inpatients / mean stay). Streams of its
        own per hospital: the same admissions in every network configuration. Admissions are
        drawn up front and handled by callbacks, not processes (a year has about 10,000 per
        hospital)."""
        site, stay = beds.site_id, self.acute.stay
        start = streams.rng("care", "acute", site, "start")
        for left in stay.residual_sample(start, int(round(beds.expected_acute))).tolist():
            self._acute_admit(beds, float(left), False)
        horizon = self.days * 1440.0
        n = streams.rng("care", "acute", site, "count").poisson(
            beds.expected_acute / stay.mean * horizon
        )
        times = np.sort(streams.rng("care", "acute", site, "arrivals").random(n) * horizon)
        lengths = stay.sample(streams.rng("care", "acute", site, "stays"), n)
        now = 0.0
        for t, length in zip(times.tolist(), lengths.tolist(), strict=True):
            yield self.env.timeout(t - now)
            now = t
            self._acute_admit(beds, length, True)

    def _acute_admit(self, beds: HospitalBeds, stay: float, counted: bool) -> None:
        """One acute patient takes a ward bed (waiting while none is free) for `stay` minutes;
        `counted`: an admission during the run (not one in bed at the start), counted when it
        arrives, so one still waiting for a bed at the end is an admission all the same."""
        env, ward = self.env, beds.ward
        request = ward.get(1)
        t0 = env.now
        counted = counted and self.measured.holds(t0)
        if counted:
            beds.acute_admissions += 1
            beds.acute_waited += not request.triggered

        def out_of_bed(_event: simpy.Event) -> None:
            ward.put(1)

        def in_bed(_event: simpy.Event) -> None:
            if counted:
                beds.acute_wait_minutes += env.now - t0
            beds.acute_minutes += self.measured.overlap(env.now, stay)
            env.timeout(stay).callbacks.append(out_of_bed)

        request.callbacks.append(in_bed)

    def _centres(self, p: CareProblem, new: Referrals, today: Referrals) -> dict:
        """Capacity per centre: today's expected weekly operating minutes (elective and acute
        patients) at the target occupancy, moving to the new load's after the lag, at most
        `capacity_cap` times; times the scenario's capacity factor."""
        care, iv = self.care, p.config
        mean_or = Distribution.from_config(iv.or_minutes, "or").mean
        weeks = int(np.ceil(self.days / 7)) + 1
        lag = int(round(care.capacity_lag_weeks))
        load_today, load_new = self._load(p, today, False), self._load(p, new)
        out = {}
        for j in new.providers:

            def minutes(load: float) -> float:
                return load * mean_or / 52.0 / care.session_occupancy * self.capacity_factor

            before, after = minutes(load_today[j]), minutes(load_new[j])
            if before > 0:
                after = min(after, care.capacity_cap * before)
            schedule = [before if w < lag and before > 0 else after for w in range(weeks)]
            env = self.env
            site = p.candidates["id"].iat[j]
            centre = CareCentre(
                site_id=site,
                theatre=simpy.Container(env, capacity=max(2 * max(schedule), care.session_minutes)),
                weekly_minutes=schedule,
                beds=self.hospitals[site],
            )
            env.process(self._sessions(centre))
            out[j] = centre
        return out

    def _sessions(self, centre: CareCentre) -> Process:
        """Each week the centre's operating minutes are offered, first paying back what
        emergencies took ahead; unused minutes carry over up to two weeks' worth (at least one
        session, so a long operation always fits). The minutes of every week that starts in
        the theatres' measured window (`theatre_window`) count as offered, those lost because
        the carry-over was full too (they went unused), and so do the minutes carried into the
        window: minutes available there, so no more can be used than were offered."""
        window = self.theatre_window
        for minutes in centre.weekly_minutes:
            if self.env.now == window.start and window.holds(self.env.now):
                centre.offered_minutes += centre.theatre.level
            room = centre.theatre.capacity - centre.theatre.level
            offer = min(minutes, room)
            owed = min(centre.owed_minutes, offer)
            centre.owed_minutes -= owed
            if offer > owed:
                yield centre.theatre.put(offer - owed)
            if window.holds(self.env.now):
                centre.offered_minutes += minutes
            yield self.env.timeout(WEEK_MIN)

    def centre_for(self, p: CareProblem, point: int, u: np.ndarray) -> int:
        """The patient's provider today, drawn from the referral model's shares with its own
        uniform; if that provider remains, the same one (nobody else moves), otherwise where
        the model sends patients whose provider stopped (a second uniform)."""
        today_cum, moved_cum, kept = self._choice[p.name]
        k = _inverse(today_cum[point], u[0])
        if kept[k]:
            return k
        return _inverse(moved_cum[point], u[6])

    def ruptured_route(self, p: CareProblem, point: int, u: float) -> tuple[int, float, bool]:
        """An acute patient's repair centre, the minutes from the call to arrival there, and
        whether it was transferred: recognised by the crew (its uniform below the recognised
        share), straight to the nearest centre; otherwise through the nearest SEH."""
        routes, direct, via = self._ruptured[p.name]
        if u < self.care.ruptured.recognised_share:
            return int(routes.direct[point]), float(direct[point]), False
        return int(routes.via_seh[point]), float(via[point]), bool(routes.transferred[point])

    def _arrivals(
        self,
        p: CareProblem,
        rng: np.random.Generator,
        pathway: np.random.Generator,
        recognised: np.random.Generator,
    ) -> Process:
        """Poisson referrals per demand point (`rng`); each patient's uniforms for its choice
        and times drawn on arrival (`pathway`; whether a rupture is recognised, `recognised`)."""
        rate = p.weight / (365.0 * 1440.0)
        total = rate.sum()
        if total <= 0:
            return
        cum = np.cumsum(rate / total)
        horizon = self.days * 1440.0
        while True:
            gap = rng.exponential(1.0 / total)
            point = min(int(np.searchsorted(cum, rng.random())), len(cum) - 1)
            acute = rng.random() < p.config.acute_share
            u = np.append(pathway.random(N_UNIFORMS - 1), recognised.random())
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
        flags = {"acute": bool, "refused": bool, "transferred": bool}
        return df.astype({**flags, "point": "int64", **times})
