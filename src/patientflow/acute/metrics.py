"""Indicators of an acute-care run, from its journeys and time series (warm-up excluded),
nationally and per ROAZ region, against the norms in shared/domain-facts.md."""

from __future__ import annotations

import numpy as np
import pandas as pd


def _q(values: pd.Series, q: float) -> float | None:
    v = values.dropna()
    return round(float(v.quantile(q)), 2) if len(v) else None


def _share(mask: pd.Series) -> float | None:
    m = mask.dropna()
    return round(float(m.astype(bool).mean()), 4) if len(m) else None


def indicators(j: pd.DataFrame, days: float) -> dict:
    """The indicators of one group of journeys measured over `days` days. Each subset takes
    only the columns it needs: a national year is millions of journeys. Denominators: SEH
    admissions and `share_admitted` count every SEH visit (the admission decision is the
    patient's, taken on arrival), so a visit still under way at the end is never read as a
    discharge; lengths of stay are over the visits that ended (`seh_visits_unfinished` counts
    the others). Ambulance response (call to on scene): `a1_*` over A1 deployments, `a2_*`
    over A2, `amb_response_min_p95` over all deployments (A1, A2 and planned B rides)."""
    calls = j.loc[j["call_wait_min"].notna(), ["call_wait_min", "urgency", "desk_id", "zcc_id"]]
    urgent = calls["urgency"].isin(["U1", "U2"])
    has_seh = j["seh_arrival_min"].notna()
    seh_triage = j.loc[has_seh, "triage_wait_min"]
    seh_visits = int(has_seh.sum())
    still_in = has_seh & j["seh_departure_min"].isna()
    done = j.loc[
        has_seh & j["seh_departure_min"].notna(),
        ["seh_arrival_min", "seh_departure_min", "disposition"],
    ]
    los = done["seh_departure_min"] - done["seh_arrival_min"]
    admitted = j.loc[has_seh, "disposition"] == "admitted"
    amb = j.loc[
        j["amb_response_min"].notna(),
        ["amb_response_min", "urgency", "seh_within_norm", "diverted"],
    ]
    a1 = amb[amb["urgency"] == "A1"]
    a2 = amb[amb["urgency"] == "A2"]
    conveyed = amb[amb["urgency"].isin(["A1", "A2"]) & amb["seh_within_norm"].notna()]
    per_year = 365.0 / days if days > 0 else float("nan")
    return {
        "journeys": int(len(j)),
        "call_answer_min_p50": _q(calls["call_wait_min"], 0.5),
        "call_answer_min_p90": _q(calls["call_wait_min"], 0.9),
        "share_urgent_answered_30s": _share(calls.loc[urgent, "call_wait_min"] <= 0.5),
        "share_other_answered_2min": _share(calls.loc[~urgent, "call_wait_min"] <= 2.0),
        "share_seh_triage_10min": _share(seh_triage.dropna() <= 10.0),
        "seh_los_min_p50": _q(los, 0.5),
        "seh_los_min_p90": _q(los, 0.9),
        "share_admitted": _share(admitted),
        "seh_visits_unfinished": int(still_in.sum()),
        "a1_share_on_scene_15min": _share(a1["amb_response_min"] <= 15.0),
        "a1_response_min_p95": _q(a1["amb_response_min"], 0.95),
        "a2_share_on_scene_30min": _share(a2["amb_response_min"] <= 30.0),
        "amb_response_min_p95": _q(amb["amb_response_min"], 0.95),
        "a1_a2_share_at_seh_within_norm": _share(conveyed["seh_within_norm"]),
        "diverted_ambulances": int(amb["diverted"].fillna(False).astype(bool).sum()),
        "volumes_per_year": {
            "seh_visits": round(seh_visits * per_year),
            "gp_post_contacts": round(
                int((calls["desk_id"].notna() | calls["zcc_id"].notna()).sum()) * per_year
            ),
            "ambulance_deployments": round(len(amb) * per_year),
            "admissions": round(int(admitted.sum()) * per_year),
        },
    }


def per_group(j: pd.DataFrame, column: str, days: float) -> dict:
    """Indicators per value of `column`, sorted by name; one group's rows in memory at a time."""
    groups = j.groupby(column, observed=True)
    return {str(k): indicators(groups.get_group(k), days) for k in sorted(groups.groups, key=str)}


def utilisation(ts: pd.DataFrame, warmup_min: float) -> dict:
    """Mean busy servers over mean staffed servers, per facility type."""
    t = ts.loc[ts["time_min"] > warmup_min, ["facility_type", "busy", "capacity"]]
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
    j: pd.DataFrame, ts: pd.DataFrame, warmup_min: float, days: float, stops: dict[str, float]
) -> pd.DataFrame:
    """Volume, utilisation and waits per facility."""
    rows = []
    for kind, id_col, wait_col in (
        ("seh", "seh_site_id", "bay_wait_min"),
        ("gp_desk", "desk_id", "call_wait_min"),
        ("zcc_desk", "zcc_id", "call_wait_min"),
        ("gp_doctor", "gp_post_id", "gp_wait_min"),
        ("ambulance", "amb_region", "amb_response_min"),
    ):
        g = j.loc[j[id_col].notna(), [id_col, wait_col]].groupby(id_col, observed=True)[wait_col]
        stats = pd.DataFrame(
            {"volume": g.size(), "wait_mean_min": g.mean(), "wait_p90_min": g.quantile(0.9)}
        )
        stats.insert(0, "facility_type", kind)
        rows.append(stats.rename_axis("facility_id").reset_index())
    table = pd.concat(rows, ignore_index=True)
    after = ts["time_min"] > warmup_min
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
    days: float,
    stops: dict[str, float],
) -> dict:
    """National and per-ROAZ indicators of the journeys after the warm-up, utilisation, SEH
    peaks and stop minutes."""
    stop_per_day = {k: v / days for k, v in stops.items()}
    return {
        "measured_days": days,
        "national": indicators(measured, days),
        "per_roaz": per_group(measured, "roaz_code", days),
        "utilisation": utilisation(ts, warmup_min),
        "seh_peak_occupancy": seh_peaks(ts, warmup_min),
        "seh_stop_min_per_day": {
            "mean": round(float(np.mean(list(stop_per_day.values()))), 2) if stops else None,
            "max": round(float(max(stop_per_day.values())), 2) if stops else None,
        },
    }


def other_inpatients(per_site: dict[str, tuple[int, int]]) -> dict:
    """The hospitals' other inpatients after the warm-up, over every site: admitted, and
    cancelled for want of a free bed."""
    admitted = sum(a for a, _ in per_site.values())
    cancelled = sum(c for _, c in per_site.values())
    asked = admitted + cancelled
    return {
        "admitted": admitted,
        "cancelled_no_bed": cancelled,
        "share_cancelled": round(cancelled / asked, 4) if asked else None,
    }
