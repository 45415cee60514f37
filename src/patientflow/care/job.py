"""The complex-care job: every configured intervention under the network's rules, paired with
today's providers on the same patients; tables, figures and the summary block."""

from __future__ import annotations

import logging
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path

import numpy as np
import pandas as pd

from patientflow.care.impact import ImpactOutput, impact_analysis
from patientflow.care.pathway import AcuteBedLoad, CareModel
from patientflow.care.rules import VOLUME_TOLERANCE
from patientflow.care.ruptured import ruptured_aaa
from patientflow.care.study import (
    care_problems,
    extra_travel,
    norms_of,
    paired_rows,
    provider_rows,
    referrals_today,
    referrals_under,
)
from patientflow.config.care import CareRule
from patientflow.config.schema import RunConfig
from patientflow.core.area import StudyArea
from patientflow.core.files import write_frame
from patientflow.core.network import ServiceNetwork, vascular_grouping
from patientflow.core.statistics import mean_ci
from patientflow.core.streams import Streams
from patientflow.core.travel import TravelModel
from patientflow.data import Dataset

log = logging.getLogger(__name__)

PATHWAY_COLUMNS = [
    "intervention",
    "network",
    "region",
    "patients",
    "refused_trip",
    "wait_weeks_p50",
    "wait_weeks_p90",
    "share_within_treeknorm",
    "share_within_process_norm",
    "to_surgery_days_p50",
    "to_surgery_days_p90",
    "acute_to_surgery_min_p90",
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


@dataclass
class CareOutput:
    """What the care job produced: its tables, its summary block, and the frames its figures
    are drawn from (the runner hands them to report/care_figures.py)."""

    tables: dict[str, Path]
    summary: dict
    providers: pd.DataFrame
    extra_travel: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)
    beds: dict = field(default_factory=dict)
    impact: ImpactOutput | None = None


