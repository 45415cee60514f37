"""Hour-of-week profiles: unit mean, the VZinfo GP-post shares, opening hours and diurnal shapes."""

from __future__ import annotations

import numpy as np
import pytest

from patientflow.acute.profiles import Profile, hour_of_week, out_of_hours

WEEK = np.arange(168)
DAY, HOUR = WEEK // 24, WEEK % 24
WEEKDAY, WEEKEND = DAY < 5, DAY >= 5
OFFICE = WEEKDAY & (HOUR >= 8) & (HOUR < 17)


def share(profile: np.ndarray, mask: np.ndarray) -> float:
    return float(profile[mask].sum() / profile.sum())


@pytest.mark.parametrize("profile", list(Profile))
def test_every_profile_has_168_non_negative_values_with_mean_one(profile):
    p = hour_of_week(profile)
    assert p.shape == (168,) and p.dtype == np.float64
    assert (p >= 0).all()
    assert abs(p.mean() - 1.0) < 1e-12


@pytest.mark.parametrize("profile", list(Profile))
def test_each_call_returns_a_fresh_array(profile):
    p = hour_of_week(profile)
    p[:] = -1.0
    assert (hour_of_week(profile) >= 0).all()


def test_flat_is_ones():
    assert (hour_of_week(Profile.flat) == 1.0).all()


def test_gp_post_hits_the_vzinfo_shares_exactly():
    p = hour_of_week(Profile.gp_post)
    weekday_evening = WEEKDAY & np.isin(HOUR, [18, 19])
    weekend_morning = WEEKEND & np.isin(HOUR, [10, 11])
    weekend_night = WEEKEND & np.isin(HOUR, [4, 5])
    assert (weekday_evening.sum(), weekend_morning.sum(), weekend_night.sum()) == (10, 4, 4)
    assert abs(share(p, weekday_evening) - 0.123) < 1e-9
    assert abs(share(p, weekend_morning) - 0.101) < 1e-9
    assert abs(share(p, weekend_night) - 0.0085) < 1e-9


def test_gp_post_is_zero_exactly_in_office_hours():
    p = hour_of_week(Profile.gp_post)
    assert (p[OFFICE] == 0).all()
    assert (p[~OFFICE] > 0).all()
    assert np.array_equal(p > 0, out_of_hours(WEEK))


def test_gp_post_is_busiest_on_weekend_days_and_quiet_at_night():
    p = hour_of_week(Profile.gp_post)
    assert WEEKEND[p.argmax()] and 9 <= HOUR[p.argmax()] <= 12
    night = ~OFFICE & np.isin(HOUR, [2, 3, 4, 5])
    assert p[night].max() < 0.5 < p[WEEKDAY & np.isin(HOUR, [17, 18, 19, 20])].min()


def test_gp_office_only_in_office_hours():
    p = hour_of_week(Profile.gp_office)
    assert (p[~OFFICE] == 0).all()
    assert (p[OFFICE] > 0).all()
    day = p[:24]
    assert day[11] > day[8] and day[15] > day[8]  # late morning and afternoon above opening


def test_seh_peaks_in_the_day_and_dips_at_night():
    p = hour_of_week(Profile.seh)
    assert 11 <= HOUR[p.argmax()] <= 19
    assert 2 <= HOUR[p.argmin()] <= 6
    monday = p[:24]
    assert 0.25 < monday[3:6].mean() < 0.35
    assert np.allclose(p.reshape(7, 24)[5:], 1.1 * monday)  # weekend uplift
    assert np.allclose(p.reshape(7, 24)[:5], monday)


def test_ambulance_same_every_day_with_a_night_trough():
    p = hour_of_week(Profile.ambulance)
    days = p.reshape(7, 24)
    assert (days == days[0]).all()
    assert 3 <= HOUR[p.argmin()] <= 5 and 0.35 < p.min() < 0.45
    assert 10 <= HOUR[p.argmax()] <= 19


@pytest.mark.parametrize(
    "hour, expected",
    [(7, True), (8, False), (16, False), (17, True), (4 * 24 + 16, False), (5 * 24 + 12, True),
     (6 * 24 + 9, True), (167, True)],
)  # fmt: skip
def test_out_of_hours_at_single_hours(hour, expected):
    assert bool(out_of_hours(np.array([hour]))[0]) is expected


def test_out_of_hours_is_vectorised_and_counts_123_hours():
    mask = out_of_hours(WEEK)
    assert mask.dtype == bool and mask.shape == (168,)
    assert mask.sum() == 168 - 5 * 9
    assert np.array_equal(mask, ~OFFICE)
    assert np.array_equal(out_of_hours(WEEK + 168), mask)  # a second week
