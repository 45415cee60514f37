"""Care coordination centres (ZCC) as regions plan them: which ZCC serves each municipality at
the configured level, their desks per discipline from a fixed roster, and what each ZCC did
(FTE per discipline, calls answered within the norms)."""

from __future__ import annotations

import numpy as np
import pandas as pd

from patientflow.acute.metrics import (
    Window,
    percentile,
    share_over,
    share_within,
    waited_so_far,
)
from patientflow.config.clock import clock_minutes
from patientflow.config.zcc import ZCC_DISCIPLINES, DayType, ZccConfig, ZccLevel, ZccShift
from patientflow.data import Dataset
from patientflow.errors import ConfigError

ZCC_COLUMNS = ["zcc_id", "level", "region_code", "name", "lat", "lon", "site_id"]
DAYS_OF = {
    DayType.every_day: range(7),
    DayType.weekdays: range(5),
    DayType.weekend: range(5, 7),
}


def zcc_areas(data: Dataset, level: ZccLevel) -> tuple[pd.DataFrame, pd.Series]:
    """The ZCCs of a level (zcc_options columns) and each municipality's region code at that
    level (the ZCC's `region_code`). Sub-region ZCCs come from the zcc_subregions table: one
    per sub-region, at its population-weighted centroid, without a host site."""
    munis = data.municipalities.set_index("municipality_code")
    if level != ZccLevel.subregion:
        table = data.zcc_options[data.zcc_options["level"] == level.value]
        return table.reset_index(drop=True)[ZCC_COLUMNS], munis[f"{level.value}_code"]
    sub = data.zcc_subregions.merge(
        data.municipalities[["municipality_code", "population", "lat", "lon"]],
        on="municipality_code",
    )
    w = sub["population"].clip(lower=1).astype(float)
    grouped = sub.assign(w=w, wlat=sub["lat"] * w, wlon=sub["lon"] * w).groupby(
        "subregion_code", sort=True
    )
    sums = grouped[["w", "wlat", "wlon"]].sum()
    table = pd.DataFrame(
        {
            "zcc_id": "ZCC-" + sums.index.to_series(),
            "level": "subregion",
            "region_code": sums.index,
            "name": "ZCC " + grouped["subregion_name"].first(),
            "lat": sums["wlat"] / sums["w"],
            "lon": sums["wlon"] / sums["w"],
            "site_id": None,
        }
    ).reset_index(drop=True)
    region_of = data.zcc_subregions.set_index("municipality_code")["subregion_code"]
    return table[ZCC_COLUMNS], region_of


def shift_hours(shift: ZccShift) -> np.ndarray:
    """The hours of the week (168 booleans, at the half hour) a roster line covers. A line
    running past midnight belongs to the day it starts."""
    start, end = clock_minutes(shift.start), clock_minutes(shift.end)
    length = (end - start) % 1440 or 1440
    half_hours = np.arange(168) * 60 + 30
    out = np.zeros(168, dtype=bool)
    for day in DAYS_OF[shift.days]:
        begin = day * 1440 + start
        out |= (half_hours - begin) % 10080 < length
    return out


def roster_schedules(zcc: ZccConfig, zcc_ids: list[str]) -> dict[str, np.ndarray]:
    """Desks per discipline, ZCC and hour of week (ZCCs x 168 each) from the roster: a ZCC's
    own lines, or the `*` lines when it has none. A line naming no ZCC of this level is an
    error that lists the ZCCs there are."""
    known = set(zcc_ids)
    for i, shift in enumerate(zcc.roster):
        if shift.zcc != "*" and shift.zcc not in known:
            raise ConfigError(
                f"scenario.zcc.roster[{i}].zcc",
                shift.zcc,
                f"is not a ZCC at level {zcc.level.value}; ZCCs there: "
                + ", ".join(sorted(known)[:12])
                + (" ..." if len(known) > 12 else ""),
            )
    out = {d: np.zeros((len(zcc_ids), 168), dtype=int) for d in ZCC_DISCIPLINES}
    own = {s.zcc for s in zcc.roster}
    for k, zid in enumerate(zcc_ids):
        lines = [s for s in zcc.roster if s.zcc == (zid if zid in own else "*")]
        for shift in lines:
            hours = shift_hours(shift)
            for d in ZCC_DISCIPLINES:
                out[d][k, hours] += int(getattr(shift, d))
    return out


