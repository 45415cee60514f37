"""Hour-of-week arrival profiles: how an annual arrival rate spreads over the 168 hours of a week.

Hour 0 is Monday 00:00-01:00, hour 24 * d + k is hour k of day d (0 = Monday .. 6 = Sunday).
Every profile has mean exactly 1, so `rate_per_hour = annual_rate / 8760 * profile[h]` keeps
the annual total. Holidays are ignored: every week is an ordinary week.

`gp_post` (contacts with a GP out-of-hours post, HAP) is calibrated to the VZinfo weekly profile
(see ../shared/domain-facts.md). It is zero in office hours (Mon-Fri 08:00-17:00), when the own
GP answers. A hand-drawn base shape in percent of the weekly contacts per hour gives the form:
weekday evenings peak just after 17:00 and at 18:00-20:00 and fall to a night trough at
03:00-05:00; weekend days rise from 07:00 to a late-morning peak at 10:00-12:00, stay high in
the afternoon and taper through the evening; weekend nights (Fri-Sat and Sat-Sun) are a little
busier than weekday nights. Three groups of hours are then rescaled to carry exactly the VZinfo
shares of the weekly contacts:

- Mon-Fri 18:00-20:00 (10 hours): 12.3%;
- Sat+Sun 10:00-12:00 (4 hours): 10.1%;
- Sat+Sun 04:00-06:00 (4 hours): 0.85%;

and the other 105 out-of-hours hours are rescaled together to the remaining 76.75%, so within
each group the base shape is kept. The base shape was drawn so that these factors are close to 1
(the joins between groups stay smooth); it puts about 57% of the contacts in the weekend.

The other shapes are plausible assumptions, not fitted to data:

- `seh` (self-referred and other walk-in arrivals at an emergency department): the same
  diurnal curve every day, +10% on Saturday and Sunday; a night trough of about 0.3 of the mean
  at 03:00-06:00, rising from 07:00 to a plateau 11:00-20:00 (crowding peaks 12:00-20:00,
  van der Linden et al. 2013), tapering to midnight.
- `gp_office` (referrals by the own GP): only Mon-Fri 08:00-17:00, highest late in the morning
  (after surgery hours) and in the afternoon, with a dip at lunch.
- `ambulance` (112 calls): the same diurnal curve every day, a trough of about 0.4 of the mean at
  03:00-06:00 and a broad peak 10:00-20:00.
- `flat`: constant 1.
"""

from __future__ import annotations

import numpy as np

from patientflow.config.demand import Profile

HOURS_PER_WEEK = 168
OFFICE_OPEN_HOUR = 8
OFFICE_CLOSE_HOUR = 17
SATURDAY = 5

# VZinfo HAP weekly profile: (days, hours of day, share of the weekly contacts).
GP_POST_TARGETS: tuple[tuple[tuple[int, ...], tuple[int, ...], float], ...] = (
    ((0, 1, 2, 3, 4), (18, 19), 0.123),
    ((5, 6), (10, 11), 0.101),
    ((5, 6), (4, 5), 0.0085),
)

# Base shape of the HAP profile, percent of weekly contacts per hour.
# A weekday's out-of-hours hours, by hour of day (office hours 08-16 are closed; None).
_GP_POST_WEEKDAY = (
    0.32, 0.25, 0.20, 0.18, 0.17, 0.18, 0.25, 0.45,  # 00-07: the night before
    None, None, None, None, None, None, None, None, None,  # 08-16: own GP
    1.10, 1.23, 1.23, 1.00, 0.80, 0.60, 0.45,  # 17-23
)  # fmt: skip
# A Saturday or Sunday, by hour of day (00-07 is the night from Friday or Saturday).
_GP_POST_WEEKEND = (
    0.40, 0.30, 0.25, 0.22, 0.21, 0.22, 0.35, 0.70,  # 00-07
    1.50, 2.20, 2.50, 2.55, 2.20, 1.90, 1.80, 1.75,  # 08-15
    1.75, 1.70, 1.60, 1.40, 1.15, 0.90, 0.70, 0.50,  # 16-23
)  # fmt: skip
# Walk-in SEH arrivals on a weekday, relative, by hour of day.
_SEH_DAY = (
    0.55, 0.45, 0.38, 0.32, 0.30, 0.30, 0.35, 0.55,  # 00-07
    0.85, 1.10, 1.30, 1.45, 1.50, 1.50, 1.50, 1.48,  # 08-15
    1.48, 1.50, 1.50, 1.45, 1.30, 1.10, 0.90, 0.70,  # 16-23
)  # fmt: skip
SEH_WEEKEND_UPLIFT = 1.10
# GP referrals in office hours 08-16, relative, by hour of day.
_GP_OFFICE_DAY = (0.50, 0.80, 1.10, 1.30, 1.10, 1.00, 1.20, 1.30, 1.20)
# 112 ambulance calls, relative, by hour of day.
_AMBULANCE_DAY = (
    0.70, 0.60, 0.50, 0.42, 0.40, 0.42, 0.55, 0.75,  # 00-07
    1.00, 1.15, 1.25, 1.30, 1.30, 1.30, 1.28, 1.25,  # 08-15
    1.25, 1.25, 1.25, 1.22, 1.10, 1.00, 0.90, 0.80,  # 16-23
)  # fmt: skip


