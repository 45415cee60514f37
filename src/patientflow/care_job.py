"""The complex-care job: every configured intervention under the network's rules, paired with
today's providers on the same patients; tables, figures and the summary block."""

from __future__ import annotations

import logging
from pathlib import Path

import numpy as np
import pandas as pd

from patientflow.accessibility import StudyArea
from patientflow.care_config import CareRule, CareRuleName
from patientflow.care_study import care_problems, paired_rows, provider_rows, providers
from patientflow.config import RunConfig
from patientflow.data import Dataset
from patientflow.geo import TravelModel
from patientflow.network import ServiceNetwork
from patientflow.report.care_figures import extra_travel_figure, provider_map, volume_figure

log = logging.getLogger(__name__)


def run_care(
    cfg: RunConfig,
    data: Dataset,
    network: ServiceNetwork,
    area: StudyArea,
    travel: TravelModel,
    out: Path,
) -> tuple[dict[str, Path], dict[str, Path], dict]:
    """Write care_providers.csv, care_paired.csv and the three figures; return the summary."""
    problems = care_problems(data, network, area, travel, cfg)
    onc = data.municipalities.set_index("municipality_code")["oncology_code"]
    region_of_point = area.points["municipality_code"].map(onc).to_numpy()
    paired, provs, summary, extra = [], [], {}, {}
    for name, problem in problems.items():
        rule = cfg.network.care.get(name, CareRule())
        ref = providers(problem, CareRule(CareRuleName.current))
        new = providers(problem, rule)
        iv = problem.config
        norm = rule.norm or (iv.norm_proposed if rule.rule is CareRuleName.volume_norm else 0.0)
        norm = norm or iv.norm_proposed or iv.norm_current
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
    tables = {"care_paired": out / "care_paired.csv", "care_providers": out / "care_providers.csv"}
    paired_df.to_csv(tables["care_paired"], index=False, lineterminator="\n")
    prov_df.to_csv(tables["care_providers"], index=False, lineterminator="\n")
    figures = {}
    if cfg.report.figures:
        figures = {
            "care_map": provider_map(
                prov_df,
                out / "care_providers_map.png",
                network.name,
                data.demand_points,
                dpi=cfg.report.dpi,
            ),
            "care_volumes": volume_figure(
                prov_df, out / "care_volumes.png", network.name, dpi=cfg.report.dpi
            ),
            "care_extra_travel": extra_travel_figure(
                extra, out / "care_extra_travel.png", network.name, dpi=cfg.report.dpi
            ),
        }
    return tables, figures, summary
