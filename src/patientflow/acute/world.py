"""The static world of a simulation: the study area's demand points, the facilities that serve
them, travel minutes between the two, and the staffing each desk plans for. Built once per
configuration; replications share it."""

from __future__ import annotations

from dataclasses import dataclass, field, fields, replace

import numpy as np
import pandas as pd

from patientflow.acute.demand import DemandModel, ScenarioRates
from patientflow.acute.fleet import public_vehicles, table_vehicles
from patientflow.acute.profiles import out_of_hours
from patientflow.acute.zcc import roster_schedules, zcc_areas
from patientflow.config.acute import Channel, FleetRule
from patientflow.config.clock import clock_minutes
from patientflow.config.schema import RunConfig
from patientflow.config.zcc import ZccLevel, ZccStaffing, ZccVariant
from patientflow.core.area import StudyArea, national_share_65plus, urban_flags
from patientflow.core.capacity import staffing_schedule
from patientflow.core.distributions import DistConfig, Distribution
from patientflow.core.hours import OpenHours
from patientflow.core.network import ServiceNetwork
from patientflow.core.travel import Mode, Points, TravelModel
from patientflow.data import Dataset
from patientflow.data.schema import AMBULANCE_ROUND_THE_CLOCK
from patientflow.errors import ConfigError


@dataclass(frozen=True)
class Catchments:
    """Where the study area's patients and facilities are and how far apart: the part of the
    world that staffing is planned on."""

    points: pd.DataFrame
    municipalities: pd.DataFrame
    point_muni: np.ndarray
    sehs: pd.DataFrame
    gp_posts: pd.DataFrame
    zcc: pd.DataFrame
    amb_posts: pd.DataFrame
    seh_car: np.ndarray
    seh_amb: np.ndarray
    seh_order_car: np.ndarray
    seh_order_amb: np.ndarray
    gp_car: np.ndarray
    point_gp: np.ndarray
    point_zcc: np.ndarray
    point_vr: np.ndarray
    post_point_amb: np.ndarray
    post_point_car: np.ndarray
    seh_post_amb: np.ndarray
    demand: DemandModel


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


def _minutes(travel, frame_o, frame_d, munis, max_urb, mode, id_o="id", id_d="id") -> np.ndarray:
    o = Points.from_frame(frame_o, id_o, urban_flags(frame_o["municipality_code"], munis, max_urb))
    d = Points.from_frame(frame_d, id_d, urban_flags(frame_d["municipality_code"], munis, max_urb))
    return travel.minutes(o, d, mode)


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
        amb_schedule=_plan_ambulances(c, cfg, area, data),
        initial_inpatients=expected_occupied_beds(c, cfg, area),
        other_inpatients=other_inpatients(c, cfg, data),
        active={
            "gp": {int(i) for i in np.unique(c.point_gp)},
            "seh": {
                int(i)
                for i in np.unique(
                    np.concatenate([c.seh_order_car[:, :2].ravel(), c.seh_order_amb[:, :4].ravel()])
                )
            },
            "vr": set(np.unique(c.point_vr)),
            "zcc": {int(i) for i in np.unique(c.point_zcc) if i >= 0},
        },
    )


