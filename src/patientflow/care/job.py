"""The complex-care job: every configured intervention under the network's rules, paired with
today's providers on the same patients; tables, figures and the summary block."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd

from patientflow.care.impact import ImpactOutput, impact_analysis
from patientflow.care.pathway_tables import bed_summary, replicated_pathways
from patientflow.care.rules import VOLUME_TOLERANCE
from patientflow.care.ruptured import ruptured_aaa
from patientflow.care.selection import norms_of, referrals_of_all
from patientflow.care.study import (
    care_problems,
    extra_travel,
    paired_rows,
    provider_rows,
    referrals_today,
    today_network,
)
from patientflow.care.wards import AcuteBedLoad
from patientflow.config.care import CareRule, norm_groups
from patientflow.config.schema import RunConfig, ScenarioConfig
from patientflow.core.area import StudyArea
from patientflow.core.files import write_frame
from patientflow.core.network import ServiceNetwork, vascular_grouping
from patientflow.core.travel import TravelModel
from patientflow.data import Dataset

log = logging.getLogger(__name__)


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
    acute: dict[str, AcuteBedLoad] | None = None,
) -> CareOutput:
    """Write care_providers.csv, care_paired.csv and, with `sim.days` > 0, the simulated
    pathway's tables; return them with the summary and the figures' frames. `acute`: the
    acute admissions each hospital's ward beds are shared with, today's ("current") and the
    network's ("new") (none: beds for complex care alone)."""
    ignored = acute_only_keys(cfg.scenario)
    if ignored:
        log.warning(
            "the care job does not follow %s (the acute model's): its complex care is the "
            "same as without them",
            ", ".join(ignored),
        )
    problems = care_problems(data, network, area, travel, cfg)
    onc = data.municipalities.set_index("municipality_code")["oncology_code"]
    region_of_point = area.points["municipality_code"].map(onc).to_numpy()
    paired, provs, summary, extra = [], [], {}, {}
    refs = {name: referrals_today(problem) for name, problem in problems.items()}
    news = referrals_of_all(problems, refs, cfg.network, cfg.care)
    tested = norm_volumes(problems, refs, news)
    for name, problem in problems.items():
        rule = cfg.network.care.get(name, CareRule())
        own = {
            net: rules[name] for net, rules in cfg.network.care_per_network.items() if name in rules
        }
        ref, new = refs[name], news[name]
        observed, volume_ref, volume_new = tested[name]
        iv = problem.config
        norm = rule.norm or iv.norm_proposed
        norms = norms_of(problem, rule, own)
        paired += paired_rows(problem, ref, new, cfg.care.refuse_above_min, problem.point_network)
        extra[name] = extra_travel(problem, ref, new)
        provs.append(provider_rows(problem, ref, new, norms, new.report, own, volume_new))
        today_ = problem.current
        meets = bool((norms > 0).any())
        summary[name] = {
            "rule": rule.rule.value,
            "norm": norm if norm > 0 else None,
            "norm_group": iv.norm_group or None,
            "rules_per_network": {
                net: {"rule": r.rule.value, "norm": r.norm or iv.norm_proposed or None}
                for net, r in sorted(own.items())
            },
            "process_norm_days": iv.process_norm_days or None,
            "providers_current": len(ref.providers),
            "providers_new": len(new.providers),
            "meeting_norm_observed": (_meeting(observed[today_], norms[today_]) if meets else None),
            "norm_old": iv.norm_current or None,
            "meeting_norm_old_observed": (
                _meeting(problem.observed[today_], iv.norm_current) if iv.norm_current > 0 else None
            ),
            "meeting_norm_current": (
                _meeting(volume_ref[ref.providers], norms[ref.providers]) if meets else None
            ),
            "meeting_norm_new": (
                _meeting(volume_new[new.providers], norms[new.providers]) if meets else None
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


def acute_only_keys(scenario: ScenarioConfig) -> list[str]:
    """The scenario's keys set away from the baseline that act on the acute model alone (its
    demand peaks, open beds behind the SEH, ZCC); complex care follows the population and
    `capacity_factor`."""
    keys = {
        "scenario.flu_peak": scenario.flu_peak.weeks > 0,
        "scenario.heatwave_days": bool(scenario.heatwave_days),
        "scenario.acute_beds_factor": scenario.acute_beds_factor != 1.0,
        "scenario.zcc": scenario.zcc.enabled,
    }
    return [key for key, set_ in keys.items() if set_]


def norm_volumes(
    problems: dict, refs: dict, news: dict
) -> dict[str, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per intervention the volumes its norm is tested on, per candidate (observed, today,
    in the network): its own, or its norm group's summed (InterventionConfig.norm_group)."""
    out = {}
    for names in norm_groups(list(problems), {n: p.config for n, p in problems.items()}):
        volumes = (
            sum(problems[n].observed for n in names),
            sum(refs[n].volume for n in names),
            sum(news[n].volume for n in names),
        )
        out.update(dict.fromkeys(names, volumes))
    return out


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
    seh_247 = {
        when: set(n.sites.loc[n.sites["open"] & n.sites["seh_open_247"], "site_id"])
        for when, n in (("current", today_network(data, cfg)), ("new", network))
    }
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


def _meeting(volumes: np.ndarray, norm: float | np.ndarray) -> int:
    """Providers whose volume reaches their norm (expected volumes are sums of floats)."""
    return int((volumes >= np.asarray(norm) - VOLUME_TOLERANCE).sum())
