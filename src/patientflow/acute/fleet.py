"""How many ambulances each region (RAV: one per safety region) staffs in each hour of the week:
from the public figure (RIVM's ambulances needed on weekdays in the daytime, spread over the
regions and hours by their expected 112 load), from the user's own table per daypart, or for a
target occupancy; and at which posts they stand, hour by hour."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from patientflow.acute.catchments import Catchments, mean_of, national_demand, weekly_calls
from patientflow.config.acute import FleetRule
from patientflow.config.clock import clock_minutes
from patientflow.config.demand import Channel
from patientflow.config.schema import RunConfig
from patientflow.core.area import StudyArea
from patientflow.core.capacity import scaled_staff, staffing_schedule
from patientflow.core.hours import OpenHours
from patientflow.data import Dataset
from patientflow.data.schema import AMBULANCE_ROUND_THE_CLOCK, Column, TableSchema
from patientflow.data.table_reader import read_table
from patientflow.errors import ConfigError, DataError, Problem

# Dayparts (hour 0 of the simulated week is Monday 00:00): day 08-18, evening 18-24, night
# 00-08, on weekdays (Monday-Friday) and at the weekend.
DAYPARTS = (
    "weekday_day",
    "weekday_evening",
    "weekday_night",
    "weekend_day",
    "weekend_evening",
    "weekend_night",
)

FLEET_TABLE = TableSchema(
    "ambulance_fleet",
    "ambulance_fleet.csv",
    "",
    (
        Column("vr_code", pattern=r"^VR\d{2}$"),
        Column("daypart", choices=DAYPARTS),
        Column("vehicles", "int", non_negative=True),
    ),
    coordinates=False,
    references={"vr_code": "municipalities.vr_code"},
)


def daypart_of_hours() -> np.ndarray:
    """The daypart of each hour of the week (168 names)."""
    hours = np.arange(168)
    week = np.where(hours // 24 < 5, "weekday", "weekend")
    clock = hours % 24
    part = np.where(clock < 8, "night", np.where(clock < 18, "day", "evening"))
    return np.char.add(np.char.add(week, "_"), part)


def public_vehicles(
    region_load: dict[str, np.ndarray], national_load: np.ndarray, weekday_day: float
) -> dict[str, np.ndarray]:
    """Vehicles per region and hour (not yet rounded): `weekday_day` vehicles nationally in the
    weekday daytime (RIVM's referentiekader: 693 in 2024), each region and hour given the share
    its expected 112 load bears to the national mean load of a weekday-daytime hour. Nationally
    this is 693 in an average weekday-daytime hour and follows the load in the other hours."""
    reference = float(national_load[daypart_of_hours() == "weekday_day"].mean())
    if reference <= 0:
        return {vr: np.zeros(168) for vr in region_load}
    return {vr: weekday_day * load / reference for vr, load in region_load.items()}


def table_vehicles(path: str | Path, municipalities: pd.DataFrame) -> dict[str, np.ndarray]:
    """Vehicles per region and hour from the user's table (vr_code, daypart, vehicles): every
    problem named by file and row; a region may leave out dayparts only by listing none."""
    frame, problems, lines = read_table(Path(path), FLEET_TABLE, {"municipalities": municipalities})
    if not problems:
        dup = frame.duplicated(["vr_code", "daypart"], keep="first")
        problems += [
            Problem(
                str(path),
                int(lines[i]),
                "daypart",
                f"{frame.at[i, 'vr_code']} {frame.at[i, 'daypart']} is listed twice",
            )
            for i in np.flatnonzero(dup.to_numpy())
        ]
        for vr, rows in frame.groupby("vr_code"):
            missing = sorted(set(DAYPARTS) - set(rows["daypart"]))
            if missing:
                problems.append(
                    Problem(
                        str(path),
                        int(lines[rows.index[0]]),
                        "daypart",
                        f"{vr} has no row for {', '.join(missing)} (give all six dayparts)",
                    )
                )
    if problems:
        raise DataError(problems)
    parts = daypart_of_hours()
    out = {}
    for vr, rows in frame.groupby("vr_code"):
        per_part = dict(zip(rows["daypart"], rows["vehicles"].astype(int), strict=True))
        out[str(vr)] = np.array([per_part[p] for p in parts], dtype=float)
    return out


def ambulance_busy_min(cfg: RunConfig) -> float:
    """Expected minutes a deployment keeps a vehicle busy (for staffing only): call handling,
    turn-out, about 10 minutes' drive each way, on scene, and for conveyed patients transport and
    handover; planned (B) rides their own duration."""
    a = cfg.facilities.ambulance
    fixed = mean_of(a.dispatch) + mean_of(a.turnout) + 20.0
    urgent = fixed + mean_of(a.on_scene) + a.conveyed_to_seh * (15.0 + mean_of(a.handover))
    planned = fixed + mean_of(a.b_ride)
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
            out[i] = [hours.is_open(m) for m in half_hours.tolist()]
    return out


def _vehicles_per_region(
    world: Catchments, cfg: RunConfig, area: StudyArea, data: Dataset, regions: np.ndarray
) -> dict[str, np.ndarray]:
    """Vehicles each region wants per hour of week (before the one-per-open-post floor), by
    `facilities.ambulance.fleet`, times the scenario's capacity factor."""
    a, cap = cfg.facilities.ambulance, cfg.scenario.capacity_factor
    calls = weekly_calls(world, area, Channel.call_112, ooh_only=False)
    load = {vr: calls[world.point_vr == vr].sum(axis=0) for vr in regions}
    if a.fleet == FleetRule.occupancy:
        busy = ambulance_busy_min(cfg)
        return {
            vr: staffing_schedule(v, busy, a.target_occupancy, 0, cap) for vr, v in load.items()
        }
    if a.fleet == FleetRule.table:
        assert a.fleet_file, "check_config requires fleet_file with fleet=table"
        wanted = table_vehicles(a.fleet_file, data.municipalities)
        missing = sorted(vr for vr in regions if vr not in wanted and load[vr].sum() > 0)
        if missing:
            raise ConfigError(
                "facilities.ambulance.fleet_file",
                a.fleet_file,
                f"has no rows for the study area's ambulance region(s) {', '.join(missing)}",
            )
        # Whole vehicles from the user: the factor scales the week's vehicle hours
        # (`scaled_staff`), not each hour alone (3 x 0.85 rounds back to 3).
        return {vr: scaled_staff(wanted.get(vr, np.zeros(168)), cap, 0) for vr in regions}
    # The study area's load grows with `scenario.population_factor` (core/area.py), the
    # national reference (the dataset's municipalities) must grow with it: otherwise the
    # public figure grows with the population and growth never shows an ambulance gap
    # (as `demand.year` does, whose population both rest on).
    national = national_demand(cfg, data).hourly_rates(Channel.call_112, np.arange(168))
    national = national.sum(axis=0) * cfg.scenario.population_factor
    wanted = public_vehicles(load, national, a.fleet_weekday_day)
    return {vr: np.round(wanted.get(vr, np.zeros(168)) * cap).astype(int) for vr in regions}


def plan_ambulances(
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