def catchments(
    data: Dataset,
    area: StudyArea,
    network: ServiceNetwork,
    travel: TravelModel,
    cfg: RunConfig,
) -> Catchments:
    """The study area's points, the open facilities and the travel minutes between them."""
    munis_all = data.municipalities
    max_urb = cfg.travel.urban_max_urbanity
    pts = area.points.rename(columns={"point_id": "id"})
    muni_index = {c: i for i, c in enumerate(area.municipalities["municipality_code"])}
    point_muni = pts["municipality_code"].map(muni_index).to_numpy()

    sehs = network.emergency_departments().rename(columns={"site_id": "id"})
    seh_car = _minutes(travel, pts, sehs, munis_all, max_urb, Mode.car)
    seh_amb = _minutes(travel, pts, sehs, munis_all, max_urb, Mode.ambulance)
    gp = data.gp_posts.rename(columns={"post_id": "id"}).reset_index(drop=True)
    gp_car = _minutes(travel, pts, gp, munis_all, max_urb, Mode.car)
    zcc, region_of = zcc_areas(data, cfg.scenario.zcc.level)
    level = cfg.scenario.zcc.level.value
    zcc_of_region = {r: i for i, r in enumerate(zcc["region_code"])}
    point_region = pts["municipality_code"].map(region_of)
    point_zcc = point_region.map(zcc_of_region).fillna(-1).astype(int)
    if cfg.scenario.zcc.enabled and (point_zcc < 0).any():
        lost = pts.loc[point_zcc < 0]
        if cfg.scenario.zcc.level == ZccLevel.subregion:
            what = "municipalit(y/ies) " + ", ".join(sorted(set(lost["municipality_code"])))
            where = "have no sub-region in the zcc_subregions table"
        else:
            what = "region(s) " + ", ".join(sorted(set(map(str, point_region[point_zcc < 0]))))
            where = f"have no ZCC option (level {level}) in the zcc_options table"
        raise ConfigError("scenario.zcc.level", level, f"{what} {where}")
    amb = data.ambulance_posts.rename(columns={"post_id": "id"}).reset_index(drop=True)
    vr_of = munis_all.set_index("municipality_code")["vr_code"]
    muni = area.municipalities
    return Catchments(
        points=pts,
        municipalities=muni,
        point_muni=point_muni,
        sehs=sehs,
        gp_posts=gp,
        zcc=zcc,
        amb_posts=amb,
        seh_car=seh_car,
        seh_amb=seh_amb,
        seh_order_car=np.argsort(seh_car, axis=1, kind="stable"),
        seh_order_amb=np.argsort(seh_amb, axis=1, kind="stable"),
        gp_car=gp_car,
        point_gp=np.argmin(gp_car, axis=1),
        point_zcc=point_zcc.to_numpy(),
        point_vr=pts["municipality_code"].map(vr_of).to_numpy(),
        post_point_amb=_minutes(travel, amb, pts, munis_all, max_urb, Mode.ambulance),
        post_point_car=_minutes(travel, amb, pts, munis_all, max_urb, Mode.car),
        seh_post_amb=_minutes(travel, sehs, amb, munis_all, max_urb, Mode.ambulance),
        demand=DemandModel(
            population=muni["population"].to_numpy(dtype=float),
            share_65plus=muni["share_65plus"].to_numpy(dtype=float),
            channels=cfg.demand.channels,
            scenario=scenario_rates(cfg),
            reference_share_65plus=national_share_65plus(data),
        ),
    )


def scenario_rates(cfg: RunConfig) -> ScenarioRates:
    s = cfg.scenario
    return ScenarioRates(
        flu=s.flu_peak,
        heatwave_days=tuple(s.heatwave_days),
        heatwave_factor=s.heatwave_factor,
    )


def _weekly_calls(
    world: Catchments, area: StudyArea, channel: Channel, ooh_only: bool
) -> np.ndarray:
    """Expected baseline calls per point and hour of week (points x 168) for one channel."""
    base = replace(world.demand, scenario=ScenarioRates())
    per_muni = base.hourly_rates(channel, np.arange(168))
    pop = area.points["population"].to_numpy(dtype=float)
    muni_pop = np.bincount(world.point_muni, weights=pop, minlength=len(world.municipalities))
    share = np.divide(
        pop,
        muni_pop[world.point_muni],
        out=np.zeros_like(pop),
        where=muni_pop[world.point_muni] > 0,
    )
    out = per_muni[world.point_muni] * share[:, None]
    if ooh_only:
        out = out * out_of_hours(np.arange(168))[None, :]
    return out


