"""Configuration of the acute-care facilities: GP-post triage, SEHs and their beds, ambulances,
staffing, and the checks of these and of the scenario's capacity (demand: config/demand.py).

Defaults are calibrated to the public figures in shared/domain-facts.md (docs/acute-model.md).
Times are minutes.
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


def _dist(name: DistName, mean: float, cv: float = 1.0) -> DistConfig:
    return DistConfig(name=name, mean=mean, cv=cv)


_logn = lognormal


@dataclass
class TriageConfig:
    """Phone triage at a GP post (or a ZCC): urgency U1-U5 (U1-U2 urgent, answered first),
    outcome shares, and the SEH referral after a GP."""

    # Share of calls triaged U1, the most urgent; the desk answers calls by urgency level, U1
    # first. u1 to u5 sum to 1.
    u1: float = 0.02
    # Share triaged U2; U1 and U2 are the urgent calls (norm: answered within 30 s) and go
    # first at the GP's consultation and home visit.
    u2: float = 0.13
    # Share triaged U3 (not urgent).
    u3: float = 0.30
    # Share triaged U4 (not urgent).
    u4: float = 0.40
    # Share triaged U5, the least urgent.
    u5: float = 0.15
    # Share of calls that end with phone advice (PLOS ONE 2017: 40 %); advice, consult and
    # home_visit sum to 1.
    advice: float = 0.40
    # Share that gets a consultation at the nearest GP post (PLOS ONE 2017: 50 %).
    consult: float = 0.50
    # Share that gets a home visit by the post's doctor and driver (PLOS ONE 2017: 10 %).
    home_visit: float = 0.10
    # Share of consultations and home visits then referred to the SEH: 22.7 %, i.e. 13.6 % of
    # all contacts (NZa 2019).
    seh_after_gp: float = 0.227
    # Length of a triage call at the desk, minutes.
    call: DistConfig = field(default_factory=lambda: _logn(6.0, 0.6))
    # Length of a consultation at the GP post, minutes.
    consult_time: DistConfig = field(default_factory=lambda: _logn(12.0, 0.6))
    # Length of a home visit, minutes; the drive there and back comes on top.
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

    # Triage nurses at an SEH with fewer than `large_from_bays` bays (times the scenario's
    # capacity_factor, at least 1).
    triage_nurses_small: int = 1
    # Triage nurses at an SEH with at least `large_from_bays` bays.
    triage_nurses_large: int = 2
    # Treatment bays (sites.csv seh_bays) from which an SEH has `triage_nurses_large`.
    large_from_bays: int = 20
    # Triage time per patient, minutes.
    triage: DistConfig = field(default_factory=lambda: _logn(5.0, 0.5))
    # Time in the treatment bay of a patient who goes home, minutes: mean 119 (BMC HSR 2016; van
    # der Linden 2013).
    los_discharged: DistConfig = field(default_factory=lambda: _logn(119.0, 0.6))
    # Time in the bay of a patient who is admitted, minutes, before waiting there for a bed: mean
    # 146 (same sources).
    los_admitted: DistConfig = field(default_factory=lambda: _logn(146.0, 0.6))
    # Minutes added to the bay time of a patient referred by a GP or GP post: referred patients
    # stay 33 minutes longer than self-referred ones (BMC HSR 2016; van der Linden 2013).
    referred_extra_min: float = 33.0
    # Share admitted of patients brought by ambulance; with the three below 37 % of all SEH
    # visits, the share Gaakeer et al. report (2015: 37.2 %).
    admit_ambulance: float = 0.55
    # Share admitted of patients referred by a GP or GP post.
    admit_referred: float = 0.40
    # Share admitted of self-referred patients.
    admit_self: float = 0.15
    # Share admitted of other referrals (specialist, police, other).
    admit_other: float = 0.35
    acute_bed_occupancy: float = 0.85
    # All clinical inpatients on an average day: 1.47 M admissions x 4.12 days / 365 (2016,
    # Brancherapport ziekenhuizen via Schrijvers 2017): 16,592.
    hospital_inpatients: float = 16_592.0
    share_beds_with_other_inpatients: bool = True
    # Stay in a hospital bed, minutes (mean 4 days), of an SEH admission and of the hospital's
    # other inpatients.
    inpatient_stay: DistConfig = field(default_factory=lambda: _logn(4.0 * 1440, 1.0))
    # Patients waiting for a bay, with every bay taken, at which an SEH stops taking ambulances
    # (they go on to the next open SEH that takes them); the minutes on stop are counted.
    stop_queue: int = 3
    # Share of patients who come to the SEH by car (not by ambulance) who choose the second
    # nearest open SEH over the nearest.
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
    another region in the study area when it is within `mutual_aid_min` drive minutes as the
    ride drives them (an A2 without signals at car speeds; 0: no help across borders; 15, the
    A1 norm, is an assumption). A2 rides drive without lights
    and sirens (`a2_with_signals` false): at car speed, to the patient and to the SEH. A share
    `conveyed_beyond_nearest` of the conveyed urgent patients is taken past the nearest open
    SEH to the second nearest."""

    # Share of 112 calls that are A1 (lights and sirens, on scene within 15 minutes): 78 % urgent
    # (AZN) x 74 % A1 (Smits et al. 2014). The three shares sum to 1.
    share_a1: float = 0.577
    # Share that are A2 (urgent, within 30 minutes): 78 % x 26 %.
    share_a2: float = 0.203
    # Share that are B (planned transports, not urgent): the other 22 %.
    share_b: float = 0.220
    # Share of A1 and A2 patients taken to an SEH after the time on scene; the others stay
    # (treated on scene or taken elsewhere). With it about 18 % of SEH visits come by
    # ambulance, against Gaakeer's 16 % (docs/acute-model.md).
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
    # Turn-out time before the vehicle drives, minutes: A1 national mean 1:02 (AZN 2011).
    turnout: DistConfig = field(default_factory=lambda: _logn(1.03, 1.0))
    mutual_aid_min: float = 15.0
    # Time on scene, minutes: about 20 (2009, shared/domain-facts.md).
    on_scene: DistConfig = field(default_factory=lambda: _logn(20.0, 0.4))
    # Time to hand the patient over at the SEH, minutes; then the vehicle drives back to its post.
    handover: DistConfig = field(default_factory=lambda: _logn(15.0, 0.4))
    # Length of a B ride (planned transport) from reaching the patient, minutes; then the vehicle
    # drives back to its post.
    b_ride: DistConfig = field(default_factory=lambda: _logn(60.0, 0.5))


@dataclass
class StaffingConfig:
    """Phone desks and GP posts are staffed per hour so the expected occupancy stays below this."""

    # The expected occupancy each hour's staff is planned for, on the baseline load: GP-post
    # phone desks, GP consultation rooms and visit cars, and ZCC desks staffed for the load (no
    # public staffing tables exist; docs/acute-model.md).
    target_occupancy: float = 0.75
    # The fewest staff of each of those desks, rooms and cars in any hour of the week.
    min_staff: int = 1


@dataclass
class FacilitiesConfig:
    """The acute model's facilities: phone triage at the GP posts (and ZCCs), the emergency
    departments, 112 ambulance care, and how desks and GP posts are staffed."""

    triage: TriageConfig = field(default_factory=TriageConfig)
    seh: SehConfig = field(default_factory=SehConfig)
    ambulance: AmbulanceConfig = field(default_factory=AmbulanceConfig)
    staffing: StaffingConfig = field(default_factory=StaffingConfig)


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
    """Domain checks of the acute-care facilities and the scenario's capacity, ZCC and beds,
    each problem naming its key."""
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
