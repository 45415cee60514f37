"""The catchments of a simulation: the study area's demand points, the open facilities that
serve them, the travel minutes between the two, and the expected load per point and hour that
staffing, fleets and beds are planned on."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np
import pandas as pd

from patientflow.acute.demand import DemandModel, ScenarioRates
from patientflow.acute.profiles import out_of_hours
from patientflow.acute.zcc import zcc_areas
from patientflow.config.demand import Channel
from patientflow.config.schema import RunConfig
from patientflow.config.zcc import ZccLevel
from patientflow.core.area import StudyArea, national_share_65plus, urban_flags
from patientflow.core.distributions import DistConfig, Distribution
from patientflow.core.network import ServiceNetwork
from patientflow.core.travel import Mode, Points, TravelModel
from patientflow.data import Dataset
from patientflow.errors import ConfigError

# The SEHs a patient can be taken to (agents.py's choice): among the two nearest open by car,
# the four nearest by ambulance (past a stop); by car, by ambulance.
CHOICE_RANKS = (2, 4)


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
    # GP posts x SEHs by car, and each post's SEHs nearest first: a patient referred after a
    # consultation at the post drives on from there.
    gp_seh_car: np.ndarray
    gp_seh_order_car: np.ndarray
    point_gp: np.ndarray
    point_zcc: np.ndarray
    point_vr: np.ndarray
    post_point_amb: np.ndarray
    post_point_car: np.ndarray
    seh_post_amb: np.ndarray
    seh_post_car: np.ndarray
    demand: DemandModel


def _minutes(
    travel: TravelModel,
    frame_o: pd.DataFrame,
    frame_d: pd.DataFrame,
    munis: pd.DataFrame,
    max_urb: int,
    mode: Mode,
    id_o: str = "id",
    id_d: str = "id",
) -> np.ndarray:
    o = Points.from_frame(frame_o, id_o, urban_flags(frame_o["municipality_code"], munis, max_urb))
    d = Points.from_frame(frame_d, id_d, urban_flags(frame_d["municipality_code"], munis, max_urb))
    return travel.minutes(o, d, mode)


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
    gp_seh_car = _minutes(travel, gp, sehs, munis_all, max_urb, Mode.car)
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
        gp_seh_car=gp_seh_car,
        gp_seh_order_car=np.argsort(gp_seh_car, axis=1, kind="stable"),
        point_gp=np.argmin(gp_car, axis=1),
        point_zcc=point_zcc.to_numpy(),
        point_vr=pts["municipality_code"].map(vr_of).to_numpy(),
        post_point_amb=_minutes(travel, amb, pts, munis_all, max_urb, Mode.ambulance),
        post_point_car=_minutes(travel, amb, pts, munis_all, max_urb, Mode.car),
        seh_post_amb=_minutes(travel, sehs, amb, munis_all, max_urb, Mode.ambulance),
        seh_post_car=_minutes(travel, sehs, amb, munis_all, max_urb, Mode.car),
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


def weekly_calls(
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


def by_facility(per_point: np.ndarray, facility_of_point: np.ndarray, n: int) -> np.ndarray:
    out = np.zeros((n, 168))
    ok = facility_of_point >= 0
    np.add.at(out, facility_of_point[ok], per_point[ok])
    return out


def mean_of(dist_cfg: DistConfig) -> float:
    return Distribution.from_config(dist_cfg, "facilities").mean


def national_demand(cfg: RunConfig, data: Dataset) -> DemandModel:
    """Baseline demand of every municipality of the dataset, whatever the study area."""
    munis = data.municipalities
    return DemandModel(
        munis["population"].to_numpy(dtype=float),
        munis["share_65plus"].to_numpy(dtype=float),
        cfg.demand.channels,
        ScenarioRates(),
        national_share_65plus(data),
    )
