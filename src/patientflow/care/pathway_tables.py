"""The simulated pathway's tables: one replication of today's and the new network on the same
patients (waits, times to surgery, operating minutes, shared beds), the replications with
their intervals, and the beds' national totals."""

from __future__ import annotations

import tempfile
from dataclasses import replace
from pathlib import Path

import numpy as np
import pandas as pd

from patientflow.care.pathway import CareModel
from patientflow.care.wards import AcuteBedLoad
from patientflow.config.schema import RunConfig
from patientflow.core.files import write_frame
from patientflow.core.statistics import level_range, mean_ci
from patientflow.core.streams import Streams

PATHWAY_COLUMNS = [
    "intervention",
    "network",
    "region",
    "patients",
    "refused_trip",
    "wait_weeks_p50",
    "wait_weeks_p90",
    "still_waiting",
    "share_within_treeknorm",
    "share_within_process_norm",
    "to_surgery_days_p50",
    "to_surgery_days_p90",
    "acute_to_surgery_min_mean",
    "acute_to_surgery_min_p90",
    "acute_share_transferred",
]
CENTRE_COLUMNS = [
    "network",
    "intervention",
    "site_id",
    "offered_or_min",
    "used_or_min",
    "or_utilisation",
]
BED_COLUMNS = [
    "network",
    "site_id",
    "complex_ward_occupancy_expected",
    "acute_ward_occupancy_expected",
    "complex_icu_occupancy_expected",
    "ward_beds_planned",
    "icu_beds_planned",
    "ward_utilisation",
    "complex_ward_utilisation",
    "acute_ward_utilisation",
    "icu_utilisation",
    "acute_admissions",
    "acute_share_waited_for_bed",
    "acute_bed_wait_min_mean",
    "hospital_beds",
    "hospital_icu_beds",
    "share_of_hospital_beds",
    "share_of_hospital_icu_beds",
]


def bed_summary(beds: pd.DataFrame) -> dict:
    """Per network configuration, the hospitals with complex care together: expected
    occupied ward beds of complex care and of acute admissions, the beds planned for both,
    the hospitals' own beds, complex ICU occupancy against their ICU beds, and how often an
    acute admission waited for a bed (first replication)."""
    out = {}
    for label, g in beds.groupby("network"):
        admissions = g["acute_admissions"].sum()
        out[str(label)] = {
            "hospitals": int(len(g)),
            "complex_ward_occupancy_expected": round(
                float(g["complex_ward_occupancy_expected"].sum()), 1
            ),
            "acute_ward_occupancy_expected": round(
                float(g["acute_ward_occupancy_expected"].sum()), 1
            ),
            "ward_beds_planned": int(g["ward_beds_planned"].sum()),
            "hospital_beds": int(g["hospital_beds"].sum()),
            "complex_icu_occupancy_expected": round(
                float(g["complex_icu_occupancy_expected"].sum()), 1
            ),
            "hospital_icu_beds": int(g["hospital_icu_beds"].sum()),
            "acute_share_waited_for_bed": round(
                float((g["acute_share_waited_for_bed"] * g["acute_admissions"]).sum() / admissions),
                4,
            )
            if admissions
            else None,
        }
    return out


PATHWAY_INDICATORS = (
    "wait_weeks_p50",
    "share_within_treeknorm",
    "share_within_process_norm",
    "to_surgery_days_p90",
    "acute_to_surgery_min_mean",
    "acute_to_surgery_min_p90",
    "acute_share_transferred",
)


def replicated_pathways(
    problems: dict,
    ref: dict,
    new: dict,
    cfg: RunConfig,
    region_of_point: np.ndarray,
    out: Path,
    acute: dict[str, AcuteBedLoad] | None = None,
) -> tuple[dict[str, Path], dict]:
    """The pathway for `sim.replications` replications (from `sim.replication` on): the first
    keeps its tables; care_replications.csv holds every replication's national indicators;
    the summary gives per indicator the first replication's value, and over replications the
    mean with its 95 % interval for today's and the new network and their paired difference
    (the same patients in both)."""
    first = cfg.sim.replication
    rows = []
    paths: dict[str, Path] = {}
    first_summary: dict = {}
    for rep in range(first, first + cfg.sim.replications):
        rep_cfg = replace(cfg, sim=replace(cfg.sim, replication=rep))
        if rep == first:
            paths, first_summary, table = simulate_pathways(
                problems, ref, new, rep_cfg, region_of_point, out, acute
            )
        else:
            with tempfile.TemporaryDirectory(dir=out) as tmp:
                _, _, table = simulate_pathways(
                    problems, ref, new, rep_cfg, region_of_point, Path(tmp), acute
                )
        nat = table[table["region"] == "NL"]
        for rec in nat.to_dict("records"):
            rows.append({"seed": cfg.sim.seed, "replication": rep, **rec})
    reps = pd.DataFrame(rows)
    paths["care_replications"] = write_frame(reps, out / "care_replications.csv")
    summary = {}
    for name in problems:
        block = dict(first_summary.get(name, {}))
        mine = reps[reps["intervention"] == name] if len(reps) else reps
        wide = (
            mine.pivot_table(
                index="replication",
                columns="network",
                values=list(PATHWAY_INDICATORS),
                dropna=False,
            )
            if len(mine)
            else None
        )
        intervals = {}
        for ind in PATHWAY_INDICATORS:
            if wide is None or (ind, "current") not in wide or (ind, "new") not in wide:
                continue
            cur, nw = wide[(ind, "current")], wide[(ind, "new")]
            low, high = _pathway_range(ind, cfg)
            intervals[ind] = {
                "current": mean_ci(cur, within=(low, high)),
                "new": mean_ci(nw, within=(low, high)),
                "difference": mean_ci(nw - cur, within=(low - high, high - low)),
            }
        block["replications"] = {"n": int(cfg.sim.replications), "national": intervals}
        summary[name] = block
    return paths, summary


