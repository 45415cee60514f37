"""Indicators of an acute-care run, from its journeys and time series (warm-up excluded),
nationally and per ROAZ region, against the norms in shared/domain-facts.md."""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from patientflow.acute.profiles import out_of_hours


@dataclass(frozen=True)
class Window:
    """What a replication measured: `days` after the warm-up, the minute the run ended
    (`end_min`: a wait still open then has lasted at least until it), the SEH norm in
    minutes, and per channel its calendar factor (profiles.calendar_factor: how an average
    stretch of the measured length compares with the measured one)."""

    days: float
    end_min: float
    norm_min: float
    calendar: Mapping[str, float]

    def per_year(self, channel: pd.Series) -> int:
        """The journeys of one count (their `channel` column) as a number a year: each channel's
        count times its calendar factor, times 365 over the measured days. A channel without
        a finite factor is refused, never counted at 1."""
        return round(self.weighted(channel) * 365.0 / self.days)

    def per_day(self, channel: pd.Series) -> float:
        """The journeys of one count as a number a day of an average week (`per_year`'s
        weighting over the measured days, unrounded)."""
        return self.weighted(channel) / self.days

    def weighted(self, channel: pd.Series) -> float:
        """The journeys of one count (their `channel` column), each channel's count times its
        calendar factor. A channel without a finite factor is refused, never counted at 1."""
        if not self.days > 0:
            raise ValueError(f"no measured days ({self.days})")
        weighted = 0.0
        for c, n in channel.value_counts(sort=False).items():  # not astype(str): a copy a row
            if not n:
                continue
            factor = self.calendar.get(str(c), float("nan"))
            if not np.isfinite(factor):
                raise ValueError(f"no calendar factor for channel {c!r} ({n} journeys)")
            weighted += n * factor
        return weighted


def percentile(values: pd.Series, q: float) -> float | None:
    """The `q` quantile of the values given (empty: None), to two decimals."""
    v = values.dropna()
    return round(float(v.quantile(q)), 2) if len(v) else None


def _share(mask: pd.Series) -> float | None:
    m = mask.dropna()
    return round(float(m.astype(bool).mean()), 4) if len(m) else None


def waited_so_far(wait: pd.Series, start: pd.Series, end_min: float) -> pd.Series:
    """Each wait, and for one still open at the end of the run how long it had lasted then
    (a lower bound): leaving those out would drop the longest waits."""
    still_open = wait.isna()
    if not still_open.any():
        return wait
    return wait.mask(still_open, end_min - start[still_open])


def share_within(wait: pd.Series, still_open: pd.Series, limit: float) -> float | None:
    """Share of waits within `limit`. A wait still open at the end (`wait` is then its time so
    far) is a miss once it has lasted longer than `limit`; before that it is not yet known,
    and left out."""
    known = ~still_open | (wait > limit)
    return _share((wait <= limit)[known])


def share_over(wait: pd.Series, still_open: pd.Series, limit: float) -> float | None:
    """Share of waits over `limit`, over the same waits as `share_within` (a wait still open
    at the end counts once it has lasted longer than `limit`, before that it is left out)."""
    known = ~still_open | (wait > limit)
    return _share((wait > limit)[known])


def indicators(j: pd.DataFrame, w: Window) -> dict:
    """The indicators of one group of journeys measured in window `w`. Each subset takes
    only the columns it needs: a national year is millions of journeys. Waits still open at
    the end of the run count with their time so far: in percentiles as a lower bound, in a
    share as a miss once past the limit (`*_open_at_end` counts them). Calls are the calls to
    a GP post (answered there or, in its hours, by the ZCC); a ZCC's other calls are in its
    own table. Denominators: SEH admissions and `share_admitted` count every SEH visit (the
    admission decision is the patient's, taken on arrival), so a visit still under way at the
    end is never read as a discharge; lengths of stay are over the visits that ended
    (`seh_visits_unfinished` counts the others). Ambulance response (call to on scene):
    `a1_*` over A1 calls, `a2_*` over A2, `amb_response_min_p95` over all (A1, A2 and planned
    B rides). Volumes a year are calendar-weighted per channel (`Window.per_year`)."""
    calls, gp_contacts = _calls(j, w)
    seh, seh_volumes = _seh(j, w)
    amb, deployments = _ambulance(j, w)
    return {
        "journeys": int(len(j)),
        **calls,
        **seh,
        **amb,
        "volumes_per_year": {
            "seh_visits": seh_volumes[0],
            "gp_post_contacts": gp_contacts,
            "ambulance_deployments": deployments,
            "admissions": seh_volumes[1],
        },
    }


