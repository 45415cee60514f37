"""The beds behind the SEHs: the expected inpatients admitted through each SEH, nationally,
and the hospitals' other inpatients they share the beds with; complex care reads the same load."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pandas as pd

from patientflow.acute.catchments import (
    Catchments,
    catchments,
    mean_of,
    national_demand,
    weekly_calls,
)
from patientflow.config.demand import Channel
from patientflow.config.schema import RunConfig
from patientflow.core.area import StudyArea
from patientflow.core.network import ServiceNetwork
from patientflow.core.travel import TravelModel
from patientflow.data import Dataset


def expected_occupied_beds(world: Catchments, cfg: RunConfig, area: StudyArea) -> np.ndarray:
    """Steady-state inpatients per SEH from the expected admissions through it (baseline rates;
    walk-ins to the nearest SEH by car or, a share, the second, from home or, after a
    consultation at the GP post, from the post; ambulances to the nearest or, a share, the
    second) times the mean stay. The model plans the beds on it and starts with them in bed,
    so a short warm-up suffices."""
    sc, a = cfg.facilities.seh, cfg.facilities.ambulance
    per_point = {
        c: weekly_calls(world, area, c, ooh_only=False).sum(axis=1) / (168 * 60) for c in Channel
    }
    from_home, from_post, by_amb = _admissions_per_minute(cfg, per_point)
    n = len(world.sehs)
    admits = np.zeros(n)
    for order, load, share in (
        (world.seh_order_car, from_home, sc.willing_further),
        (world.gp_seh_order_car[world.point_gp], from_post, sc.willing_further),
        (world.seh_order_amb, by_amb, a.conveyed_beyond_nearest),
    ):
        admits += np.bincount(order[:, 0], weights=load * (1 - share), minlength=n)
        admits += np.bincount(order[:, 1], weights=load * share, minlength=n)
    return admits * mean_of(sc.inpatient_stay)


def _admissions_per_minute(cfg: RunConfig, per_channel: dict) -> tuple:
    """SEH admissions per minute from arrivals per minute per channel (arrays of one shape or
    numbers): (walk-ins from home: the admission shares per route and the GP posts' SEH
    referrals after a home visit; walk-ins from the GP post: its referrals after a
    consultation there; by ambulance: the conveyed urgent rides)."""
    f = cfg.facilities
    sc, a = f.seh, f.ambulance
    gp_post = per_channel[Channel.gp_post_call] * f.triage.seh_after_gp * sc.admit_referred
    from_home = (
        per_channel[Channel.self_referral] * sc.admit_self
        + per_channel[Channel.gp_referral] * sc.admit_referred
        + gp_post * f.triage.home_visit
        + per_channel[Channel.other_referral] * sc.admit_other
    )
    from_post = gp_post * f.triage.consult
    by_amb = (
        per_channel[Channel.call_112]
        * (a.share_a1 + a.share_a2)
        * a.conveyed_to_seh
        * sc.admit_ambulance
    )
    return from_home, from_post, by_amb


def national_acute_inpatients(cfg: RunConfig, data: Dataset) -> float:
    """Expected inpatients admitted through an SEH in the whole country (baseline rates)."""
    demand = national_demand(cfg, data)
    per_minute = {c: demand.hourly_rates(c, np.arange(168)).sum() / (168 * 60) for c in Channel}
    from_home, from_post, by_amb = _admissions_per_minute(cfg, per_minute)
    return float(from_home + from_post + by_amb) * mean_of(cfg.facilities.seh.inpatient_stay)


def other_inpatients(world: Catchments, cfg: RunConfig, data: Dataset) -> np.ndarray:
    """Expected inpatients per SEH hospital who did not come through its SEH: the country's
    clinical inpatients (`hospital_inpatients`) less those admitted through an SEH, both at
    the dataset's own population (the base year, at which the rates are calibrated), grown
    with the population since (a later `demand.year`, `scenario.population_factor`), spread
    over the open hospitals by their beds (sites.csv). Zero when the beds are not shared.
    (Taking the acute ones off at the run's own year made the others shrink as the population
    grew.)"""
    sc = cfg.facilities.seh
    if not sc.share_beds_with_other_inpatients:
        return np.zeros(len(world.sehs))
    base = data
    if data.base_municipalities is not None:
        base = replace(data, municipalities=data.base_municipalities)
    other = max(sc.hospital_inpatients - national_acute_inpatients(cfg, base), 0.0)
    growth = float(data.municipalities["population"].sum()) / float(
        base.municipalities["population"].sum()
    )
    other *= growth * cfg.scenario.population_factor
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
