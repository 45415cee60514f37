"""Configuration of the care coordination centres (ZCC): the regions they serve, their
variant, and how their desks are staffed (load rule or roster lines per discipline)."""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum

from patientflow.config.clock import clock_minutes, is_clock
from patientflow.config.distributions import DistConfig, check_distribution
from patientflow.config.distributions import lognormal as _logn
from patientflow.config.validate import Problems
from patientflow.errors import ConfigError


class ZccLevel(Enum):
    """The regions a ZCC serves: one per ROAZ region, one per safety region (veiligheidsregio),
    both from the zcc_options table, or one per configured sub-region (the zcc_subregions
    table: by default each safety region's part of a ROAZ region, 2.8 per ROAZ region)."""

    roaz = "roaz"
    vr = "vr"
    subregion = "subregion"


class ZccStaffing(Enum):
    """How a ZCC's desks are staffed: for the expected load (`facilities.staffing`) or by the
    fixed roster of `scenario.zcc.roster`."""

    load = "load"
    roster = "roster"


class ZccVariant(Enum):
    """`full`: out of hours the ZCC answers every GP-post call (and would-be self-referrals).
    `lhv`: the GP post stays the front door (the LHV's variant); only calls that need a
    cross-domain consultation go on to the ZCC."""

    full = "full"
    lhv = "lhv"


class DayType(Enum):
    """The days a roster line covers (hour 0 of the simulated week is Monday 00:00)."""

    every_day = "every_day"
    weekdays = "weekdays"
    weekend = "weekend"


@dataclass
class ZccShift:
    """One roster line: desks per discipline at ZCC `zcc` ("*": every ZCC without a line of
    its own) on `days` from `start` to `end` ("HH:00", on the full hour, when desks change; an
    end at or before the start runs past midnight, equal times are 24 hours). Lines that
    overlap add up. Disciplines: the GP-post triagist answers the calls, the ambulance
    dispatcher handles the 112 calls of the ZCC's area in the hours it has dispatchers
    (otherwise the regional dispatch centre does, as without a ZCC), the nurse takes the
    cross-domain consultations."""

    zcc: str = "*"
    days: DayType = DayType.every_day
    start: str = "00:00"
    end: str = "00:00"
    # GP-post triagist desks this line adds: they answer the calls the ZCC takes.
    triagist: int = 0
    # Ambulance dispatcher desks this line adds: they handle the 112 calls of the ZCC's area.
    dispatcher: int = 0
    # Nurse desks this line adds: they take the cross-domain consultations.
    nurse: int = 0


ZCC_DISCIPLINES = ("triagist", "dispatcher", "nurse")


@dataclass
class ZccConfig:
    """Care coordination centre: out of hours it answers the GP-post calls and a share of
    would-be self-referrals (`self_referral_compliance`). GP-post callers then follow the same
    chain as at the GP post (advice, consultation or home visit, the GP's SEH referral share):
    only who answers changes. A would-be self-referral still goes to the SEH unless the ZCC
    redirects it: `redirect_share` of them (the pilot: more than half of care-related 112
    callers could have been helped elsewhere; taken here, an assumption, as the share of
    avoidable self-referrals the ZCC redirects), of whom `redirect_self_care` are helped by
    self-care advice (the pilot: half) and the others by a GP-post consultation. A share
    `cross_domain_share` of the calls the ZCC answers needs a cross-domain consultation with
    its nurse (`nurse_consult` minutes); both are assumptions, no public figure was found.
    `level`: one ZCC per ROAZ region, safety region or configured sub-region. `staffing`: desks
    for the expected load or a fixed `roster` per discipline. `variant`: `full` or `lhv` (the
    GP post keeps its calls; only cross-domain consultations go to the ZCC).
    `release_gp_desks`: in the full variant the GP posts' phone desks, whose calls the ZCC now
    answers, are released (false: kept staffed as before). FTE at `hours_per_fte` hours a
    week (an assumption)."""

    # Run with ZCCs as the other scenario.zcc keys say; false (the baseline): no ZCC, GP posts
    # and 112 as today.
    enabled: bool = False
    level: ZccLevel = ZccLevel.roaz
    variant: ZccVariant = ZccVariant.full
    staffing: ZccStaffing = ZccStaffing.load
    roster: list[ZccShift] = field(default_factory=list)
    release_gp_desks: bool = True
    hours_per_fte: float = 36.0
    self_referral_compliance: float = 0.3
    redirect_share: float = 0.5
    redirect_self_care: float = 0.5
    cross_domain_share: float = 0.10
    nurse_consult: DistConfig = field(default_factory=lambda: _logn(8.0, 0.6))


def check_zcc(problems: Problems, zcc: ZccConfig) -> None:
    """The ZCC's own checks, each problem naming its key."""
    try:
        check_distribution(zcc.nurse_consult, "scenario.zcc.nurse_consult")
    except ConfigError as err:
        problems.extend([err])
    if zcc.enabled and zcc.staffing == ZccStaffing.roster and not zcc.roster:
        problems.add("scenario.zcc.roster", [], "staffing=roster needs at least one roster line")
    if zcc.enabled and zcc.staffing == ZccStaffing.roster and zcc.roster:
        # A full ZCC with no triagist desk in any line: the GP-post calls sent to it waited to
        # the end of the run, which reported 0 % answered in time as a finding. (A ZCC without
        # nurses has no cross-domain consultations, by design.)
        if zcc.variant == ZccVariant.full and not any(s.triagist > 0 for s in zcc.roster):
            problems.add(
                "scenario.zcc.roster",
                "triagist 0 on every line",
                "with variant=full the ZCC answers every out-of-hours GP-post call: none would "
                "be answered",
            )
    lhv_roster = (
        zcc.enabled and zcc.variant == ZccVariant.lhv and zcc.staffing == ZccStaffing.roster
    )
    for i, shift in enumerate(zcc.roster):
        key = f"scenario.zcc.roster[{i}]"
        for name in ("start", "end"):
            value = getattr(shift, name)
            if not is_clock(value):
                problems.add(f"{key}.{name}", value, "must be a clock time HH:MM")
            elif clock_minutes(value) % 60:
                problems.add(
                    f"{key}.{name}",
                    value,
                    "must be on the full hour (HH:00): desks change at the full hour, so a "
                    "line from 07:30 would staff, and count the FTE of, 07:00-08:00",
                )
        for name in ZCC_DISCIPLINES:
            problems.number(f"{key}.{name}", getattr(shift, name), low=0, high=1000)
        if lhv_roster and shift.triagist > 0:
            problems.add(
                f"{key}.triagist",
                shift.triagist,
                "must be 0 with variant=lhv: the GP posts keep their calls, so the ZCC's "
                "triagists would get none and count only as FTE (use variant=full, or "
                "staff the nurse and dispatcher desks)",
            )
        if not str(shift.zcc).strip():
            problems.add(f"{key}.zcc", shift.zcc, "must name a ZCC id or be *")
