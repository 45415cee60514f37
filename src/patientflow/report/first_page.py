"""The report's first page: per scenario, each headline indicator as the mean over its
replications with a 95 % interval, and the paired difference against the baseline with its
interval and a plain reading (better, worse, no detectable change)."""

from __future__ import annotations

import math

import pandas as pd

from patientflow.report.labels import EN, Labels

# indicator (as in the replications block, and its label key), and whether more is better
FIRST_PAGE = (
    ("a1_share_on_scene_15min", True),
    ("share_seh_triage_10min", True),
    ("share_urgent_answered_30s", True),
    ("a1_a2_share_at_seh_within_norm", True),
    ("seh_los_min_p90", False),
)


def fmt_value(v: float, share: bool, signed: bool = False, tr: Labels = EN) -> str:
    """A value as read: shares in % (an interval bound kept within 0-100 %), differences of
    shares in percentage points, times in minutes."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return "–"
    if share and not signed:
        v = min(max(v, 0.0), 1.0)
    if share:
        return f"{100 * v:+.1f} {tr('pt')}" if signed else f"{100 * v:.1f} %"
    return f"{v:+.1f} min" if signed else f"{v:.1f} min"


def reading(low: float, high: float, more_is_better: bool, tr: Labels = EN) -> str:
    """Plain words for a paired difference's 95 % interval."""
    if any(isinstance(x, float) and math.isnan(x) for x in (low, high)):
        return tr("one_replication")
    if low == 0 == high:
        return tr("no_change_exact")
    if low <= 0 <= high:
        return tr("no_change")
    up = low > 0
    return tr("better") if up == more_is_better else tr("worse")


def _baseline_of(diff: pd.DataFrame) -> tuple[str, str] | None:
    """The baseline of the paired differences, by job folder (or by label where the table
    has no folder), None without differences."""
    if diff.empty:
        return None
    if "baseline" in diff:
        return "job", str(diff["baseline"].iat[0])
    if "baseline_label" in diff:
        return "label", str(diff["baseline_label"].iat[0])
    return None


def first_page(table: pd.DataFrame, diff: pd.DataFrame, tr: Labels = EN) -> pd.DataFrame:
    """One row per complete job and headline indicator: its mean [95 % interval] over the
    replications (the single run's value without replications), and against the baseline the
    paired difference [interval] and its reading."""
    done = table[table["status"] == "complete"]
    base = _baseline_of(diff)
    rows = []
    for _, job in done.iterrows():
        for key, more_is_better in FIRST_PAGE:
            rep = f"acute.replications.national.{key}"
            single = f"acute.national.{key}"
            if f"{rep}.mean" not in done and single not in done:
                continue
            share = "share" in key
            if f"{rep}.mean" in done and pd.notna(job.get(f"{rep}.mean")):
                value = fmt_value(job[f"{rep}.mean"], share)
                low, high = job.get(f"{rep}.ci_low"), job.get(f"{rep}.ci_high")
                if pd.notna(low) and pd.notna(high):  # none from a single replication
                    value += f" [{fmt_value(low, share)}, {fmt_value(high, share)}]"
            else:
                value = fmt_value(job.get(single), share)
            row = {
                tr("col_scenario"): job.get("label", job["job"]),
                tr("col_indicator"): tr(key),
                tr("col_value"): value,
            }
            d = (
                diff[(diff["job"].astype(str) == str(job["job"])) & (diff["indicator"] == key)]
                if not diff.empty
                else diff
            )
            if len(d):
                r = d.iloc[0]
                low, high = (
                    fmt_value(r["ci_low"], share, True, tr),
                    fmt_value(r["ci_high"], share, True, tr),
                )
                row[tr("col_against")] = (
                    f"{fmt_value(r['difference'], share, True, tr)} [{low}, {high}]"
                )
                row[tr("col_reading")] = reading(r["ci_low"], r["ci_high"], more_is_better, tr)
            else:
                # only the baseline itself is "baseline"; another job without a difference was
                # not paired with it (another seed, no common replication)
                is_base = base is not None and base in (
                    ("job", str(job["job"])),
                    ("label", str(job.get("label", job["job"]))),
                )
                row[tr("col_against")] = (
                    tr("baseline") if is_base else tr("not_paired") if base is not None else ""
                )
                row[tr("col_reading")] = ""
            rows.append(row)
    return pd.DataFrame(rows)
