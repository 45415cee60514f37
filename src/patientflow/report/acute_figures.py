"""The acute job's own figures: how busy each kind of facility is by hour of the week, and the
norms met per region."""

from __future__ import annotations

from collections.abc import Collection
from pathlib import Path

import numpy as np
import pandas as pd

from patientflow.acute.metrics import area_sehs
from patientflow.core.statistics import mean_ci
from patientflow.report.breaches import NORMS as REGION_NORMS
from patientflow.report.figures import plt, save_figure
from patientflow.report.labels import EN, Labels

# facility type in timeseries.parquet: its label key
FACILITY_LABELS = {
    "ambulance": "facility_ambulance",
    "seh": "facility_seh",
    "gp_desk": "facility_gp_desk",
    "gp_doctor": "facility_gp_doctor",
    "gp_visit": "facility_gp_visit",
}
# indicator (also its label key), the norm's target where one exists: the norms of the
# region tables (breaches.NORMS), so that the figure and the tables hold the same norms
_TARGETS = {key: share for key, share, _ in REGION_NORMS}
NORMS = tuple(
    (key, _TARGETS.get(key))
    for key in ("a1_share_on_scene_15min", "share_seh_triage_10min", "share_urgent_answered_30s")
)


def week_figure(
    timeseries: pd.DataFrame,
    warmup_days: float,
    out: Path,
    title: str,
    dpi: int,
    tr: Labels = EN,
    sehs: Collection[str] | None = None,
) -> Path:
    """Share of capacity in use and patients waiting, per facility type, by hour of the week
    (the mean over the measured weeks; the warm-up left out), the SEHs those of `sehs` (the
    study area's; None: every SEH recorded, across the border too)."""
    ts = area_sehs(timeseries[timeseries["time_min"] > warmup_days * 1440], sehs).copy()
    ts["hour"] = ((ts["time_min"] - 1) // 60).astype(int) % 168
    per = ts.groupby(["facility_type", "hour"])[["busy", "capacity", "queue"]].sum()
    steps = ts.groupby(["facility_type", "hour"])["time_min"].nunique()
    fig, (ax_use, ax_wait) = plt.subplots(2, 1, figsize=(9, 6.5), sharex=True)
    for kind, key in FACILITY_LABELS.items():
        label = tr(key)
        if kind not in per.index.get_level_values(0):
            continue
        rows = per.loc[kind]
        use = rows["busy"] / rows["capacity"].where(rows["capacity"] > 0)
        wait = rows["queue"] / steps.loc[kind]
        ax_use.plot(rows.index, 100 * use, lw=1.2, label=label)
        ax_wait.plot(rows.index, wait, lw=1.2, label=label)
    ax_use.set_ylabel(tr("capacity_in_use"))
    ax_use.set_ylim(0, 100)
    ax_wait.set_ylabel(tr("patients_waiting"))
    ax_wait.set_ylim(bottom=0)
    ax_wait.set_xticks(np.arange(0, 168, 24) + 12, tr("weekdays").split())
    for ax in (ax_use, ax_wait):
        for day in range(0, 169, 24):
            ax.axvline(day, color="#dddddd", lw=0.6, zorder=0)
        ax.set_xlim(0, 168)
    ax_use.legend(fontsize=8, ncol=3, loc="upper left", frameon=False)
    measured = ts["time_min"].nunique() * _step_min(ts) / 1440
    ax_wait.set_xlabel(tr("hour_of_week", days=measured))
    fig.suptitle(title, fontsize=11)
    fig.tight_layout()
    save_figure(fig, out, dpi)
    return out


def _step_min(ts: pd.DataFrame) -> float:
    times = np.unique(ts["time_min"].to_numpy())
    return float(np.median(np.diff(times))) if len(times) > 1 else 60.0


def region_shares(
    per_region: dict, replications: pd.DataFrame | None, key: str, regions: list[str]
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Each region's share within the norm `key`, its 95 % interval's low and high: over the
    replications (replications.csv, `roaz.<region>.<key>`) where there are several, as the
    region tables give it; else the run's value (its first replication) without an interval."""
    rows: list[tuple[float | None, float | None, float | None]] = []
    for r in regions:
        col = f"roaz.{r}.{key}"
        if replications is not None and len(replications) > 1 and col in replications:
            ci = mean_ci(replications[col], within=(0.0, 1.0))
            rows.append((ci["mean"], ci["ci_low"], ci["ci_high"]))
        else:
            rows.append((per_region[r].get(key), None, None))
    shares = np.array(rows, dtype=float).reshape(-1, 3)
    return shares[:, 0], shares[:, 1], shares[:, 2]


def norms_figure(
    per_region: dict,
    out: Path,
    title: str,
    dpi: int,
    tr: Labels = EN,
    replications: pd.DataFrame | None = None,
) -> Path:
    """Per region, the share of patients within each norm: a dot per region (no line joins
    categories), with several replications their mean and 95 % interval (a run's summary holds
    only its first replication's), the norm's target as a dashed line where one exists."""
    regions = sorted(per_region)
    n = 0 if replications is None else len(replications)
    fig, axes = plt.subplots(1, len(NORMS), figsize=(11, 0.35 * len(regions) + 1.6), sharey=True)
    y = np.arange(len(regions))
    for ax, (key, target) in zip(axes, NORMS, strict=True):
        values, low, high = region_shares(per_region, replications, key, regions)
        err = np.nan_to_num(np.array([values - low, high - values]))
        ax.errorbar(
            100 * values, y, xerr=100 * err, fmt="o", ms=5, color="#2c7fb8", capsize=2, zorder=3
        )
        if target is not None:
            ax.axvline(
                100 * target, color="#d7191c", ls="--", lw=1, label=tr("norm_share", share=target)
            )
            ax.legend(fontsize=7, loc="lower left", frameon=False)
        lowest = np.fmin(values, low)
        least = np.nanmin(lowest) if np.isfinite(lowest).any() else 0.5
        ax.set_xlim(max(0.0, 100 * least - 10), 100)
        ax.set_title(tr(key), fontsize=9)
        ax.set_xlabel(tr("pct_patients"))
        ax.grid(axis="x", color="#eeeeee")
    axes[0].set_yticks(y, regions)
    axes[0].set_ylim(len(regions) + 0.4, -0.6)  # top down, a free row at the foot for the legend
    fig.suptitle(title + (f"\n{tr('norms_replications', n=n)}" if n > 1 else ""), fontsize=11)
    fig.tight_layout()
    save_figure(fig, out, dpi)
    return out