def run_care(
    cfg: RunConfig,
    data: Dataset,
    network: ServiceNetwork,
    area: StudyArea,
    travel: TravelModel,
    out: Path,
    acute: AcuteBedLoad | None = None,
) -> CareOutput:
    """Write care_providers.csv, care_paired.csv and, with `sim.days` > 0, the simulated
    pathway's tables; return them with the summary and the figures' frames. `acute`: the
    acute admissions each hospital's ward beds are shared with (none: beds for complex care
    alone)."""
    problems = care_problems(data, network, area, travel, cfg)
    onc = data.municipalities.set_index("municipality_code")["oncology_code"]
    region_of_point = area.points["municipality_code"].map(onc).to_numpy()
    paired, provs, summary, extra = [], [], {}, {}
    refs, news = {}, {}
    for name, problem in problems.items():
        rule = cfg.network.care.get(name, CareRule())
        own = {
            net: rules[name] for net, rules in cfg.network.care_per_network.items() if name in rules
        }
        ref = referrals_today(problem)
        new = referrals_under(problem, rule, ref, cfg.care, problem.point_network, own)
        refs[name], news[name] = ref, new
        iv = problem.config
        norm = rule.norm or iv.norm_proposed
        norms = norms_of(problem, rule, own)
        paired += paired_rows(problem, ref, new, cfg.care.refuse_above_min, problem.point_network)
        extra[name] = extra_travel(problem, ref, new)
        provs.append(provider_rows(problem, ref, new, norms, new.report, own))
        today_ = problem.current
        meets = bool((norms > 0).any())
        summary[name] = {
            "rule": rule.rule.value,
            "norm": norm if norm > 0 else None,
            "rules_per_network": {
                net: {"rule": r.rule.value, "norm": r.norm or iv.norm_proposed or None}
                for net, r in sorted(own.items())
            },
            "process_norm_days": iv.process_norm_days or None,
            "providers_current": len(ref.providers),
            "providers_new": len(new.providers),
            "meeting_norm_observed": (
                _meeting(problem.observed[today_], norms[today_]) if meets else None
            ),
            "norm_old": iv.norm_current or None,
            "meeting_norm_old_observed": (
                _meeting(problem.observed[today_], iv.norm_current) if iv.norm_current > 0 else None
            ),
            "meeting_norm_current": (
                _meeting(ref.volume[ref.providers], norms[ref.providers]) if meets else None
            ),
            "meeting_norm_new": (
                _meeting(new.volume[new.providers], norms[new.providers]) if meets else None
            ),
            "patients_per_year": round(float(problem.weight.sum())),
            "referral_fit": {k: round(float(v), 6) for k, v in problem.fit.items()},
            "report": {k: v for k, v in new.report.items() if k != "dropped"},
        }
        log.info(
            "%s: %s, %d -> %d providers",
            name,
            rule.rule.value,
            len(ref.providers),
            len(new.providers),
        )
    paired_df = pd.DataFrame(paired)
    prov_df = pd.concat(provs, ignore_index=True)
    for name, s in summary.items():
        nat = paired_df[(paired_df["intervention"] == name) & (paired_df["region"] == "NL")]
        s["extra_travel_min_mean"] = round(float(nat["extra_travel_min_mean"].iloc[0]), 2)
        s["share_extra_over_30"] = round(float(nat["share_extra_over_30"].iloc[0]), 4)
        if "deaths_change_assumed" in nat and pd.notna(nat["deaths_change_assumed"].iloc[0]):
            s["deaths_change_assumed"] = round(float(nat["deaths_change_assumed"].iloc[0]), 2)
    tables = {"care_paired": out / "care_paired.csv", "care_providers": out / "care_providers.csv"}
    write_frame(paired_df, tables["care_paired"])
    write_frame(prov_df, tables["care_providers"])
    impact = run_impact(problems, refs, news, cfg, data, network, area)
    tables.update(write_impact_tables(impact, out))
    if cfg.sim.days > 0:
        pathway_tables, per_rep = replicated_pathways(
            problems, refs, news, cfg, region_of_point, out, acute
        )
        tables.update(pathway_tables)
        for name, s in per_rep.items():
            summary[name]["pathway"] = s
        beds = bed_summary(pd.read_csv(pathway_tables["care_beds"]))
    else:
        beds = {}
    tables["care_aaa_acute"] = ruptured_aaa(problems, refs, news, cfg.care, area, summary, out)
    return CareOutput(tables, summary, prov_df, extra, beds, impact)


IMPACT_TABLES = {
    "care_impact_patients": "patients",
    "care_impact_municipalities": "municipalities",
    "care_impact_providers": "per_intervention",
    "care_impact_hospitals": "hospitals",
    "care_impact_regions": "regions",
    "care_impact_professionals": "professionals",
    "care_impact_flows": "flows",
    "care_impact_vascular": "vascular",
}


def run_impact(
    problems: dict,
    refs: dict,
    news: dict,
    cfg: RunConfig,
    data: Dataset,
    network: ServiceNetwork,
    area: StudyArea,
) -> ImpactOutput:
    """The four-group impact analysis (care/impact.py) on this run's referrals."""
    sites = network.sites
    seh_247 = set(sites.loc[sites["open"] & sites["seh_open_247"], "site_id"])
    return impact_analysis(
        problems,
        refs,
        news,
        cfg,
        area.points,
        data.municipalities,
        vascular_grouping(data, cfg),
        seh_247,
        data.sites,
    )


def write_impact_tables(impact: ImpactOutput, out: Path) -> dict[str, Path]:
    """The impact analysis' tables as care_impact_*.csv."""
    paths = {}
    for key, attr in IMPACT_TABLES.items():
        paths[key] = write_frame(getattr(impact, attr), out / f"{key}.csv")
    return paths


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
    "acute_to_surgery_min_p90",
)