def _by_facility(per_point: np.ndarray, facility_of_point: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros((n, 168))
    ok = facility_of_point >= 0
    np.add.at(out, facility_of_point[ok], per_point[ok])
    return out


def _plan_staffing(world: Catchments, cfg: RunConfig, area: StudyArea) -> dict[str, np.ndarray]:
    """Staff desks, GP rooms and visit cars for the expected baseline load of their catchment.
    With a ZCC, its desks per discipline (`triagist`, `nurse`, `dispatcher`; ZCCs x 168): for
    the calls it takes and their cross-domain consultations, or from the fixed roster; in the
    full variant the GP posts' desks are released (unless `release_gp_desks` is false), in the
    LHV variant the GP posts keep their calls and the ZCC only consults."""
    f, s = cfg.facilities, cfg.scenario
    tri, stf, z = f.triage, f.staffing, s.zcc
    calls = _weekly_calls(world, area, Channel.gp_post_call, ooh_only=True)
    zcc_on = z.enabled
    full = zcc_on and z.variant == ZccVariant.full
    n_gp, n_zcc = len(world.gp_posts), len(world.zcc)
    gp_calls = _by_facility(calls, world.point_gp, n_gp)

    def plan(load: np.ndarray, mean: float) -> np.ndarray:
        rows = [
            staffing_schedule(r, mean, stf.target_occupancy, stf.min_staff, s.capacity_factor)
            for r in load
        ]
        return np.array(rows, dtype=int).reshape(len(load), 168)

    call_mean = _mean(tri.call)
    consults = gp_calls * tri.consult
    none = np.zeros((n_zcc, 168), dtype=int)
    out = {"triagist": none, "nurse": none, "dispatcher": none}
    if full:
        self_ref = _weekly_calls(world, area, Channel.self_referral, ooh_only=True)
        zcc_calls = calls + self_ref * z.self_referral_compliance
        redirected = z.self_referral_compliance * z.redirect_share
        consults = consults + _by_facility(
            self_ref * redirected * (1.0 - z.redirect_self_care), world.point_gp, n_gp
        )
    elif zcc_on:
        zcc_calls = calls
    if zcc_on:
        by_zcc = _by_facility(zcc_calls, world.point_zcc, n_zcc)
        if z.staffing == ZccStaffing.roster:
            out = roster_schedules(z, list(world.zcc["zcc_id"]))
            out = {k: np.round(v * s.capacity_factor).astype(int) for k, v in out.items()}
        else:
            out = {
                "triagist": plan(by_zcc, call_mean) if full else none,
                "nurse": plan(by_zcc * z.cross_domain_share, _mean(z.nurse_consult)),
                "dispatcher": none,
            }
    desks = plan(gp_calls, call_mean)
    if full and z.release_gp_desks:
        desks = np.zeros_like(desks)
    return {
        "desks": desks,
        "doctors": plan(consults, _mean(tri.consult_time)),
        "visits": plan(gp_calls * tri.home_visit, _mean(tri.home_visit_time) + 2 * 15.0),
        **out,
    }


def ambulance_busy_min(cfg: RunConfig) -> float:
    """Expected minutes a deployment keeps a vehicle busy (for staffing only): call handling,
    turn-out, about 10 minutes' drive each way, on scene, and for conveyed patients transport and
    handover; planned (B) rides their own duration."""
    a = cfg.facilities.ambulance
    fixed = _mean(a.dispatch) + _mean(a.turnout) + 20.0
    urgent = fixed + _mean(a.on_scene) + a.conveyed_to_seh * (15.0 + _mean(a.handover))
    planned = fixed + _mean(a.b_ride)
    return (a.share_a1 + a.share_a2) * urgent + a.share_b * planned


def post_hours(posts: pd.DataFrame) -> np.ndarray:
    """Which hours of the week (posts x 168, open at the half hour) each ambulance post has
    vehicles: round the clock, between its open and close times, or never (on call, no times)."""
    out = np.zeros((len(posts), 168), dtype=bool)
    half_hours = np.arange(168) * 60 + 30
    rows = zip(posts["availability"], posts["open"], posts["close"], strict=True)
    for i, (kind, start, end) in enumerate(rows):
        if kind in AMBULANCE_ROUND_THE_CLOCK:
            out[i] = True
        elif start and end:
            opens, closes = clock_minutes(start), clock_minutes(end)
            hours = OpenHours(always=False, open_min=opens, close_min=closes)
            out[i] = [hours.is_open(m) for m in half_hours]
    return out


def _vehicles_per_region(
    world: Catchments, cfg: RunConfig, area: StudyArea, data: Dataset, regions: np.ndarray
) -> dict[str, np.ndarray]:
    """Vehicles each region wants per hour of week (before the one-per-open-post floor), by
    `facilities.ambulance.fleet`, times the scenario's capacity factor."""
    a, cap = cfg.facilities.ambulance, cfg.scenario.capacity_factor
    calls = _weekly_calls(world, area, Channel.call_112, ooh_only=False)
    load = {vr: calls[world.point_vr == vr].sum(axis=0) for vr in regions}
    if a.fleet == FleetRule.occupancy:
        busy = ambulance_busy_min(cfg)
        return {
            vr: staffing_schedule(v, busy, a.target_occupancy, 0, cap) for vr, v in load.items()
        }
    if a.fleet == FleetRule.table:
        wanted = table_vehicles(a.fleet_file, data.municipalities)
        missing = sorted(vr for vr in regions if vr not in wanted and load[vr].sum() > 0)
        if missing:
            raise ConfigError(
                "facilities.ambulance.fleet_file",
                a.fleet_file,
                f"has no rows for the study area's ambulance region(s) {', '.join(missing)}",
            )
    else:
        national = _national_demand(cfg, data).hourly_rates(Channel.call_112, np.arange(168))
        wanted = public_vehicles(load, national.sum(axis=0), a.fleet_weekday_day)
    return {vr: np.round(wanted.get(vr, np.zeros(168)) * cap).astype(int) for vr in regions}


def _plan_ambulances(
    world: Catchments, cfg: RunConfig, area: StudyArea, data: Dataset
) -> np.ndarray:
    """Vehicles per post and hour of week: each region's vehicles (`_vehicles_per_region`), at
    least one vehicle per post in its hours (`post_hours`; a region with no post open in an
    hour keeps all its posts then), extra vehicles to the open posts with the largest
    population nearest among the open posts, largest remainder."""
    post_vr = world.amb_posts["vr_code"].to_numpy()
    is_open = post_hours(world.amb_posts)
    out = is_open.astype(int)
    pop = area.points["population"].to_numpy(dtype=float)
    regions = np.array([vr for vr in np.unique(post_vr) if (world.point_vr == vr).any()])
    wanted = _vehicles_per_region(world, cfg, area, data, regions)
    for vr in regions:
        posts = np.flatnonzero(post_vr == vr)
        mine = world.point_vr == vr
        on = is_open[posts]
        on[:, ~on.any(axis=0)] = True
        total = np.maximum(wanted[vr], on.sum(axis=0))
        shares: dict[bytes, np.ndarray] = {}
        for h in range(168):
            open_h = on[:, h]
            key = open_h.tobytes()
            if key not in shares:
                minutes = world.post_point_amb[posts[open_h]][:, mine]
                shares[key] = _nearest_share(minutes, pop[mine])
            extra = total[h] - open_h.sum()
            raw = extra * shares[key]
            base = np.floor(raw).astype(int)
            rest = extra - base.sum()
            order = np.argsort(-(raw - base), kind="stable")[:rest]
            base[order] += 1
            out[posts[open_h], h] = 1 + base
    return out


def _nearest_share(minutes: np.ndarray, pop: np.ndarray) -> np.ndarray:
    """Each post's share of the population it is nearest to (posts x points minutes; equal
    shares when nobody lives there)."""
    weight = np.bincount(np.argmin(minutes, axis=0), weights=pop, minlength=len(minutes))
    return weight / weight.sum() if weight.sum() else np.full(len(minutes), 1 / len(minutes))


def _mean(dist_cfg: DistConfig) -> float:
    return Distribution.from_config(dist_cfg, "facilities").mean


def expected_occupied_beds(world: Catchments, cfg: RunConfig, area: StudyArea) -> np.ndarray:
    """Steady-state inpatients per SEH from the expected admissions through it (baseline rates;
    walk-ins to the nearest SEH by car or, a share, the second; ambulances to the nearest or,
    a share, the second) times the mean stay. The model plans the beds on it and starts with
    them in bed, so a short warm-up suffices."""
    sc, a = cfg.facilities.seh, cfg.facilities.ambulance
    per_point = {
        c: _weekly_calls(world, area, c, ooh_only=False).sum(axis=1) / (168 * 60) for c in Channel
    }
    walk_in, by_amb = _admissions_per_minute(cfg, per_point)
    n = len(world.sehs)
    admits = np.zeros(n)
    for order, load, share in (
        (world.seh_order_car, walk_in, sc.willing_further),
        (world.seh_order_amb, by_amb, a.conveyed_beyond_nearest),
    ):
        admits += np.bincount(order[:, 0], weights=load * (1 - share), minlength=n)
        admits += np.bincount(order[:, 1], weights=load * share, minlength=n)
    return admits * _mean(sc.inpatient_stay)


def _admissions_per_minute(cfg: RunConfig, per_channel: dict) -> tuple:
    """SEH admissions per minute from arrivals per minute per channel (arrays of one shape or
    numbers): (walk-ins: the admission shares per route and the GP posts' SEH referrals,
    by ambulance: the conveyed urgent rides)."""
    f = cfg.facilities
    gp_to_seh = (f.triage.consult + f.triage.home_visit) * f.triage.seh_after_gp
    sc, a = f.seh, f.ambulance
    walk_in = (
        per_channel[Channel.self_referral] * sc.admit_self
        + (per_channel[Channel.gp_referral] + per_channel[Channel.gp_post_call] * gp_to_seh)
        * sc.admit_referred
        + per_channel[Channel.other_referral] * sc.admit_other
    )
    by_amb = (
        per_channel[Channel.call_112]
        * (a.share_a1 + a.share_a2)
        * a.conveyed_to_seh
        * sc.admit_ambulance
    )
    return walk_in, by_amb


def _national_demand(cfg: RunConfig, data: Dataset) -> DemandModel:
    """Baseline demand of every municipality of the dataset, whatever the study area."""
    munis = data.municipalities
    return DemandModel(
        munis["population"].to_numpy(dtype=float),
        munis["share_65plus"].to_numpy(dtype=float),
        cfg.demand.channels,
        ScenarioRates(),
        national_share_65plus(data),
    )


def national_acute_inpatients(cfg: RunConfig, data: Dataset) -> float:
    """Expected inpatients admitted through an SEH in the whole country (baseline rates)."""
    demand = _national_demand(cfg, data)
    per_minute = {c: demand.hourly_rates(c, np.arange(168)).sum() / (168 * 60) for c in Channel}
    walk_in, by_amb = _admissions_per_minute(cfg, per_minute)
    return float(walk_in + by_amb) * _mean(cfg.facilities.seh.inpatient_stay)


def other_inpatients(world: Catchments, cfg: RunConfig, data: Dataset) -> np.ndarray:
    """Expected inpatients per SEH hospital who did not come through its SEH: the country's
    clinical inpatients (`hospital_inpatients`) less those admitted through an SEH, spread over
    the open hospitals by their beds (sites.csv). Zero when the beds are not shared."""
    sc = cfg.facilities.seh
    if not sc.share_beds_with_other_inpatients:
        return np.zeros(len(world.sehs))
    other = max(sc.hospital_inpatients - national_acute_inpatients(cfg, data), 0.0)
    sites = data.sites
    beds = sites.loc[sites["status_2025"] == "open", "beds"].to_numpy(dtype=float).sum()
    if beds <= 0:
        return np.zeros(len(world.sehs))
    return other * world.sehs["beds"].to_numpy(dtype=float) / beds


def acute_inpatients_per_site(
    data: Dataset, area: StudyArea, network: ServiceNetwork, travel: TravelModel, cfg: RunConfig
) -> pd.Series:
    """Expected acute inpatients per hospital (site id) from the study area's acute demand
    (`expected_occupied_beds`): the load with which complex care shares a hospital's ward
    beds."""
    c = catchments(data, area, network, travel, cfg)
    return pd.Series(
        expected_occupied_beds(c, cfg, area), index=c.sehs["id"].to_numpy(), name="acute_inpatients"
    )


def staffing_fte(world: World, cfg: RunConfig) -> dict:
    """Phone-desk staffing in FTE (desk hours a week / `scenario.zcc.hours_per_fte`): the GP
    posts' desks together, and per ZCC of the study area its disciplines and their total."""
    hours = cfg.scenario.zcc.hours_per_fte
    schedules = {
        "triagist": world.zcc_schedule,
        "nurse": world.zcc_nurse_schedule,
        "dispatcher": world.zcc_dispatch_schedule,
    }
    per_zcc = {}
    for i, z in enumerate(world.zcc["zcc_id"]):
        if i not in world.active.get("zcc", set()):
            continue
        per = {d: round(float(v[i].sum()) / hours, 1) for d, v in schedules.items() if len(v)}
        per["total"] = round(sum(per.values()), 1)
        per_zcc[str(z)] = per
    return {
        "hours_per_fte": hours,
        "gp_post_desks_fte": round(float(world.desk_schedule.sum()) / hours, 1),
        "zcc_fte": per_zcc,
        "zcc_fte_total": round(sum(p["total"] for p in per_zcc.values()), 1),
    }


def zcc_population(world: Catchments) -> np.ndarray:
    """Inhabitants of the study area each ZCC serves (0 for ZCCs outside it)."""
    pop = world.points["population"].to_numpy(dtype=float)
    ok = world.point_zcc >= 0
    return np.bincount(world.point_zcc[ok], weights=pop[ok], minlength=len(world.zcc))
