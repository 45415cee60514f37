"""Configuration of the acute-care simulation: demand channels, facilities, scenarios.

Defaults are calibrated to the national volumes in shared/domain-facts.md; the derivation of each
rate is in docs/acute-model.md. Times are minutes, rates are per 1,000 inhabitants per year.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import Enum

from patientflow.config.distributions import DistConfig, DistName, check_distribution
from patientflow.errors import ConfigError


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
    rate_per_1000_per_year: float = 0.0
    profile: Profile = Profile.flat
    age_beta: float = 0.0


def _ch(rate: float, profile: Profile, beta: float) -> ChannelConfig:
    return ChannelConfig(rate, profile, beta)


@dataclass
class ChannelsConfig:
    """Arrival intensities per channel; `age_beta` scales the rate with the 65+ share."""

    call_112: ChannelConfig = field(default_factory=lambda: _ch(80.6, Profile.ambulance, 2.0))
    gp_post_call: ChannelConfig = field(default_factory=lambda: _ch(250.0, Profile.gp_post, 0.5))
    self_referral: ChannelConfig = field(default_factory=lambda: _ch(17.8, Profile.seh, 0.0))
    gp_referral: ChannelConfig = field(default_factory=lambda: _ch(17.6, Profile.gp_office, 1.5))
    other_referral: ChannelConfig = field(default_factory=lambda: _ch(14.4, Profile.seh, 1.0))


def _dist(name: DistName, mean: float, cv: float = 1.0) -> DistConfig:
    return DistConfig(name=name, mean=mean, cv=cv)


def _logn(mean: float, cv: float) -> DistConfig:
    return _dist(DistName.lognormal, mean, cv)


@dataclass
class TriageConfig:
    """Phone triage at a GP post (or a ZCC): urgency U1-U5 (U1-U2 urgent, answered first),
    outcome shares, and the SEH referral after a GP."""

    u1: float = 0.02
    u2: float = 0.13
    u3: float = 0.30
    u4: float = 0.40
    u5: float = 0.15
    advice: float = 0.40
    consult: float = 0.50
    home_visit: float = 0.10
    seh_after_gp: float = 0.227
    call: DistConfig = field(default_factory=lambda: _logn(6.0, 0.6))
    consult_time: DistConfig = field(default_factory=lambda: _logn(12.0, 0.6))
    home_visit_time: DistConfig = field(default_factory=lambda: _logn(25.0, 0.5))


@dataclass
class SehConfig:
    """Emergency department: triage, length of stay by disposition, admission and stops. The
    acute beds behind an SEH are planned for its expected admissions at `acute_bed_occupancy`."""

    triage_nurses_small: int = 1
    triage_nurses_large: int = 2
    large_from_bays: int = 20
    triage: DistConfig = field(default_factory=lambda: _logn(5.0, 0.5))
    los_discharged: DistConfig = field(default_factory=lambda: _logn(119.0, 0.6))
    los_admitted: DistConfig = field(default_factory=lambda: _logn(146.0, 0.6))
    referred_extra_min: float = 33.0
    admit_ambulance: float = 0.55
    admit_referred: float = 0.40
    admit_self: float = 0.15
    admit_other: float = 0.35
    acute_bed_occupancy: float = 0.85
    inpatient_stay: DistConfig = field(default_factory=lambda: _logn(4.0 * 1440, 1.0))
    stop_queue: int = 3
    willing_further: float = 0.10


@dataclass
class AmbulanceConfig:
    """112 ambulance care: urgency split, conveyance, and the times of a ride. Each region is
    staffed per hour so that its expected occupancy stays at `target_occupancy` (ambulance care
    keeps vehicles free for coverage), at least one vehicle per post."""

    share_a1: float = 0.577
    share_a2: float = 0.203
    share_b: float = 0.220
    conveyed_to_seh: float = 0.30
    target_occupancy: float = 0.35
    dispatch: DistConfig = field(default_factory=lambda: _dist(DistName.deterministic, 2.0))
    turnout: DistConfig = field(default_factory=lambda: _dist(DistName.deterministic, 1.0))
    on_scene: DistConfig = field(default_factory=lambda: _logn(20.0, 0.4))
    handover: DistConfig = field(default_factory=lambda: _logn(15.0, 0.4))
    b_ride: DistConfig = field(default_factory=lambda: _logn(60.0, 0.5))


@dataclass
class StaffingConfig:
    """Phone desks and GP posts are staffed per hour so the expected occupancy stays below this."""

    target_occupancy: float = 0.75
    min_staff: int = 1


@dataclass
class FacilitiesConfig:
    triage: TriageConfig = field(default_factory=TriageConfig)
    seh: SehConfig = field(default_factory=SehConfig)
    ambulance: AmbulanceConfig = field(default_factory=AmbulanceConfig)
    staffing: StaffingConfig = field(default_factory=StaffingConfig)


@dataclass
class FluPeak:
    start_day: float = 0.0
    weeks: float = 0.0
    gp_post_call: float = 1.0
    self_referral: float = 1.0
    call_112: float = 1.0
    gp_referral: float = 1.0
    other_referral: float = 1.0


@dataclass
class ZccConfig:
    """Care coordination centre per ROAZ region: takes all non-life-threatening out-of-hours
    calls (GP-post calls and a share of would-be self-referrals) with broad triage."""

    enabled: bool = False
    self_referral_compliance: float = 0.3
    self_care: float = 0.15
    advice: float = 0.30
    consult: float = 0.40
    home_visit: float = 0.10
    seh: float = 0.04
    ambulance: float = 0.01


def _share(key: str, value: float) -> None:
    if not 0.0 <= value <= 1.0:
        raise ConfigError(key, value, "must be a share between 0 and 1")


def _sums_to_one(prefix: str, obj: object, names: tuple[str, ...]) -> None:
    for n in names:
        _share(f"{prefix}.{n}", getattr(obj, n))
    total = sum(getattr(obj, n) for n in names)
    if abs(total - 1.0) > 1e-6:
        listed = " + ".join(f"{prefix}.{n}" for n in names)
        raise ConfigError(prefix, round(total, 6), f"shares must sum to 1 ({listed})")


def _distributions(prefix: str, obj: object) -> None:
    for f in fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, DistConfig):
            check_distribution(value, f"{prefix}.{f.name}")


def check_acute_config(run) -> None:
    """Domain checks of the acute-care parts of a RunConfig; raise ConfigError naming the key."""
    for ch in Channel:
        c = getattr(run.demand.channels, ch.value)
        if c.rate_per_1000_per_year < 0:
            key = f"demand.channels.{ch.value}.rate_per_1000_per_year"
            raise ConfigError(key, c.rate_per_1000_per_year, "must not be negative")
    f, s, sim = run.facilities, run.scenario, run.sim
    _sums_to_one("facilities.triage", f.triage, ("advice", "consult", "home_visit"))
    _sums_to_one("facilities.triage", f.triage, ("u1", "u2", "u3", "u4", "u5"))
    _sums_to_one("facilities.ambulance", f.ambulance, ("share_a1", "share_a2", "share_b"))
    zcc_outcomes = ("self_care", "advice", "consult", "home_visit", "seh", "ambulance")
    _sums_to_one("scenario.zcc", s.zcc, zcc_outcomes)
    for obj, prefix, names in (
        (f.triage, "facilities.triage", ("seh_after_gp",)),
        (
            f.seh,
            "facilities.seh",
            (
                "admit_ambulance",
                "admit_referred",
                "admit_self",
                "admit_other",
                "willing_further",
            ),
        ),
        (f.ambulance, "facilities.ambulance", ("conveyed_to_seh",)),
        (s.zcc, "scenario.zcc", ("self_referral_compliance",)),
    ):
        for n in names:
            _share(f"{prefix}.{n}", getattr(obj, n))
    for obj, prefix in (
        (f.triage, "facilities.triage"),
        (f.seh, "facilities.seh"),
        (f.ambulance, "facilities.ambulance"),
    ):
        _distributions(prefix, obj)
    counts = (
        ("facilities.seh.triage_nurses_small", f.seh.triage_nurses_small),
        ("facilities.seh.triage_nurses_large", f.seh.triage_nurses_large),
        ("facilities.staffing.min_staff", f.staffing.min_staff),
    )
    for key, value in counts:
        if value < 1:
            raise ConfigError(key, value, "must be at least 1")
    if not 0 < f.ambulance.target_occupancy <= 1:
        raise ConfigError(
            "facilities.ambulance.target_occupancy",
            f.ambulance.target_occupancy,
            "must be in (0, 1]",
        )
    if not 0 < f.staffing.target_occupancy <= 1:
        raise ConfigError(
            "facilities.staffing.target_occupancy", f.staffing.target_occupancy, "must be in (0, 1]"
        )
    if not 0 < f.seh.acute_bed_occupancy <= 1:
        raise ConfigError(
            "facilities.seh.acute_bed_occupancy", f.seh.acute_bed_occupancy, "must be in (0, 1]"
        )
    if not s.capacity_factor > 0:
        raise ConfigError("scenario.capacity_factor", s.capacity_factor, "must be greater than 0")
    if s.heatwave_factor < 0:
        raise ConfigError("scenario.heatwave_factor", s.heatwave_factor, "must not be negative")
    if s.flu_peak.weeks < 0:
        raise ConfigError("scenario.flu_peak.weeks", s.flu_peak.weeks, "must not be negative")
    if sim.days < 0 or (sim.job.value == "acute" and not sim.days > 0):
        raise ConfigError("sim.days", sim.days, "must be greater than 0")
    if sim.days > 0 and not 0 <= sim.warmup_days < sim.days:
        raise ConfigError("sim.warmup_days", sim.warmup_days, "must be >= 0 and below sim.days")
    if sim.replications < 1:
        raise ConfigError("sim.replications", sim.replications, "must be at least 1")
    if not sim.step_min > 0:
        raise ConfigError("sim.step_min", sim.step_min, "must be greater than 0")
