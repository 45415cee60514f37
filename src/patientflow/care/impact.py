"""The regional impact analysis of complex care, for the four groups the Ministry asks about:
patients (impact_patients.py), professionals and providers (impact_providers.py) and networks
(impact_networks.py), assembled here with the national headline per group. Static: expected
patients per year under the referral model, today against the network configuration."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from patientflow.care.choice import Referrals
from patientflow.care.impact_networks import flow_rows, vascular_of_points, vascular_standard_rows
from patientflow.care.impact_patients import (
    PathwayFlows,
    municipality_rows,
    pathway_flows,
    patient_rows,
    point_regions,
)
from patientflow.care.impact_providers import (
    hospital_regions,
    hospital_rows,
    professional_rows,
    provider_intervention_rows,
    region_rows,
)
from patientflow.care.study import CareProblem
from patientflow.config.schema import RunConfig
from patientflow.core.statistics import weighted_mean, weighted_quantile


@dataclass
class ImpactOutput:
    """The impact analysis' tables (as frames) and its national summary."""

    patients: pd.DataFrame
    municipalities: pd.DataFrame
    per_intervention: pd.DataFrame
    professionals: pd.DataFrame
    hospitals: pd.DataFrame
    regions: pd.DataFrame
    flows: pd.DataFrame
    vascular: pd.DataFrame
    summary: dict


def impact_analysis(
    problems: dict[str, CareProblem],
    refs: dict[str, Referrals],
    news: dict[str, Referrals],
    cfg: RunConfig,
    points: pd.DataFrame,
    municipalities: pd.DataFrame,
    vascular: pd.DataFrame,
    seh_247: dict[str, set[str]],
    sites: pd.DataFrame,
) -> ImpactOutput:
    """The four groups' tables for every configured intervention, and the national summary.
    `seh_247`: the sites with a 24/7 SEH today ("current", the 2025 sites) and in the network
    ("new")."""
    vascular_of_point = vascular_of_points(problems, vascular)
    regions = point_regions(points, municipalities, vascular_of_point)
    share65 = (
        points["municipality_code"]
        .map(municipalities.set_index("municipality_code")["share_65plus"])
        .to_numpy(dtype=float)
    )
    threshold = cfg.care.impact.travel_threshold_min
    pat, muni, per_iv, flow = [], [], [], []
    pathways = {}
    for name, problem in problems.items():
        pf = pathway_flows(problem, refs[name], news[name], cfg)
        pathways[name] = pf
        pat += patient_rows(pf, problem, regions, share65, threshold)
        muni.append(municipality_rows(pf, points))
        per_iv.append(provider_intervention_rows(problem, refs[name], news[name], pf, cfg))
        flow.append(flow_rows(pf, problem))
    per_iv_df = pd.concat(per_iv, ignore_index=True)
    prof = professional_rows(per_iv_df, cfg)
    hosp = hospital_rows(per_iv_df, cfg, seh_247, sites.set_index("site_id")["name"])
    vasc = vascular_standard_rows(per_iv_df, problems, vascular, vascular_of_point, cfg)
    patients = pd.DataFrame(pat)
    where = hospital_regions(hosp["site_id"], sites, municipalities, vascular)
    out = ImpactOutput(
        patients=patients,
        municipalities=pd.concat(muni, ignore_index=True),
        per_intervention=per_iv_df,
        professionals=prof,
        hospitals=hosp,
        regions=region_rows(prof, hosp, where),
        flows=pd.concat(flow, ignore_index=True),
        vascular=vasc,
        summary={},
    )
    out.summary = national_summary(out, pathways)
    return out


def national_summary(out: ImpactOutput, pathways: dict[str, PathwayFlows]) -> dict:
    """The headline number of each group, nationally, today and in the network."""
    nl = out.patients[out.patients["level"] == "NL"]
    w = nl["patients"]
    all_w = np.concatenate([p.patients for p in pathways.values()])
    all_x = np.concatenate([p.extra for p in pathways.values()])
    moved = np.concatenate([p.src != p.dst for p in pathways.values()])
    prof, hosp, vasc = out.professionals, out.hospitals, out.vascular
    had = hosp["interventions_current"] > 0
    return {
        "patients": {
            "patients_per_year": round(float(w.sum()), 1),
            "patients_moved": round(float(all_w[moved].sum()), 1),
            "extra_min_per_pathway_mean": round(weighted_mean(all_x, all_w), 2),
            "extra_min_per_pathway_p90_moved": round(
                weighted_quantile(all_x[moved], all_w[moved], 0.9), 2
            )
            if moved.any()
            else 0.0,
            "patients_over_threshold_current": round(
                float(nl["patients_over_threshold_current"].sum()), 1
            ),
            "patients_over_threshold_new": round(float(nl["patients_over_threshold_new"].sum()), 1),
        },
        "professionals": {
            "surgeons_needed_current": float(prof["surgeons_needed_current"].sum()),
            "surgeons_needed_new": float(prof["surgeons_needed_new"].sum()),
            "fte_released": float(prof["fte_released"].sum()),
            "fte_to_recruit": float(prof["fte_to_recruit"].sum()),
            "or_sessions_per_week_current": round(
                float(prof["or_sessions_per_week_current"].sum()), 1
            ),
            "or_sessions_per_week_new": round(float(prof["or_sessions_per_week_new"].sum()), 1),
        },
        "providers": {
            "hospitals_with_complex_care_current": int(had.sum()),
            "hospitals_with_complex_care_new": int((hosp["interventions_new"] > 0).sum()),
            "hospitals_losing_every_complex_operation": int(
                (had & (hosp["interventions_new"] == 0)).sum()
            ),
            "hospitals_losing_regional_function": int(hosp["loses_regional_function"].sum()),
            "stage_visits_kept_shared_care": round(
                float(hosp["stage_visits_kept_shared_care"].sum()), 1
            ),
        },
        "networks": {
            "vascular_networks": int(vasc["vascular_network"].nunique()) if len(vasc) else 0,
            "vascular_networks_meeting_standard_current": int(
                vasc.loc[vasc["network_config"] == "current", "meets_standard"].sum()
            )
            if len(vasc)
            else 0,
            "vascular_networks_meeting_standard_new": int(
                vasc.loc[vasc["network_config"] == "new", "meets_standard"].sum()
            )
            if len(vasc)
            else 0,
            "patients_referred_between_hospitals": round(
                float(out.flows.loc[out.flows["moved"], "patients"].sum()), 1
            ),
        },
    }
