"""What a patient's journey may use, built once per replication by the model: the shares and
thresholds read from the configuration (`journey_parameters`), the distributions of the times
each patient draws on arrival (`SERVICE_TIMES`) and where each draw sits in its row (`U_*`,
then the times), and the context of facilities and lookups per
demand point (`JourneyContext`)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from operator import attrgetter
from typing import TYPE_CHECKING, cast

import numpy as np
import simpy

from patientflow.acute.facilities import AmbulanceFleet, EmergencyDepartment, StaffedResource
from patientflow.config.distributions import DistConfig
from patientflow.config.schema import RunConfig
from patientflow.config.zcc import ZccVariant
from patientflow.core.distributions import Distribution

if TYPE_CHECKING:
    from patientflow.acute.agents import PatientAgent


@dataclass(frozen=True, slots=True)
class JourneyParameters:
    """The shares and thresholds a patient tests its uniforms against, and the norm."""

    urgency_edges: list[float]
    advice: float
    advice_or_consult: float
    seh_after_gp: float
    zcc_on: bool
    zcc_full: bool
    zcc_cross_domain: float
    zcc_compliance: float
    zcc_redirect: float
    zcc_redirect_self_care: float
    willing_further: float
    referred_extra_min: float
    admit: dict[str, float]
    share_a1: float
    share_a1_a2: float
    conveyed_to_seh: float
    conveyed_beyond_nearest: float
    a2_with_signals: bool
    norm_min: float
    mutual_aid_min: float


# The service and delay times each patient draws on arrival, in the order of its row (after
# its choice uniforms), and where each is configured.
SERVICE_TIMES: dict[str, str] = {
    "call": "facilities.triage.call",
    "consult": "facilities.triage.consult_time",
    "home_visit": "facilities.triage.home_visit_time",
    "triage": "facilities.seh.triage",
    "los_discharged": "facilities.seh.los_discharged",
    "los_admitted": "facilities.seh.los_admitted",
    "inpatient_stay": "facilities.seh.inpatient_stay",
    "on_scene": "facilities.ambulance.on_scene",
    "handover": "facilities.ambulance.handover",
    "b_ride": "facilities.ambulance.b_ride",
    "dispatch": "facilities.ambulance.dispatch",
    "turnout": "facilities.ambulance.turnout",
    "nurse_consult": "scenario.zcc.nurse_consult",
}


# Each patient draws once, on arrival, a uniform per kind of choice and a time per service or
# delay it may meet (demand.py): the same patient then makes the same choices and takes as long
# at each stage in every scenario (common random numbers for choices and times, not only for
# arrivals), whatever the order in which patients reach the stages.
U_URGENCY, U_OUTCOME, U_REFER, U_COMPLY, U_FURTHER, U_CONVEY, U_ADMIT = range(7)
N_UNIFORMS = 7
# The times, after the uniforms in a patient's row, in the order of SERVICE_TIMES.
(
    CALL,
    CONSULT,
    HOME_VISIT,
    TRIAGE,
    LOS_DISCHARGED,
    LOS_ADMITTED,
    INPATIENT_STAY,
    ON_SCENE,
    HANDOVER,
    B_RIDE,
    DISPATCH,
    TURNOUT,
    NURSE_CONSULT,
) = range(N_UNIFORMS, N_UNIFORMS + len(SERVICE_TIMES))


def service_distributions(cfg: RunConfig) -> list[Distribution]:
    """The distribution of each of SERVICE_TIMES, checked, in that order."""
    return [
        Distribution.from_config(cast(DistConfig, attrgetter(key)(cfg)), key)
        for key in SERVICE_TIMES.values()
    ]


@dataclass(frozen=True, slots=True)
class JourneyContext:
    """Everything a patient's journey may use, and nothing else: the clock, the parameters,
    the facilities, the study area's lookups per demand point (lists for speed), and the
    model's three services (a fresh log row, a delayed call, the end of a journey)."""

    env: simpy.Environment
    p: JourneyParameters
    desks: list[StaffedResource]
    doctors: list[StaffedResource]
    visit_cars: list[StaffedResource]
    zccs: list[StaffedResource]
    zcc_nurses: list[StaffedResource]
    zcc_dispatchers: list[StaffedResource]
    seh: list[EmergencyDepartment]
    fleets: dict[str, AmbulanceFleet]
    aid_fleets: list[AmbulanceFleet]
    point_ids: list[str]
    point_munis: list[str]
    point_gp: list[int]
    point_zcc: list[int]
    point_vr: list[str]
    gp_ids: list[str]
    amb_ids: list[str]
    gp_car: list[list[float]]
    seh_car: list[list[float]]
    seh_amb: np.ndarray
    seh_order_car: list[list[int]]
    seh_order_amb: list[list[int]]
    gp_seh_car: list[list[float]]
    gp_seh_order_car: list[list[int]]
    seh_post_amb: np.ndarray
    seh_post_car: np.ndarray
    amb_car: np.ndarray
    out_of_hours: list[bool]
    new_row: Callable[[], list]
    later: Callable[..., None]
    end_journey: Callable[[PatientAgent], None]


def journey_parameters(cfg: RunConfig) -> JourneyParameters:
    """The shares and thresholds patients test their uniforms against, read once."""
    tri, seh, amb, zcc = (
        cfg.facilities.triage,
        cfg.facilities.seh,
        cfg.facilities.ambulance,
        cfg.scenario.zcc,
    )
    return JourneyParameters(
        urgency_edges=np.cumsum([tri.u1, tri.u2, tri.u3, tri.u4]).tolist(),
        advice=tri.advice,
        advice_or_consult=tri.advice + tri.consult,
        seh_after_gp=tri.seh_after_gp,
        zcc_on=zcc.enabled,
        zcc_full=zcc.enabled and zcc.variant == ZccVariant.full,
        zcc_cross_domain=zcc.cross_domain_share,
        zcc_compliance=zcc.self_referral_compliance,
        zcc_redirect=zcc.redirect_share,
        zcc_redirect_self_care=zcc.redirect_self_care,
        willing_further=seh.willing_further,
        referred_extra_min=seh.referred_extra_min,
        admit={
            "ambulance": seh.admit_ambulance,
            "referred": seh.admit_referred,
            "self": seh.admit_self,
            "other": seh.admit_other,
        },
        share_a1=amb.share_a1,
        share_a1_a2=amb.share_a1 + amb.share_a2,
        conveyed_to_seh=amb.conveyed_to_seh,
        a2_with_signals=amb.a2_with_signals,
        conveyed_beyond_nearest=amb.conveyed_beyond_nearest,
        mutual_aid_min=amb.mutual_aid_min,
        norm_min=cfg.report.norm_min,
    )