def replicated_pathways(
    problems: dict,
    ref: dict,
    new: dict,
    cfg: RunConfig,
    region_of_point: np.ndarray,
    out: Path,
    acute: AcuteBedLoad | None = None,
) -> tuple[dict[str, Path], dict]:
    """The pathway for `sim.replications` replications (from `sim.replication` on): the first
    keeps its tables; care_replications.csv holds every replication's national indicators;
    the summary gives per indicator the first replication's value, and over replications the
    mean with its 95 % interval for today's and the new network and their paired difference
    (the same patients in both)."""
    first = cfg.sim.replication
    rows = []
    paths, first_summary = {}, {}
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
            intervals[ind] = {
                "current": mean_ci(cur),
                "new": mean_ci(nw),
                "difference": mean_ci(nw - cur),
            }
        block["replications"] = {"n": int(cfg.sim.replications), "national": intervals}
        summary[name] = block
    return paths, summary


def _meeting(volumes: np.ndarray, norm: float | np.ndarray) -> int:
    """Providers whose volume reaches their norm (expected volumes are sums of floats)."""
    return int((volumes >= np.asarray(norm) - VOLUME_TOLERANCE).sum())


def simulate_pathways(
    problems: dict,
    ref: dict,
    new: dict,
    cfg: RunConfig,
    region_of_point: np.ndarray,
    out: Path,
    acute: AcuteBedLoad | None = None,
) -> tuple[dict[str, Path], dict, pd.DataFrame]:
    """One replication of today's and the new network on the same patients: paired waits and
    utilisation; its tables, summary block and the pathway table."""
    frames, centres, beds = [], [], []
    horizon = cfg.sim.days * 1440.0
    streams = Streams(cfg.sim.seed, cfg.sim.replication)
    for label, assignments in (("current", ref), ("new", new)):
        model = CareModel(
            problems, assignments, ref, cfg.care, cfg.sim.days, streams, region_of_point, acute
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
            ward_total = h.ward.capacity * horizon
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
                    "icu_utilisation": h.icu_minutes / (h.icu.capacity * horizon),
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
    measured["wait_weeks"] = (measured["surgery_min"] - measured["ready_min"]) / (7 * 1440.0)
    measured["to_surgery_days"] = (measured["surgery_min"] - measured["referral_min"]) / 1440.0
    rows = []
    norm_weeks = cfg.care.treeknorm_weeks
    process_days = {n: p.config.process_norm_days for n, p in problems.items()}
    for (name, label), g in measured.groupby(["intervention", "network"]):
        for region, h in [("NL", g), *g.groupby("region")]:
            el = h[~h["acute"] & h["surgery_min"].notna()]
            ac = h[h["acute"] & h["surgery_min"].notna()]
            rows.append(
                {
                    "intervention": name,
                    "network": label,
                    "region": region,
                    "patients": len(h),
                    "refused_trip": int(h["refused"].sum()),
                    "wait_weeks_p50": el["wait_weeks"].quantile(0.5),
                    "wait_weeks_p90": el["wait_weeks"].quantile(0.9),
                    "share_within_treeknorm": float((el["wait_weeks"] <= norm_weeks).mean())
                    if len(el)
                    else np.nan,
                    "share_within_process_norm": _share_within(
                        h.loc[h["surgery_min"].notna(), "to_surgery_days"], process_days[name]
                    ),
                    "to_surgery_days_p50": el["to_surgery_days"].quantile(0.5),
                    "to_surgery_days_p90": el["to_surgery_days"].quantile(0.9),
                    "acute_to_surgery_min_p90": (ac["surgery_min"] - ac["referral_min"]).quantile(
                        0.9
                    )
                    if len(ac)
                    else np.nan,
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
                "share_within_treeknorm",
                "share_within_process_norm",
                "acute_to_surgery_min_p90",
            )
            if (name, label) in nat.index
        }
        for name in problems
    }
    return paths, summary, table


def _share_within(days: pd.Series, norm_days: float) -> float:
    """The share of operated patients operated within the process norm (NaN without one)."""
    if norm_days <= 0 or days.empty:
        return float("nan")
    return float((days <= norm_days).mean())


def _ratio(part: float, whole: float) -> float:
    return part / whole if whole > 0 else float("nan")