def out_of_hours(hour_of_week: np.ndarray) -> np.ndarray:
    """True where GP posts answer: weekdays 17:00-08:00 and all weekend (hours taken mod 168)."""
    h = np.asarray(hour_of_week) % HOURS_PER_WEEK
    hour = h % 24
    return (h // 24 >= SATURDAY) | (hour < OFFICE_OPEN_HOUR) | (hour >= OFFICE_CLOSE_HOUR)


def hour_of_week(profile: Profile) -> np.ndarray:
    """A fresh float array of 168 non-negative hourly weights with mean exactly 1."""
    if profile is Profile.flat:
        return np.ones(HOURS_PER_WEEK)
    if profile is Profile.gp_post:
        return _gp_post()
    if profile is Profile.seh:
        days = np.array([1.0] * SATURDAY + [SEH_WEEKEND_UPLIFT] * (7 - SATURDAY))
        return _unit_mean(np.outer(days, _SEH_DAY).ravel())
    if profile is Profile.gp_office:
        week = np.zeros((7, 24))
        week[:SATURDAY, OFFICE_OPEN_HOUR:OFFICE_CLOSE_HOUR] = _GP_OFFICE_DAY
        return _unit_mean(week.ravel())
    if profile is Profile.ambulance:
        return _unit_mean(np.tile(np.asarray(_AMBULANCE_DAY), 7))
    raise ValueError(f"unknown profile {profile!r}")


def _unit_mean(weights: np.ndarray) -> np.ndarray:
    """Scale non-negative weights to mean 1 so annual totals are kept."""
    return weights * (weights.size / weights.sum())


def _hours(days: tuple[int, ...], hours: tuple[int, ...]) -> np.ndarray:
    """Hour-of-week indices of the given hours of day on the given days."""
    return np.array([24 * d + k for d in days for k in hours])


def _gp_post() -> np.ndarray:
    """The HAP profile: the base shape with the VZinfo groups rescaled to their exact shares."""
    weekday = [np.nan if v is None else v for v in _GP_POST_WEEKDAY]
    base = np.array([weekday] * SATURDAY + [list(_GP_POST_WEEKEND)] * (7 - SATURDAY)).ravel()
    share = np.zeros(HOURS_PER_WEEK)
    rest = out_of_hours(np.arange(HOURS_PER_WEEK))
    for days, hours, target in GP_POST_TARGETS:
        idx = _hours(days, hours)
        share[idx] = base[idx] * (target / base[idx].sum())
        rest[idx] = False
    remaining = 1.0 - sum(target for *_, target in GP_POST_TARGETS)
    share[rest] = base[rest] * (remaining / base[rest].sum())
    return share * HOURS_PER_WEEK


def calendar_factor(profile: Profile, start_min: float, end_min: float) -> float:
    """How many arrivals an average stretch of the same length gets for each one that the
    stretch [start_min, end_min) gets under `profile`: 1 over whole weeks. A count over a
    stretch that is not whole weeks (six days from Tuesday, say: the clock starts on a
    Monday and the first day warms up) is scaled by it before it is read as a number a year,
    so that the days of the week it happens to cover do not weigh in. NaN when the stretch
    has no weight (e.g. GP referrals over a weekend)."""
    if not end_min > start_min:
        raise ValueError(f"an empty stretch [{start_min}, {end_min})")
    w = hour_of_week(profile)
    first, last = int(np.floor(start_min / 60)), int(np.ceil(end_min / 60))
    hours = np.arange(first, last)
    overlap = np.minimum(end_min, (hours + 1) * 60.0) - np.maximum(start_min, hours * 60.0)
    weight = float((overlap * w[hours % HOURS_PER_WEEK]).sum())
    return (end_min - start_min) / weight if weight > 0 else float("nan")
