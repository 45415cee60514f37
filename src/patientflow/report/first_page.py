"""The report's first page: per scenario, each headline indicator as the mean over its
replications with a 95 % interval, and the paired difference against the baseline with its
interval and a plain reading (better, worse, no detectable change)."""

from __future__ import annotations

import math

import pandas as pd

# indicator (as in the replications block), what it is called, and whether more is better
FIRST_PAGE = (
    ("a1_share_on_scene_15min", "A1 ambulance on scene within 15 min", True),
    ("share_seh_triage_10min", "SEH triage within 10 min", True),
    ("share_urgent_answered_30s", "urgent calls answered within 30 s", True),
    ("a1_a2_share_at_seh_within_norm", "A1/A2 at an SEH within 45 min of the call", True),
    ("seh_los_min_p90", "SEH length of stay, p90", False),
)


def _fmt(v: float, share: bool, signed: bool = False) -> str:
    """A value as read: shares in % (an interval bound kept within 0-100 %), differences of
    shares in percentage points, times in minutes."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if share and not signed:
        v = min(max(v, 0.0), 1.0)
    if share:
        return f"{100 * v:+.1f} pt" if signed else f"{100 * v:.1f} %"
    return f"{v:+.1f} min" if signed else f"{v:.1f} min"


def reading(low: float, high: float, more_is_better: bool) -> str:
    """Plain words for a paired difference's 95 % interval."""
    if any(isinstance(x, float) and math.isnan(x) for x in (low, high)):
        return "one replication: no interval"
    if low == 0 == high:
        return "no change (the same in every replication)"
    if low <= 0 <= high:
        return "no detectable change"
    up = low > 0
    return "better" if up == more_is_better else "worse"


def first_page(table: pd.DataFrame, diff: pd.DataFrame) -> pd.DataFrame:
    """One row per complete job and headline indicator: its mean [95 % interval] over the
    replications (the single run's value without replications), and against the baseline the
    paired difference [interval] and its reading."""
    done = table[table["status"] == "complete"]
    rows = []
    for _, job in done.iterrows():
        for key, name, more_is_better in FIRST_PAGE:
            rep = f"acute.replications.national.{key}"
            single = f"acute.national.{key}"
            if f"{rep}.mean" not in done and single not in done:
                continue
            share = "share" in key
            if f"{rep}.mean" in done and pd.notna(job.get(f"{rep}.mean")):
                value = (
                    f"{_fmt(job[f'{rep}.mean'], share)} "
                    f"[{_fmt(job[f'{rep}.ci_low'], share)}, {_fmt(job[f'{rep}.ci_high'], share)}]"
                )
            else:
                value = _fmt(job.get(single), share)
            row = {"scenario": job.get("label", job["job"]), "indicator": name, "value": value}
            d = (
                diff[(diff["job"].astype(str) == str(job["job"])) & (diff["indicator"] == key)]
                if not diff.empty
                else diff
            )
            if len(d):
                r = d.iloc[0]
                row["against the baseline"] = (
                    f"{_fmt(r['difference'], share, True)} "
                    f"[{_fmt(r['ci_low'], share, True)}, {_fmt(r['ci_high'], share, True)}]"
                )
                row["reading"] = reading(r["ci_low"], r["ci_high"], more_is_better)
            else:
                row["against the baseline"] = "baseline" if not diff.empty else ""
                row["reading"] = ""
            rows.append(row)
    return pd.DataFrame(rows)
