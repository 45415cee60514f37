"""Hospital ward and ICU beds in the care pathway: a hospital's bed pools shared by its complex
interventions, and the acute admissions through its SEH that share the ward with them."""

from __future__ import annotations

from dataclasses import dataclass, field

import simpy

from patientflow.config.distributions import DistConfig, DistName
from patientflow.core.distributions import Distribution


@dataclass
class HospitalBeds:
    """A hospital's ward and ICU beds, shared by all its complex interventions and, for the
    ward, with its acute admissions (through the SEH): sized on their summed expected
    occupancy, next to the hospital's own beds and ICU beds."""

    site_id: str
    ward: simpy.Container
    icu: simpy.Container
    expected_ward: float
    expected_icu: float
    expected_acute: float
    hospital_beds: int
    hospital_icu_beds: int
    ward_minutes: float = 0.0
    icu_minutes: float = 0.0
    acute_minutes: float = 0.0
    acute_admissions: int = 0
    acute_waited: int = 0
    acute_wait_minutes: float = 0.0


@dataclass(frozen=True)
class MeasuredWindow:
    """The minutes a care run measures, after its warm-up to its end: beds, theatres and acute
    admissions count there (the warm-up's empty wards and theatres, and stays running past
    the end, read as idle and busy time before)."""

    start: float
    end: float

    def holds(self, t: float) -> bool:
        """Whether a moment lies in the window."""
        return self.start <= t < self.end

    def overlap(self, t: float, length: float) -> float:
        """Minutes of [t, t + length) inside the window."""
        return max(0.0, min(t + length, self.end) - max(t, self.start))

    @property
    def minutes(self) -> float:
        """The window's length."""
        return self.end - self.start


def bed_pool(env: simpy.Environment, n: int) -> simpy.Container:
    """A pool of n beds, all free: a bed is taken with get(1) (first come, first served) and
    given back with put(1); a counter, cheaper than a Resource's list of users."""
    return simpy.Container(env, capacity=n, init=n)


@dataclass
class AcuteBedLoad:
    """The acute admissions a hospital's ward beds are shared with: expected acute inpatients
    per site id (from the acute model's demand), their length of stay in minutes, and the
    occupancy at which a hospital plans its beds. Without it, complex care has the beds to
    itself."""

    inpatients: dict[str, float] = field(default_factory=dict)
    stay: Distribution = field(
        default_factory=lambda: Distribution.from_config(
            DistConfig(DistName.lognormal, 4.0 * 1440, 1.0), "acute.stay"
        )
    )
    occupancy: float = 0.85
