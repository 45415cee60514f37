"""Opening hours of an emergency department: the one place that says whether a site takes
patients at a given time. The service network (core/network.py) gives every SEH its hours;
the accessibility picture, the acute simulation and the figures all ask them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from patientflow.config.clock import clock_minutes

DAY_MIN = 1440


@dataclass(frozen=True)
class OpenHours:
    """When an SEH takes patients: always, never, or from `open_min` to `close_min` (minutes
    after midnight; a window may wrap midnight, 23:00-08:00 closes at night)."""

    always: bool = True
    never: bool = False
    open_min: int = 0
    close_min: int = 0

    @classmethod
    def of_site(cls, seh_any: bool, seh_hours: str, seh_open: str, seh_close: str) -> OpenHours:
        """The hours of a site from its network columns: no open SEH is never open, a 24/7 SEH
        always, a limited one between its clock times."""
        if not seh_any:
            return cls(always=False, never=True)
        if seh_hours == "24/7":
            return cls()
        return cls(
            always=False, open_min=clock_minutes(seh_open), close_min=clock_minutes(seh_close)
        )

    @property
    def around_the_clock(self) -> bool:
        """Open at every minute (24/7): never closed by its hours."""
        return self.always and not self.never

    def is_open(self, t: float) -> bool:
        """Open at simulated minute t (minute 0 is Monday 00:00; only the clock time counts)."""
        if self.always:
            return not self.never
        if self.never:
            return False
        m = t % DAY_MIN
        if self.open_min < self.close_min:
            return self.open_min <= m < self.close_min
        return m >= self.open_min or m < self.close_min


def open_at(hours: list[OpenHours], minute: float) -> np.ndarray:
    """Which of these SEHs are open at a time (minutes; only the clock time counts)."""
    return np.array([h.is_open(minute) for h in hours], dtype=bool)
