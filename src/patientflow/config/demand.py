"""Configuration of acute demand: the channels through which acute care questions arrive, their
rates, hour-of-week profiles and age effects, and a period of higher demand (flu peak), with
their checks.

Rates are per 1,000 inhabitants per year, calibrated to the national volumes in
shared/domain-facts.md; the derivation of each is in docs/acute-model.md.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import Enum
from typing import TYPE_CHECKING

from patientflow.config.validate import Problems

if TYPE_CHECKING:
    from patientflow.config.schema import RunConfig


class Profile(Enum):
    """The hour-of-week shape of a channel's arrivals (acute/profiles.py draws each)."""

    flat = "flat"
    gp_post = "gp_post"
    seh = "seh"
    gp_office = "gp_office"
    ambulance = "ambulance"


class Channel(Enum):
    """Where an acute care question first turns (the patient's intent before any triage)."""

    call_112 = "call_112"
    gp_post_call = "gp_post_call"
    self_referral = "self_referral"
    gp_referral = "gp_referral"
    other_referral = "other_referral"


@dataclass
class ChannelConfig:
    """One channel's arrivals: its rate, hour-of-week profile and age effect."""

    # Arrivals per 1,000 inhabitants a year at the national 65+ share; each municipality's rate
    # is scaled by its age effect, the hour-of-week profile and the scenario's multipliers.
    rate_per_1000_per_year: float = 0.0
    profile: Profile = Profile.flat
    age_beta: float = 0.0


def _ch(rate: float, profile: Profile, beta: float) -> ChannelConfig:
    return ChannelConfig(rate, profile, beta)


@dataclass
class ChannelsConfig:
    """Arrival intensities per channel; `age_beta` scales the rate with the 65+ share."""

    # 112 calls for an ambulance: 1.48 M deployments (2024) = 80.6 per 1,000 (AZN via VZinfo).
    call_112: ChannelConfig = field(default_factory=lambda: _ch(80.6, Profile.ambulance, 2.0))
    # Calls to a GP out-of-hours post (HAP), out of hours only: 250 contacts per 1,000 (PLOS ONE
    # 2017).
    gp_post_call: ChannelConfig = field(default_factory=lambda: _ch(250.0, Profile.gp_post, 0.5))
    # Patients who come to the SEH on their own: 17.4 % of 1.84 M SEH visits (Gaakeer 2016).
    self_referral: ChannelConfig = field(default_factory=lambda: _ch(17.8, Profile.seh, 0.0))
    # SEH referrals by the own GP in office hours: the GP and HAP share of SEH visits (50.3 %,
    # Gaakeer 2016) less the GP posts' referrals (docs/acute-model.md).
    gp_referral: ChannelConfig = field(default_factory=lambda: _ch(17.6, Profile.gp_office, 1.5))
    # Other SEH referrals (specialist, police, other): the remaining 14 % of SEH visits.
    other_referral: ChannelConfig = field(default_factory=lambda: _ch(14.4, Profile.seh, 1.0))


@dataclass
class FluPeak:
    """A period of higher acute demand (e.g. flu): each channel's arrival rate times its
    multiplier (1: unchanged) for the peak's weeks. Staffing and beds stay planned on the
    baseline load."""

    # The peak's first day, counted from the start of the run (0: the first simulated day). The
    # peak covers whole days: a start of 3.5 begins on day 4.
    start_day: float = 0.0
    # The peak's length in weeks; 0: no peak.
    weeks: float = 0.0
    # Multiplier on GP-post calls during the peak.
    gp_post_call: float = 1.0
    # Multiplier on self-referrals during the peak.
    self_referral: float = 1.0
    # Multiplier on 112 calls during the peak.
    call_112: float = 1.0
    # Multiplier on GP referrals during the peak.
    gp_referral: float = 1.0
    # Multiplier on other referrals during the peak.
    other_referral: float = 1.0


def check_demand(run: RunConfig, problems: Problems) -> None:
    """Domain checks of the demand channels and the scenario's demand peaks (flu peak,
    heatwave days), each problem naming its key."""
    for ch in Channel:
        c = getattr(run.demand.channels, ch.value)
        key = f"demand.channels.{ch.value}"
        # Above 10,000 per 1,000 a year (ten calls per inhabitant) is a typo, and would run for
        # days.
        problems.number(f"{key}.rate_per_1000_per_year", c.rate_per_1000_per_year, low=0, high=1e4)
        problems.number(f"{key}.age_beta", c.age_beta, low=-100, high=100)
    gp_post = run.demand.channels.gp_post_call.profile
    if gp_post != Profile.gp_post:
        # Only the gp_post shape is zero in office hours: the posts and a ZCC are planned for
        # the out-of-hours calls alone, so office-hour calls would meet no planned desk.
        problems.add(
            "demand.channels.gp_post_call.profile",
            gp_post.value,
            "GP-post calls come out of hours only (weekdays 17:00-08:00 and weekends; in office "
            "hours the own GP answers, channel gp_referral): only the gp_post profile is zero "
            "in office hours",
        )
    s = run.scenario
    problems.number("scenario.heatwave_factor", s.heatwave_factor, low=0, high=20)
    for i, day in enumerate(s.heatwave_days):
        problems.number(f"scenario.heatwave_days[{i}]", day, low=0)
    flu = s.flu_peak
    problems.non_negative("scenario.flu_peak.start_day", flu.start_day)
    problems.non_negative("scenario.flu_peak.weeks", flu.weeks)
    for ch in Channel:
        problems.number(f"scenario.flu_peak.{ch.value}", getattr(flu, ch.value), low=0, high=20)
    sim = run.sim
    if sim.job.value in ("acute", "regiobeeld") and 0 <= sim.warmup_days < sim.days:
        _check_in_measured_days(run, problems)


def _check_in_measured_days(run: RunConfig, problems: Problems) -> None:
    """A flu peak or heatwave days wholly outside the measured days (after the warm-up, before
    `sim.days`) change nothing measured: the run would carry the scenario's name on the
    baseline's numbers."""
    days, warm = run.sim.days, run.sim.warmup_days
    window = f"the measured days run from day {warm:g} to day {days:g} (sim.warmup_days, sim.days)"
    flu = run.scenario.flu_peak
    # (a value that is not finite is refused already, and math.ceil(inf) would raise)
    if flu.weeks > 0 and flu.start_day >= 0 and math.isfinite(flu.start_day + 7 * flu.weeks):
        # Whole days d with start_day <= d < start_day + 7 weeks (acute/demand.py ScenarioRates).
        first, end = math.ceil(flu.start_day), math.ceil(flu.start_day + 7 * flu.weeks)
        if not (first < end and first < days and end > warm):
            problems.add(
                "scenario.flu_peak.start_day",
                flu.start_day,
                f"a peak of {flu.weeks:g} weeks from this day covers no measured day: {window}",
            )
    heat = run.scenario.heatwave_days
    if heat and not any(d < days and d + 1 > warm for d in heat):
        problems.add(
            "scenario.heatwave_days",
            list(heat),
            f"no heatwave day falls in the measured days: {window}",
        )
