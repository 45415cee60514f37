"""The static world of a simulation: its catchments (catchments.py) and what is planned on
them: the staffing each desk plans for, the ambulance fleets (fleet.py), the beds (beds.py).
Built once per configuration; replications share it."""

from __future__ import annotations

from dataclasses import dataclass, field, fields

import numpy as np

from patientflow.acute.beds import expected_occupied_beds, other_inpatients
from patientflow.acute.catchments import (
    CHOICE_RANKS,
    Catchments,
    by_facility,
    catchments,
    mean_of,
    weekly_calls,
)
from patientflow.acute.fleet import daypart_of_hours, plan_ambulances
from patientflow.acute.profiles import out_of_hours
from patientflow.acute.zcc import roster_schedules
from patientflow.config.demand import Channel
from patientflow.config.schema import RunConfig
from patientflow.config.zcc import ZccStaffing, ZccVariant
from patientflow.core.area import StudyArea
from patientflow.core.capacity import scaled_staff, staffing_schedule
from patientflow.core.hours import OpenHours
from patientflow.core.network import ServiceNetwork
from patientflow.core.travel import TravelModel
from patientflow.data import Dataset


@dataclass(frozen=True)
class World(Catchments):
    """Everything a replication needs that does not change with the random seed: the
    catchments and what is planned on them, complete when constructed (`build_world`). Its
    SEHs are those the network keeps open (24/7 or limited hours): a closed SEH is not in the
    world, so no patient, bed or indicator can reach it."""

    seh_hours: list[OpenHours]
    desk_schedule: np.ndarray
    doctor_schedule: np.ndarray
    visit_schedule: np.ndarray
    zcc_schedule: np.ndarray
    zcc_nurse_schedule: np.ndarray
    zcc_dispatch_schedule: np.ndarray
    amb_schedule: np.ndarray
    initial_inpatients: np.ndarray
    other_inpatients: np.ndarray
    active: dict[str, set] = field(default_factory=dict)
    # The facilities timeseries.parquet records (indices as in `active`); None: the active ones.
    recorded: dict[str, set] | None = None


def build_world(
    data: Dataset,
    area: StudyArea,
    network: ServiceNetwork,
    travel: TravelModel,
    cfg: RunConfig,
) -> World:
    """Travel matrices, nearest facilities and planned staffing for the study area."""
    c = catchments(data, area, network, travel, cfg)
    staff = _plan_staffing(c, cfg, area)
    return World(
        **{f.name: getattr(c, f.name) for f in fields(Catchments)},
        seh_hours=list(c.sehs["hours"]),
        desk_schedule=staff["desks"],
        doctor_schedule=staff["doctors"],
        visit_schedule=staff["visits"],
        zcc_schedule=staff["triagist"],
        zcc_nurse_schedule=staff["nurse"],
        zcc_dispatch_schedule=staff["dispatcher"],
        amb_schedule=plan_ambulances(c, cfg, area, data),
        initial_inpatients=expected_occupied_beds(c, cfg, area),
        other_inpatients=other_inpatients(c, cfg, data),
        active={
            "gp": {int(i) for i in np.unique(c.point_gp)},
            "seh": {
                int(i)
                for i in np.unique(
                    np.concatenate(
                        [
                            c.seh_order_car[:, : CHOICE_RANKS[0]].ravel(),
                            c.seh_order_amb[:, : CHOICE_RANKS[1]].ravel(),
                            c.gp_seh_order_car[np.unique(c.point_gp), : CHOICE_RANKS[0]].ravel(),
                        ]
                    )
                )
            },
            "vr": set(np.unique(c.point_vr)),
            "zcc": {int(i) for i in np.unique(c.point_zcc) if i >= 0},
        },
    )


def _plan_staffing(world: Catchments, cfg: RunConfig, area: StudyArea) -> dict[str, np.ndarray]:
    """Staff desks, GP rooms and visit cars for the expected baseline load of their catchment.
    With a ZCC, its desks per discipline (`triagist`, `nurse`, `dispatcher`; ZCCs x 168): for
    the calls it takes and their cross-domain consultations, or from the fixed roster; in the
    full variant the GP posts' desks are released (unless `release_gp_desks` is false), in the
    LHV variant the GP posts keep their calls and the ZCC only consults."""
    f, s = cfg.facilities, cfg.scenario
    tri, stf, z = f.triage, f.staffing, s.zcc
    calls = weekly_calls(world, area, Channel.gp_post_call, ooh_only=True)
    zcc_on = z.enabled
    full = zcc_on and z.variant == ZccVariant.full
    n_gp, n_zcc = len(world.gp_posts), len(world.zcc)
    gp_calls = by_facility(calls, world.point_gp, n_gp)

    def plan(load: np.ndarray, mean: float) -> np.ndarray:
        rows = [
            staffing_schedule(r, mean, stf.target_occupancy, stf.min_staff, s.capacity_factor)
            for r in load
        ]
        return np.array(rows, dtype=int).reshape(len(load), 168)

    call_mean = mean_of(tri.call)
    consults = gp_calls * tri.consult
    none = np.zeros((n_zcc, 168), dtype=int)
    out = {"triagist": none, "nurse": none, "dispatcher": none}
    if full:
        self_ref = weekly_calls(world, area, Channel.self_referral, ooh_only=True)
        zcc_calls = calls + self_ref * z.self_referral_compliance
        redirected = z.self_referral_compliance * z.redirect_share
        consults = consults + by_facility(
            self_ref * redirected * (1.0 - z.redirect_self_care), world.point_gp, n_gp
        )
    elif zcc_on:
        zcc_calls = calls
    if zcc_on:
        by_zcc = by_facility(zcc_calls, world.point_zcc, n_zcc)
        if z.staffing == ZccStaffing.roster:
            # capacity_factor scales the roster, at least one desk in every hour (per ZCC and
            # discipline) the roster staffs: 1 desk x 0.4 rounded to none, so a ZCC's nurse
            # vanished, its 112 calls skipped the ZCC and calls waited for the next shift.
            out = roster_schedules(z, list(world.zcc["zcc_id"]))
            out = {
                k: np.where(v > 0, scaled_staff(v, s.capacity_factor, 1), 0) for k, v in out.items()
            }
        else:
            out = {
                "triagist": plan(by_zcc, call_mean) if full else none,
                "nurse": plan(by_zcc * z.cross_domain_share, mean_of(z.nurse_consult)),
                "dispatcher": none,
            }
    desks = plan(gp_calls, call_mean)
    if full and z.release_gp_desks:
        desks = np.zeros_like(desks)
    return {
        "desks": desks,
        "doctors": plan(consults, mean_of(tri.consult_time)),
        "visits": plan(gp_calls * tri.home_visit, mean_of(tri.home_visit_time) + 2 * 15.0),
        **out,
    }