# The three parts of `indicators`, each a function so that its subsets of a national year's
# millions of journeys are freed before the next part makes its own.
def _calls(j: pd.DataFrame, w: Window) -> tuple[dict, int]:
    """The GP-post calls' answer times and their shares against the three GP-post norms
    (urgent, U1/U2: within 30 s; other, U3-U5: within 2 min, and at most 2 % over 10 min),
    and the calls a year."""
    gp_call = (j["channel"] == "gp_post_call") & (j["desk_id"].notna() | j["zcc_id"].notna())
    calls = j.loc[gp_call, ["call_wait_min", "arrival_min", "urgency", "channel"]]
    still_open = calls["call_wait_min"].isna()
    wait = waited_so_far(calls["call_wait_min"], calls["arrival_min"], w.end_min)
    urgent = calls["urgency"].isin(["U1", "U2"])
    return {
        "call_answer_min_p50": percentile(wait, 0.5),
        "call_answer_min_p90": percentile(wait, 0.9),
        "share_urgent_answered_30s": share_within(wait[urgent], still_open[urgent], 0.5),
        "share_other_answered_2min": share_within(wait[~urgent], still_open[~urgent], 2.0),
        "share_other_waiting_over_10min": share_over(wait[~urgent], still_open[~urgent], 10.0),
        "calls_open_at_end": int(still_open.sum()),
    }, w.per_year(calls["channel"])


def _seh(j: pd.DataFrame, w: Window) -> tuple[dict, tuple[int, int]]:
    """The SEH visits' triage, length of stay and admissions, and visits and admissions a
    year."""
    has_seh = j["seh_arrival_min"].notna()
    seh = j.loc[has_seh, ["triage_wait_min", "seh_arrival_min", "disposition", "channel"]]
    triage_open = seh["triage_wait_min"].isna()
    triage = waited_so_far(seh["triage_wait_min"], seh["seh_arrival_min"], w.end_min)
    still_in = has_seh & j["seh_departure_min"].isna()
    done = j.loc[has_seh & j["seh_departure_min"].notna(), ["seh_arrival_min", "seh_departure_min"]]
    los = done["seh_departure_min"] - done["seh_arrival_min"]
    admitted = seh["disposition"] == "admitted"
    return {
        "share_seh_triage_10min": share_within(triage, triage_open, 10.0),
        "seh_triage_open_at_end": int(triage_open.sum()),
        "seh_los_min_p50": percentile(los, 0.5),
        "seh_los_min_p90": percentile(los, 0.9),
        "share_admitted": _share(admitted),
        "seh_visits_unfinished": int(still_in.sum()),
    }, (w.per_year(seh["channel"]), w.per_year(seh.loc[admitted, "channel"]))


def _ambulance(j: pd.DataFrame, w: Window) -> tuple[dict, int]:
    """The 112 calls' response times and the A1/A2 patients at an SEH within the norm, and
    the deployments a year."""
    amb = j.loc[
        j["urgency"].isin(["A1", "A2", "B"]),
        ["amb_response_min", "arrival_min", "urgency", "seh_within_norm", "diverted", "channel"],
    ]
    still_open = amb["amb_response_min"].isna()
    response = waited_so_far(amb["amb_response_min"], amb["arrival_min"], w.end_min)
    a1, a2 = amb["urgency"] == "A1", amb["urgency"] == "A2"
    # An A1/A2 patient on the way to the SEH at the end (conveyed: `diverted` is set with the
    # SEH) is a miss once the norm has passed; one not yet on scene may not be conveyed at all.
    urgent = amb[a1 | a2]
    on_the_way = urgent["seh_within_norm"].isna() & urgent["diverted"].notna()
    late = on_the_way & (w.end_min - urgent["arrival_min"] > w.norm_min)
    within_norm = urgent["seh_within_norm"].astype("boolean").mask(late, False)
    return {
        "a1_share_on_scene_15min": share_within(response[a1], still_open[a1], 15.0),
        "a1_response_min_p95": percentile(response[a1], 0.95),
        "a2_share_on_scene_30min": share_within(response[a2], still_open[a2], 30.0),
        "amb_response_min_p95": percentile(response, 0.95),
        "ambulance_calls_open_at_end": int(still_open.sum()),
        "a1_a2_share_at_seh_within_norm": _share(within_norm),
        "diverted_ambulances": int(amb["diverted"].fillna(False).astype(bool).sum()),
    }, w.per_year(amb["channel"])


