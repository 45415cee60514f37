"""A complex-care patient and the centre that treats it: the patient's way from referral to
discharge (diagnostics, a place on the centre's waiting list, surgery, ICU and ward beds) as a
SimPy process, and the centre's operating minutes and beds it draws on. The model that makes
patients and centres is pathway.py."""

from __future__ import annotations

from collections.abc import Generator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import mesa
import numpy as np
import simpy

from patientflow.care.study import CareProblem
from patientflow.care.wards import HospitalBeds

if TYPE_CHECKING:
    from patientflow.care.pathway import CareModel

# A SimPy process: it yields the events it waits for.
Process = Generator[simpy.Event, Any, None]

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
    "transferred",
)


@dataclass
class CareCentre:
    """One provider of one intervention: its waiting list (operating minutes refilled weekly),
    and the hospital's shared beds."""

    site_id: str
    theatre: simpy.Container
    weekly_minutes: list[float]
    beds: HospitalBeds
    used_minutes: float = 0.0
    offered_minutes: float = 0.0
    owed_minutes: float = 0.0

    def take_emergency(self, need: float, counted: bool = True) -> None:
        """An emergency's operating minutes, without waiting: those free now when no elective
        patient waits for them, the rest from the next weekly minutes (electives wait longer);
        `counted`: in the measured window, so used."""
        free = 0.0 if self.theatre.get_queue else min(need, self.theatre.level)
        if free > 0:
            self.theatre.get(free)
        self.owed_minutes += need - free
        self.used_minutes += need if counted else 0.0


class CarePatient(mesa.Agent):
    """A patient referred for one intervention: where from, which centre, and when."""

    def __init__(self, model: CareModel, point: int, acute: bool, u: np.ndarray) -> None:
        super().__init__(model)
        self.point, self.acute, self.u = point, acute, u

    def pathway(self, problem: CareProblem, referral: float) -> Process:
        """The patient's way from referral to discharge, as a SimPy process."""
        m, env = self.model, self.model.env
        if self.acute:
            j, to_centre, transferred = m.ruptured_route(problem, self.point, self.u[7])
        else:
            j, to_centre, transferred = m.centre_for(problem, self.point, self.u), 0.0, False
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
            "transferred": transferred,
        }
        m.records.append(rec)
        iv = m.dists[problem.name]
        if self.acute:
            yield env.timeout(to_centre + m.care.ruptured.prep_min)
            rec["ready_min"] = referral
            centre.take_emergency(iv["or_minutes"](self.u[2]), m.theatre_window.holds(env.now))
        else:
            yield env.timeout(iv["diagnostics"](self.u[1]))
            rec["ready_min"] = env.now
            need = min(iv["or_minutes"](self.u[2]), centre.theatre.capacity)
            yield centre.theatre.get(need)
            centre.used_minutes += need if m.theatre_window.holds(env.now) else 0.0
        rec["surgery_min"] = env.now
        yield env.timeout(iv["or_minutes"](self.u[2]))
        if self.u[3] < m.interventions[problem.name].icu_share:
            yield from self._bed(centre, "icu", iv["icu_days"](self.u[4]) * 1440.0, rec)
        yield from self._bed(centre, "ward", iv["stay_days"](self.u[5]) * 1440.0, rec)
        rec["discharge_min"] = env.now
        self.remove()

    def _bed(self, centre: CareCentre, kind: str, stay: float, rec: dict) -> Process:
        """Wait for a bed of this kind (icu or ward) at the hospital and stay in it."""
        env, beds = self.model.env, centre.beds
        pool = getattr(beds, kind)
        t0 = env.now
        yield pool.get(1)
        rec[f"{kind}_wait_min"] = env.now - t0
        inside = self.model.measured.overlap(env.now, stay)
        setattr(beds, f"{kind}_minutes", getattr(beds, f"{kind}_minutes") + inside)
        yield env.timeout(stay)
        pool.put(1)