def zcc_desk_schedules(world: World, cfg: RunConfig) -> dict[str, np.ndarray]:
    """Each ZCC's desks per discipline (ZCCs x 168) as counted for its desk hours and FTE: a
    fixed roster as written; desks staffed for the load only out of hours, the hours in which
    the ZCC takes calls (`counted_hours`)."""
    schedules = {
        "triagist": world.zcc_schedule,
        "nurse": world.zcc_nurse_schedule,
        "dispatcher": world.zcc_dispatch_schedule,
    }
    if cfg.scenario.zcc.staffing == ZccStaffing.roster:
        return schedules
    return {d: v * counted_hours() for d, v in schedules.items()}


def counted_hours() -> np.ndarray:
    """The hours of the week (168 booleans) whose desks staffed for the load count as desk
    hours: out of hours, when the GP posts and a ZCC take calls. In office hours no call comes;
    the minimum staff a desk keeps then (`facilities.staffing.min_staff`) only finishes the
    calls and patients left at 08:00, the daytime GP's work, and is no GP-post or ZCC FTE."""
    return out_of_hours(np.arange(168))


def call_hours_only(cfg: RunConfig) -> tuple[str, ...]:
    """The facility types whose staff count only out of hours (`counted_hours`), in their
    FTE and their utilisation: the GP posts' desks, doctors and visit cars, and a ZCC's desks
    staffed for the load (a fixed roster counts as written)."""
    zcc = () if cfg.scenario.zcc.staffing == ZccStaffing.roster else ("zcc_desk", "zcc_nurse")
    return ("gp_desk", "gp_doctor", "gp_visit", *zcc)


def staffing_fte(world: World, cfg: RunConfig) -> dict:
    """Phone-desk staffing in FTE (desk hours a week / `scenario.zcc.hours_per_fte`): the
    desks of the GP posts serving the study area together, and per ZCC of the study area its
    disciplines and their total, each in the hours it takes calls (`counted_hours`; a fixed
    roster as written; a total is of the desk hours, not of the rounded parts); and the
    staffed ambulances of the study area's safety regions in a weekday-daytime hour."""
    hours = cfg.scenario.zcc.hours_per_fte
    schedules = zcc_desk_schedules(world, cfg)
    per_zcc, all_hours = {}, 0.0
    for i, z in enumerate(world.zcc["zcc_id"]):
        if i not in world.active.get("zcc", set()):
            continue
        desk_hours = {d: float(v[i].sum()) for d, v in schedules.items() if len(v)}
        per = {d: round(h / hours, 1) for d, h in desk_hours.items()}
        per["total"] = round(sum(desk_hours.values()) / hours, 1)
        all_hours += sum(desk_hours.values())
        per_zcc[str(z)] = per
    mine_gp = sorted(world.active["gp"])
    desks = world.desk_schedule[mine_gp][:, counted_hours()]
    mine = np.isin(world.amb_posts["vr_code"].to_numpy(), np.unique(world.point_vr))
    weekday_day = daypart_of_hours() == "weekday_day"
    vehicles = world.amb_schedule[mine][:, weekday_day].sum(axis=0).mean() if mine.any() else 0.0
    return {
        "hours_per_fte": hours,
        "ambulances_weekday_day": round(float(vehicles), 1),
        "gp_post_desks_fte": round(float(desks.sum()) / hours, 1),
        "zcc_fte": per_zcc,
        "zcc_fte_total": round(all_hours / hours, 1),
    }


def zcc_population(world: Catchments) -> np.ndarray:
    """Inhabitants of the study area each ZCC serves (0 for ZCCs outside it)."""
    pop = world.points["population"].to_numpy(dtype=float)
    ok = world.point_zcc >= 0
    return np.bincount(world.point_zcc[ok], weights=pop[ok], minlength=len(world.zcc))