def _call_shares(calls: pd.DataFrame, end_min: float) -> dict:
    """The calls a ZCC took and the shares answered within the GP-post norms; a call still
    waiting at the end counts as a miss once past the norm (metrics.share_within)."""
    urgent = calls["urgency"].isin(["U1", "U2"])
    still_open = calls["call_wait_min"].isna()
    wait = waited_so_far(calls["call_wait_min"], calls["arrival_min"], end_min)
    return {
        "calls": int(len(calls)),
        "calls_open_at_end": int(still_open.sum()),
        "share_urgent_answered_30s": share_within(wait[urgent], still_open[urgent], 0.5),
        "share_other_answered_2min": share_within(wait[~urgent], still_open[~urgent], 2.0),
        "share_other_waiting_over_10min": share_over(wait[~urgent], still_open[~urgent], 10.0),
    }


def zcc_table(
    journeys: pd.DataFrame,
    zccs: pd.DataFrame,
    schedules: dict[str, np.ndarray],
    population: np.ndarray,
    hours_per_fte: float,
    window: Window,
) -> pd.DataFrame:
    """One row per ZCC of the study area: the population it serves, desk hours a week and FTE
    per discipline, the calls it answered and the shares against the GP-post norms (urgent
    within 30 s, other within 2 min and over 10 min), its cross-domain consultations and 112
    dispatches with their 90th-percentile waits (a dispatch still waiting at the end with its
    time so far, a lower bound; a consultation still waiting is counted apart), and its calls
    a day of an average week
    (calendar-weighted per channel like the volumes a year: the measured days need not be
    whole weeks). `journeys` are those after the warm-up, measured in `window`."""
    rows = []
    days, end = window.days, window.end_min
    calls = journeys[journeys["zcc_id"].notna()]
    consults = journeys[journeys["zcc_consult_id"].notna()]
    dispatches = journeys[journeys["dispatch_zcc_id"].notna()]
    for k, z in enumerate(zccs.itertuples(index=False)):
        if population[k] <= 0:
            continue
        row: dict = {"zcc_id": z.zcc_id, "name": z.name, "population": int(population[k])}
        total = 0.0
        for d in ZCC_DISCIPLINES:
            hours = float(schedules[d][k].sum()) if len(schedules[d]) else 0.0
            row[f"{d}_desk_hours_per_week"] = hours
            row[f"{d}_fte"] = round(hours / hours_per_fte, 1)
            total += hours / hours_per_fte
        row["fte_total"] = round(total, 1)
        answered = calls[calls["zcc_id"] == z.zcc_id]
        row.update(_call_shares(answered, end))
        mine = consults.loc[consults["zcc_consult_id"] == z.zcc_id, "zcc_consult_wait_min"]
        row["consultations"] = int(len(mine))
        row["consultations_open_at_end"] = int(mine.isna().sum())
        row["consult_wait_min_p90"] = percentile(mine, 0.9)
        ours = dispatches[dispatches["dispatch_zcc_id"] == z.zcc_id]
        sent = waited_so_far(ours["dispatch_wait_min"], ours["arrival_min"], end)
        row["dispatches"] = int(len(sent))
        row["dispatch_wait_min_p90"] = percentile(sent, 0.9)
        row["calls_per_day"] = round(window.per_day(answered["channel"]), 1) if days > 0 else None
        rows.append(row)
    return pd.DataFrame(rows)