def _pathway_range(indicator: str, cfg: RunConfig) -> tuple[float, float]:
    """The range a pathway indicator can take: a share in [0, 1]; a wait or a time to surgery
    from 0 to the measured days (a patient referred after the warm-up waits at most until the
    end), in the indicator's unit."""
    low, high = level_range(indicator)
    if high is not None:
        return low, high
    days = cfg.sim.days - cfg.sim.warmup_days
    for unit, longest in (("weeks", days / 7.0), ("days", days), ("min", days * 1440.0)):
        if f"_{unit}_" in indicator:
            return 0.0, longest
    raise ValueError(f"no range for the pathway indicator {indicator!r}")


def simulate_pathways(
    problems: dict,
    ref: dict,
    new: dict,
    cfg: RunConfig,
    region_of_point: np.ndarray,
    out: Path,
    acute: dict[str, AcuteBedLoad] | None = None,
) -> tuple[dict[str, Path], dict, pd.DataFrame]:
    """One replication of today's and the new network on the same patients: paired waits and
    utilisation; its tables, summary block and the pathway table. `acute`: the acute
    admissions sharing the ward beds in each network ("current": today's SEHs, "new": the
    network's)."""
    frames, centres, beds = [], [], []
    horizon = cfg.sim.days * 1440.0
    streams = Streams(cfg.sim.seed, cfg.sim.replication)
    for label, assignments in (("current", ref), ("new", new)):
        model = CareModel(
            problems,
            assignments,
            ref,
            cfg.care,
            cfg.sim.days,
            streams,
            region_of_point,
            acute[label] if acute is not None else None,
            in_network=label == "new",
            warmup_days=cfg.sim.warmup_days,
            capacity_factor=cfg.scenario.capacity_factor,
        )
        model.run()
        df = model.patients()
        df.insert(0, "network", label)
        frames.append(df)
        for name, by_site in model.centres.items():
            for c in by_site.values():
                centres.append(
                    {
                        "network": label,
                        "intervention": name,
                        "site_id": c.site_id,
                        "offered_or_min": c.offered_minutes,
                        "used_or_min": c.used_minutes,
                        "or_utilisation": c.used_minutes / c.offered_minutes
                        if c.offered_minutes
                        else np.nan,
                    }
                )
        for h in model.hospitals.values():
            ward_total = h.ward.capacity * model.measured.minutes
            beds.append(
                {
                    "network": label,
                    "site_id": h.site_id,
                    "complex_ward_occupancy_expected": h.expected_ward,
                    "acute_ward_occupancy_expected": h.expected_acute,
                    "complex_icu_occupancy_expected": h.expected_icu,
                    "ward_beds_planned": h.ward.capacity,
                    "icu_beds_planned": h.icu.capacity,
                    "ward_utilisation": (h.ward_minutes + h.acute_minutes) / ward_total,
                    "complex_ward_utilisation": h.ward_minutes / ward_total,
                    "acute_ward_utilisation": h.acute_minutes / ward_total,
                    "icu_utilisation": h.icu_minutes / (h.icu.capacity * model.measured.minutes),
                    "acute_admissions": h.acute_admissions,
                    "acute_share_waited_for_bed": _ratio(h.acute_waited, h.acute_admissions),
                    "acute_bed_wait_min_mean": _ratio(h.acute_wait_minutes, h.acute_admissions),
                    "hospital_beds": h.hospital_beds,
                    "hospital_icu_beds": h.hospital_icu_beds,
                    "share_of_hospital_beds": _ratio(
                        h.expected_ward + h.expected_acute, h.hospital_beds
                    ),
                    "share_of_hospital_icu_beds": _ratio(h.expected_icu, h.hospital_icu_beds),
                }
            )
    patients = pd.concat(frames, ignore_index=True)
    patients["region"] = region_of_point[patients["point"].to_numpy()]
    warm = cfg.sim.warmup_days * 1440.0
    measured = patients[patients["referral_min"] >= warm].copy()
    # a patient not operated at the end of the run counts with the time so far (a lower bound)
    measured["waiting"] = measured["ready_min"].notna() & measured["surgery_min"].isna()
    operated_or_now = measured["surgery_min"].fillna(horizon)
    measured["wait_weeks"] = (operated_or_now - measured["ready_min"]) / (7 * 1440.0)
    measured["to_surgery_days"] = (operated_or_now - measured["referral_min"]) / 1440.0
    rows = []
    norm_weeks = cfg.care.treeknorm_weeks
    process_days = {n: p.config.process_norm_days for n, p in problems.items()}
    for (name, label), g in measured.groupby(["intervention", "network"]):
        for region, h in [("NL", g), *g.groupby("region")]:
            ready = h[~h["acute"] & h["ready_min"].notna()]
            ac = h[h["acute"] & h["surgery_min"].notna()]
            rows.append(
                {
                    "intervention": name,
                    "network": label,
                    "region": region,
                    "patients": len(h),
                    "refused_trip": int(h["refused"].sum()),
                    "wait_weeks_p50": ready["wait_weeks"].quantile(0.5),
                    "wait_weeks_p90": ready["wait_weeks"].quantile(0.9),
                    "still_waiting": int(ready["waiting"].sum()),
                    "share_within_treeknorm": _share_within_treeknorm(ready, norm_weeks),
                    "share_within_process_norm": _share_within(h, process_days[name]),
                    "to_surgery_days_p50": ready["to_surgery_days"].quantile(0.5),
                    "to_surgery_days_p90": ready["to_surgery_days"].quantile(0.9),
                    **_acute_minutes(ac),
                }
            )
    table = pd.DataFrame(rows, columns=PATHWAY_COLUMNS)
    paths = {
        "care_patients": out / "care_patients.parquet",
        "care_pathway": out / "care_pathway.csv",
        "care_centres": out / "care_centres.csv",
        "care_beds": out / "care_beds.csv",
    }
    write_frame(patients, paths["care_patients"])
    write_frame(table, paths["care_pathway"])
    write_frame(pd.DataFrame(centres, columns=CENTRE_COLUMNS), paths["care_centres"])
    write_frame(pd.DataFrame(beds, columns=BED_COLUMNS), paths["care_beds"])
    nat = table[table["region"] == "NL"].set_index(["intervention", "network"])
    summary = {
        name: {
            f"{col}_{label}": None
            if pd.isna(nat.loc[(name, label), col])
            else round(float(nat.loc[(name, label), col]), 4)
            for label in ("current", "new")
            for col in (
                "wait_weeks_p50",
                "still_waiting",
                "share_within_treeknorm",
                "share_within_process_norm",
                "acute_to_surgery_min_mean",
                "acute_to_surgery_min_p90",
                "acute_share_transferred",
            )
            if (name, label) in nat.index
        }
        for name in problems
    }
    return paths, summary, table