def per_group(j: pd.DataFrame, column: str, w: Window) -> dict:
    """Indicators per value of `column`, sorted by name; one group's rows in memory at a time."""
    groups = j.groupby(column, observed=True)
    return {str(k): indicators(groups.get_group(k), w) for k in sorted(groups.groups, key=str)}


def area_sehs(ts: pd.DataFrame, seh_ids: Collection[str] | None) -> pd.DataFrame:
    """The time series without the SEHs outside the study area (`seh_ids`; None: keep all).
    A regional run records the SEHs across its border that its patients may reach, but
    simulates none of their own patients: their bays would dilute the region's."""
    if seh_ids is None:
        return ts
    outside = (ts["facility_type"] == "seh") & ~ts["facility_id"].astype(str).isin(set(seh_ids))
    return ts.loc[~outside]


def staffed_rows(
    ts: pd.DataFrame, warmup_min: float, call_hours_only: Collection[str] = ()
) -> pd.Series:
    """The time-series rows that count for utilisation: after the warm-up, and for the
    facility types in `call_hours_only` (desks staffed for a load that comes out of hours)
    only out of hours. In office hours such a desk keeps its minimum staff with no call to
    take, which read as idle capacity: a fifth of the GP posts' staffed hours. A row records
    the state at the end of its step, before the next hour's staff come on: it belongs to
    the hour that ends at (or contains the end of) its step, `ceil(time_min / 60) - 1` (the
    row at 08:00 is the out-of-hours hour 07:00-08:00, the row at 17:00 the office hour
    16:00-17:00)."""
    rows = ts["time_min"] > warmup_min
    if call_hours_only:
        hour = np.ceil(ts["time_min"].to_numpy() / 60.0).astype(int) - 1
        office = ~out_of_hours(hour) & ts["facility_type"].isin(list(call_hours_only)).to_numpy()
        rows &= ~office
    return rows


def utilisation(ts: pd.DataFrame, warmup_min: float, call_hours_only: Collection[str] = ()) -> dict:
    """Mean busy servers over mean staffed servers, per facility type (`staffed_rows`)."""
    t = ts.loc[staffed_rows(ts, warmup_min, call_hours_only), ["facility_type", "busy", "capacity"]]
    sums = t.groupby("facility_type", observed=True)[["busy", "capacity"]].sum()
    return {
        str(kind): round(float(row.busy / row.capacity), 4) if row.capacity else None
        for kind, row in sums.sort_index(key=lambda i: i.astype(str)).iterrows()
    }


def seh_peaks(ts: pd.DataFrame, warmup_min: float) -> dict:
    """Per SEH the highest hourly bay occupancy; summarised over SEHs."""
    s = ts.loc[
        (ts["facility_type"] == "seh") & (ts["time_min"] > warmup_min),
        ["facility_id", "busy", "capacity"],
    ]
    if s.empty:
        return {"mean_of_peaks": None, "max": None}
    peak = (s["busy"] / s["capacity"]).groupby(s["facility_id"], observed=True).max()
    return {"mean_of_peaks": round(float(peak.mean()), 4), "max": round(float(peak.max()), 4)}


