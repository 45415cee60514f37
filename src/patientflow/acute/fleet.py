"""How many ambulances each region (RAV: one per safety region) staffs in each hour of the week:
from the public figure (RIVM's ambulances needed on weekdays in the daytime, spread over the
regions and hours by their expected 112 load), from the user's own table per daypart, or for a
target occupancy. Which posts the vehicles stand at is world.py's business."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd

from patientflow.data.loader import read_table
from patientflow.data.schema import Column, TableSchema
from patientflow.errors import DataError, Problem

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
    frame, problems = read_table(Path(path), FLEET_TABLE, {"municipalities": municipalities})
    if not problems:
        dup = frame.duplicated(["vr_code", "daypart"], keep="first")
        problems += [
            Problem(
                str(path),
                int(i) + 2,
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
                        int(rows.index[0]) + 2,
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
