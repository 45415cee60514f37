"""Configuration of the acute-care simulation: demand channels, facilities, scenarios.

Defaults are calibrated to the national volumes in shared/domain-facts.md; the derivation of each
rate is in docs/acute-model.md. Times are minutes, rates are per 1,000 inhabitants per year.
"""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from enum import Enum
from typing import TYPE_CHECKING

from patientflow.config.distributions import DistConfig, DistName, check_distribution, lognormal
from patientflow.config.validate import Problems
from patientflow.config.zcc import check_zcc
from patientflow.errors import ConfigError

if TYPE_CHECKING:
    from _typeshed import DataclassInstance

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


_logn = lognormal


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
    beds behind an SEH are the hospital's: its expected acute admissions share them with its
    other inpatients (elective and from the clinics: `hospital_inpatients` nationally, less the
    acute ones, spread over the open hospitals by their beds), planned together at
    `acute_bed_occupancy`. An acute admission waits for a bed (boarding in the bay); another
    inpatient finding no bed free is cancelled (postponed) and counted. With
    `share_beds_with_other_inpatients` false the beds are planned for the SEH's admissions
    alone."""

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
    # All clinical inpatients on an average day: 1.47 M admissions x 4.12 days / 365 (2016,
    # Brancherapport ziekenhuizen via Schrijvers 2017): 16,592.
    hospital_inpatients: float = 16_592.0
    share_beds_with_other_inpatients: bool = True
    inpatient_stay: DistConfig = field(default_factory=lambda: _logn(4.0 * 1440, 1.0))
    stop_queue: int = 3
    willing_further: float = 0.10


class FleetRule(Enum):
    """How many ambulances each region staffs per hour: `public` (RIVM's ambulances needed in
    the weekday daytime, spread by load), `table` (the user's own per region and daypart) or
    `occupancy` (for a target occupancy)."""

    public = "public"
    table = "table"
    occupancy = "occupancy"


@dataclass
class AmbulanceConfig:
    """112 ambulance care: urgency split, conveyance, the fleet and the times of a ride.
    Fleets per region (RAV, one per safety region) and hour (`acute/fleet.py`): by default
    `fleet_weekday_day` vehicles nationally in an average weekday-daytime hour (RIVM
    referentiekader 2024: 693 ambulances needed on weekdays in the daytime), each region and
    hour given its share by expected 112 load; or the user's `fleet_file` (vr_code, daypart,
    vehicles); or enough for `target_occupancy`. Always at least one vehicle per post in its
    hours. An urgent call its own region cannot serve at once gets the nearest free vehicle of
    another region in the study area when it is within `mutual_aid_min` drive minutes (0: no
    help across borders; 15, the A1 norm, is an assumption). A2 rides drive without lights
    and sirens (`a2_with_signals` false): at car speed, to the patient and to the SEH. A share
    `conveyed_beyond_nearest` of the conveyed urgent patients is taken past the nearest open
    SEH to the second nearest."""

    share_a1: float = 0.577
    share_a2: float = 0.203
    share_b: float = 0.220
    conveyed_to_seh: float = 0.30
    # Half the conveyed urgent patients go past the nearest SEH (specialised care such as PCI,
    # stroke or trauma, and transports slower than the model's): calibrated to the national
    # mean transport from scene to SEH, 13.05 min in 2021 (a fit, docs/validation.md).
    conveyed_beyond_nearest: float = 0.5
    fleet: FleetRule = FleetRule.public
    fleet_weekday_day: float = 693.0
    fleet_file: str | None = None
    target_occupancy: float = 0.35
    a2_with_signals: bool = False
    # Call handling 1:52 and turn-out 1:02 min: A1 national means (AZN, Ambulances in-zicht
    # 2011); their spread (cv 1.0) is calibrated: with it a national week gives the realised A1
    # share within 15 min and p95 (92.4 %, 16:50; docs/validation.md), a fit, not a source.
    dispatch: DistConfig = field(default_factory=lambda: _logn(1.87, 1.0))
    turnout: DistConfig = field(default_factory=lambda: _logn(1.03, 1.0))
    mutual_aid_min: float = 15.0
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


def _sums_to_one(problems: Problems, prefix: str, obj: object, names: tuple[str, ...]) -> None:
    ok = [problems.share(f"{prefix}.{n}", getattr(obj, n)) for n in names]
    total = sum(getattr(obj, n) for n in names)
    if all(ok) and abs(total - 1.0) > 1e-6:
        listed = " + ".join(f"{prefix}.{n}" for n in names)
        problems.add(prefix, round(total, 6), f"shares must sum to 1 ({listed})")


def _distributions(problems: Problems, prefix: str, obj: DataclassInstance) -> None:
    for f in fields(obj):
        value = getattr(obj, f.name)
        if isinstance(value, DistConfig):
            try:
                check_distribution(value, f"{prefix}.{f.name}")
            except ConfigError as err:
                problems.extend([err])


def check_acute_config(run: RunConfig, problems: Problems) -> None:
    """Domain checks of the acute-care parts of a RunConfig, each problem naming its key."""
    for ch in Channel:
        c = getattr(run.demand.channels, ch.value)
        key = f"demand.channels.{ch.value}"
        # Above 10,000 per 1,000 a year (ten calls per inhabitant) is a typo, and would run for
        # days.
        problems.number(f"{key}.rate_per_1000_per_year", c.rate_per_1000_per_year, low=0, high=1e4)
        problems.number(f"{key}.age_beta", c.age_beta, low=-100, high=100)
    f, s = run.facilities, run.scenario
    _sums_to_one(problems, "facilities.triage", f.triage, ("advice", "consult", "home_visit"))
    _sums_to_one(problems, "facilities.triage", f.triage, ("u1", "u2", "u3", "u4", "u5"))
    _sums_to_one(problems, "facilities.ambulance", f.ambulance, ("share_a1", "share_a2", "share_b"))
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
        (f.ambulance, "facilities.ambulance", ("conveyed_to_seh", "conveyed_beyond_nearest")),
        (
            s.zcc,
            "scenario.zcc",
            (
                "self_referral_compliance",
                "redirect_share",
                "redirect_self_care",
                "cross_domain_share",
            ),
        ),
    ):
        for n in names:
            problems.share(f"{prefix}.{n}", getattr(obj, n))
    for obj, prefix in (
        (f.triage, "facilities.triage"),
        (f.seh, "facilities.seh"),
        (f.ambulance, "facilities.ambulance"),
    ):
        _distributions(problems, prefix, obj)
    for key, value in (
        ("facilities.seh.triage_nurses_small", f.seh.triage_nurses_small),
        ("facilities.seh.triage_nurses_large", f.seh.triage_nurses_large),
        ("facilities.seh.large_from_bays", f.seh.large_from_bays),
        ("facilities.staffing.min_staff", f.staffing.min_staff),
    ):
        problems.number(key, value, low=1)
    problems.non_negative("facilities.seh.stop_queue", f.seh.stop_queue)
    problems.non_negative("facilities.seh.referred_extra_min", f.seh.referred_extra_min)
    problems.number(
        "facilities.seh.hospital_inpatients", f.seh.hospital_inpatients, low=0, high=1e6
    )
    for key, share in (
        ("facilities.ambulance.target_occupancy", f.ambulance.target_occupancy),
        ("facilities.staffing.target_occupancy", f.staffing.target_occupancy),
        ("facilities.seh.acute_bed_occupancy", f.seh.acute_bed_occupancy),
    ):
        problems.number(key, share, low=0.0, high=1.0, low_open=True)
    problems.number("scenario.capacity_factor", s.capacity_factor, low=0, high=100, low_open=True)
    problems.number("scenario.zcc.hours_per_fte", s.zcc.hours_per_fte, low=1, high=168)
    problems.number(
        "facilities.ambulance.fleet_weekday_day", f.ambulance.fleet_weekday_day, low=1, high=1e5
    )
    if f.ambulance.fleet == FleetRule.table and not f.ambulance.fleet_file:
        problems.add(
            "facilities.ambulance.fleet_file",
            None,
            "fleet=table needs a file with columns vr_code, daypart, vehicles",
        )
    check_zcc(problems, s.zcc)
    problems.number(
        "facilities.ambulance.mutual_aid_min", f.ambulance.mutual_aid_min, low=0, high=240
    )
    problems.number(
        "scenario.acute_beds_factor", s.acute_beds_factor, low=0, high=10, low_open=True
    )
    problems.number(
        "scenario.population_factor", s.population_factor, low=0, high=10, low_open=True
    )
    problems.number("scenario.heatwave_factor", s.heatwave_factor, low=0, high=20)
    for i, day in enumerate(s.heatwave_days):
        problems.number(f"scenario.heatwave_days[{i}]", day, low=0)
    flu = s.flu_peak
    problems.non_negative("scenario.flu_peak.start_day", flu.start_day)
    problems.non_negative("scenario.flu_peak.weeks", flu.weeks)
    for ch in Channel:
        problems.number(f"scenario.flu_peak.{ch.value}", getattr(flu, ch.value), low=0, high=20)