def facility_table(
    j: pd.DataFrame,
    ts: pd.DataFrame,
    warmup_min: float,
    days: float,
    stops: dict[str, float],
    call_hours_only: Collection[str] = (),
) -> pd.DataFrame:
    """Volume, utilisation and waits per facility: the wait is for the facility's own
    server (an SEH's bay, a desk, a GP post's doctor for a consultation or visit car for a
    home visit, a free ambulance; waits still open at the end are left out here)."""
    rows = []
    consult, visit = j["outcome"] == "consult", j["outcome"] == "home_visit"
    for kind, id_col, wait_col, which in (
        ("seh", "seh_site_id", "bay_wait_min", None),
        ("gp_desk", "desk_id", "call_wait_min", None),
        ("zcc_desk", "zcc_id", "call_wait_min", None),
        ("gp_doctor", "gp_post_id", "gp_wait_min", consult),
        ("gp_visit", "gp_post_id", "gp_wait_min", visit),
        ("ambulance", "amb_region", "amb_wait_min", None),
    ):
        rows_of = j[id_col].notna() if which is None else j[id_col].notna() & which
        g = j.loc[rows_of, [id_col, wait_col]].groupby(id_col, observed=True)[wait_col]
        stats = pd.DataFrame(
            {"volume": g.size(), "wait_mean_min": g.mean(), "wait_p90_min": g.quantile(0.9)}
        )
        stats.insert(0, "facility_type", kind)
        rows.append(stats.rename_axis("facility_id").reset_index())
    table = pd.concat(rows, ignore_index=True)
    after = staffed_rows(ts, warmup_min, call_hours_only)
    sums = (
        ts.loc[after, ["facility_type", "facility_id", "busy", "capacity"]]
        .groupby(["facility_type", "facility_id"], observed=True)[["busy", "capacity"]]
        .sum()
    )
    util = (
        (sums["busy"] / sums["capacity"].where(sums["capacity"] > 0))
        .rename("utilisation")
        .reset_index()
        .astype({"facility_type": str, "facility_id": str})
    )
    table["facility_id"] = table["facility_id"].astype(str)
    table = util.merge(table, on=["facility_type", "facility_id"], how="outer")
    table["volume"] = table["volume"].fillna(0).astype(int)
    table["volume_per_day"] = table["volume"] / days
    table["stop_min_per_day"] = (
        table["facility_id"].map(stops).where(table["facility_type"] == "seh") / days
    )
    return table.sort_values(["facility_type", "facility_id"]).reset_index(drop=True)


def summary(
    measured: pd.DataFrame,
    ts: pd.DataFrame,
    warmup_min: float,
    w: Window,
    stops: dict[str, float],
    seh_ids: Collection[str] | None = None,
    call_hours_only: Collection[str] = (),
) -> dict:
    """National and per-ROAZ indicators of the journeys after the warm-up (per ROAZ region
    of the patient's home), utilisation (`staffed_rows`), SEH peaks and stop minutes of the
    study area's SEHs (`seh_ids`; None: every SEH recorded)."""
    ts = area_sehs(ts, seh_ids)
    stop_per_day = {k: v / w.days for k, v in stops.items() if seh_ids is None or k in set(seh_ids)}
    return {
        "measured_days": w.days,
        "national": indicators(measured, w),
        "per_roaz": per_group(measured, "roaz_code", w),
        "utilisation": utilisation(ts, warmup_min, call_hours_only),
        "seh_peak_occupancy": seh_peaks(ts, warmup_min),
        "seh_stop_min_per_day": {
            "mean": round(float(np.mean(list(stop_per_day.values()))), 2) if stop_per_day else None,
            "max": round(float(max(stop_per_day.values())), 2) if stop_per_day else None,
        },
    }


def other_inpatients(
    per_site: dict[str, tuple[int, int]], seh_ids: Collection[str] | None = None
) -> dict:
    """The hospitals' other inpatients after the warm-up, over the study area's SEH hospitals
    (`seh_ids`; None: every site): admitted, and cancelled for want of a free bed. A regional
    run simulates every SEH hospital of the country, those across its border without the
    acute patients of their own neighbours."""
    keep = per_site.keys() if seh_ids is None else set(seh_ids)
    counted = [v for k, v in per_site.items() if k in keep]
    admitted = sum(a for a, _ in counted)
    cancelled = sum(c for _, c in counted)
    asked = admitted + cancelled
    return {
        "admitted": admitted,
        "cancelled_no_bed": cancelled,
        "share_cancelled": round(cancelled / asked, 4) if asked else None,
    }
