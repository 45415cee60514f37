"""The complex-care job: every configured intervention under the network's rules, paired with
today's providers on the same patients; tables, figures and the summary block."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from patientflow.care.pathway import CareModel
from patientflow.care.study import care_problems, paired_rows, provider_rows, providers
from patientflow.config.care import CareRule, CareRuleName
from patientflow.config.schema import RunConfig
from patientflow.core.area import StudyArea
from patientflow.core.files import write_frame
from patientflow.core.network import ServiceNetwork
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
    "ward_beds",
    "icu_beds",
    "ward_utilisation",
    "icu_utilisation",
]


@dataclass
class CareOutput:
    """What the care job produced: its tables, its summary block, and the frames its figures
    are drawn from (the runner hands them to report/care_figures.py)."""

    tables: dict[str, Path]
    summary: dict
    providers: pd.DataFrame
    extra_travel: dict[str, tuple[np.ndarray, np.ndarray]] = field(default_factory=dict)


def run_care(
    cfg: RunConfig,
    data: Dataset,
    network: ServiceNetwork,
    area: StudyArea,
    travel: TravelModel,
    out: Path,
) -> CareOutput:
    """Write care_providers.csv, care_paired.csv and, with `sim.days` > 0, the simulated
    pathway's tables; return them with the summary and the figures' frames."""
    problems = care_problems(data, network, area, travel, cfg)
    onc = data.municipalities.set_index("municipality_code")["oncology_code"]
    region_of_point = area.points["municipality_code"].map(onc).to_numpy()
    paired, provs, summary, extra = [], [], {}, {}
    refs, news = {}, {}
    for name, problem in problems.items():
        rule = cfg.network.care.get(name, CareRule())
        ref = providers(problem, CareRule(CareRuleName.current))
        new = providers(problem, rule)
        refs[name], news[name] = ref, new
        iv = problem.config
        norm = rule.norm or iv.norm_proposed or iv.norm_current
        paired += paired_rows(problem, ref, new, cfg.care.refuse_above_min, region_of_point)
        idx = np.arange(len(problem.weight))
        extra[name] = (
            problem.minutes[idx, new.choice] - problem.minutes[idx, ref.choice],
            problem.weight,
        )
        provs.append(provider_rows(problem, ref, new, norm, new.report))
        vol_new = new.volume[new.providers]
        summary[name] = {
            "rule": rule.rule.value,
            "norm": norm,
            "providers_current": len(ref.providers),
            "providers_new": len(new.providers),
            "meeting_norm_current": int((ref.volume[ref.providers] >= norm).sum()),
            "meeting_norm_new": int((vol_new >= norm).sum()),
            "patients_per_year": round(float(problem.weight.sum())),
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
    if cfg.sim.days > 0:
        pathway_tables, pathway = simulate_pathways(problems, refs, news, cfg, region_of_point, out)
        tables.update(pathway_tables)
        for name, s in pathway.items():
            summary[name]["pathway"] = s
    return CareOutput(tables, summary, prov_df, extra)


def simulate_pathways(
    problems: dict, ref: dict, new: dict, cfg: RunConfig, region_of_point: np.ndarray, out: Path
) -> tuple[dict[str, Path], dict]:
    """Run today's and the new network on the same patients; paired waits and utilisation."""
    frames, centres = [], []
    horizon = cfg.sim.days * 1440.0
    streams = Streams(cfg.sim.seed, cfg.sim.replication)
    for label, assignments in (("current", ref), ("new", new)):
        model = CareModel(
            problems, assignments, ref, cfg.care, cfg.sim.days, streams, region_of_point
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
                        "ward_beds": c.ward.capacity,
                        "icu_beds": c.icu.capacity,
                        "ward_utilisation": c.ward_minutes / (c.ward.capacity * horizon),
                        "icu_utilisation": c.icu_minutes / (c.icu.capacity * horizon),
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
    }
    write_frame(patients, paths["care_patients"])
    write_frame(table, paths["care_pathway"])
    write_frame(pd.DataFrame(centres, columns=CENTRE_COLUMNS), paths["care_centres"])
    nat = table[table["region"] == "NL"].set_index(["intervention", "network"])
    summary = {
        name: {
            f"{col}_{label}": None
            if pd.isna(nat.loc[(name, label), col])
            else round(float(nat.loc[(name, label), col]), 4)
            for label in ("current", "new")
            for col in ("wait_weeks_p50", "share_within_treeknorm", "acute_to_surgery_min_p90")
            if (name, label) in nat.index
        }
        for name in problems
    }
    return paths, summary