def _acute_minutes(operated: pd.DataFrame) -> dict[str, float]:
    """The acute patients' minutes from the call to the operation, mean and p90, and the share
    transferred from an SEH without repair. The minutes are of two routes (straight to a
    centre, or by an SEH and a transfer, an hour or more longer): the p90 falls on the second
    once a tenth or more is transferred and jumps by tens of minutes as that share crosses a
    tenth, so the mean and the share are given with it."""
    if operated.empty:
        return dict.fromkeys(
            ("acute_to_surgery_min_mean", "acute_to_surgery_min_p90", "acute_share_transferred"),
            np.nan,
        )
    minutes = operated["surgery_min"] - operated["referral_min"]
    return {
        "acute_to_surgery_min_mean": float(minutes.mean()),
        "acute_to_surgery_min_p90": float(minutes.quantile(0.9)),
        "acute_share_transferred": float(operated["transferred"].mean()),
    }


def _share_within_treeknorm(ready: pd.DataFrame, norm_weeks: float) -> float:
    """The share of elective patients ready for the operation operated within the Treeknorm:
    one still waiting past the norm at the end of the run is a miss; one still waiting within
    it is not yet known and left out (NaN without any)."""
    known = ready[~ready["waiting"] | (ready["wait_weeks"] > norm_weeks)]
    if known.empty:
        return float("nan")
    return float((~known["waiting"] & (known["wait_weeks"] <= norm_weeks)).mean())


def _share_within(patients: pd.DataFrame, norm_days: float) -> float:
    """The share of referred patients operated within the process norm from referral: one not
    operated at the end of the run and referred longer ago than the norm is a miss; one
    referred within it is not yet known and left out (NaN without a norm or any patient)."""
    operated = patients["surgery_min"].notna()
    days = patients["to_surgery_days"]
    known = operated | (days > norm_days)
    if norm_days <= 0 or not known.any():
        return float("nan")
    return float((operated & (days <= norm_days))[known].mean())


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole > 0 else float("nan")
