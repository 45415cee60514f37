"""The patients' side of the impact analysis: each patient flow's whole pathway (stages,
visits and the hospital of each, under shared care), and the patients' indicators per region
of every level and per municipality."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

import numpy as np
import pandas as pd

from patientflow.care.choice import Referrals, flows
from patientflow.care.study import CareProblem
from patientflow.config.impact import StagePlace
from patientflow.config.schema import RunConfig
from patientflow.core.statistics import groups_of, weighted_mean, weighted_quantile

LEVELS = ("cancer_network", "vascular_network", "roaz", "zorgkantoor")


@dataclass
class PathwayFlows:
    """One intervention's patient flows (point, today's provider, new provider, patients a
    year) with each stage's hospital today and in the network, and the pathway's minutes."""

    name: str
    point: np.ndarray
    src: np.ndarray
    dst: np.ndarray
    patients: np.ndarray
    visits: float
    minutes_current: np.ndarray
    minutes_new: np.ndarray
    stage_sites: dict[str, tuple[np.ndarray, np.ndarray, float]]

    @property
    def extra(self) -> np.ndarray:
        return self.minutes_new - self.minutes_current


def shared_care_of(cfg: RunConfig, networks: np.ndarray) -> np.ndarray:
    """Whether shared care applies to each hospital (by its cancer network)."""
    own = cfg.network.shared_care_per_network
    return np.array([own.get(str(n), cfg.network.shared_care) for n in networks], dtype=bool)


def open_in_network(problem: CareProblem) -> np.ndarray:
    """Whether each candidate hospital is open in the network (`network.closed_sites` close a
    hospital for good: no stage of a pathway happens there)."""
    is_open = np.ones(len(problem.candidates), dtype=bool)
    is_open[problem.closed] = False
    return is_open


def pathway_flows(
    problem: CareProblem, ref: Referrals, new: Referrals, cfg: RunConfig
) -> PathwayFlows:
    """Every flow's stages: `centre` stages at today's and the new provider; `shared` stages at
    today's provider, and in the network at the provider that lost the operation when shared
    care applies there and the network keeps it open (else at the new centre); `local` stages
    at the nearest hospital, in the network the nearest open one. The pathway's one-way car
    minutes are the visits times the minutes to each stage's hospital."""
    point, src, dst, share = flows(ref, new)
    t = problem.minutes
    is_open = open_in_network(problem)
    nearest = np.argmin(t, axis=1)
    nearest_open = np.argmin(np.where(is_open, t, np.inf), axis=1)
    shared = shared_care_of(cfg, problem.candidates["network"].to_numpy()) & is_open
    moved = src != dst
    stage_sites: dict[str, tuple[np.ndarray, np.ndarray, float]] = {}
    cur = np.zeros(len(point))
    nxt = np.zeros(len(point))
    visits = 0.0
    for stage, s in problem.config.stages.items():
        if s.visits <= 0:
            continue
        if s.place is StagePlace.centre:
            a, b = src, dst
        elif s.place is StagePlace.shared:
            a, b = src, np.where(moved & shared[src], src, dst)
        else:
            a, b = nearest[point], nearest_open[point]
        stage_sites[stage] = (a, b, s.visits)
        cur += s.visits * t[point, a]
        nxt += s.visits * t[point, b]
        visits += s.visits
    return PathwayFlows(
        name=problem.name,
        point=point,
        src=src,
        dst=dst,
        patients=problem.weight[point] * share,
        visits=visits,
        minutes_current=cur,
        minutes_new=nxt,
        stage_sites=stage_sites,
    )


def point_regions(
    area_points: pd.DataFrame,
    municipalities: pd.DataFrame,
    vascular_of_point: np.ndarray,
) -> dict[str, np.ndarray]:
    """Each demand point's region at every level: cancer network, vascular network, ROAZ
    region and zorgkantoor region."""
    m = municipalities.set_index("municipality_code")
    codes = area_points["municipality_code"]
    return {
        "cancer_network": codes.map(m["oncology_code"]).to_numpy(),
        "vascular_network": vascular_of_point,
        "roaz": codes.map(m["roaz_code"]).to_numpy(),
        "zorgkantoor": codes.map(m["zorgkantoor_code"]).to_numpy(),
    }


def _flow_groups(
    point: np.ndarray, regions: dict[str, np.ndarray]
) -> Iterator[tuple[str, str, np.ndarray]]:
    """(level, region, flow indices): the nation, then every region of every level in name
    order."""
    yield "NL", "NL", np.arange(len(point))
    for level in LEVELS:
        for name, idx in groups_of(regions[level], point):
            yield level, name, idx


def patient_rows(
    pf: PathwayFlows,
    problem: CareProblem,
    regions: dict[str, np.ndarray],
    share65: np.ndarray,
    threshold: float,
) -> list[dict]:
    """The patients' indicators of one intervention, nationally and per region of every level:
    extra minutes per visit and per pathway (mean over all patients, p90 and max over those who
    move), the same for the 65+ (weighted by their municipality's 65+ share), and the patients
    whose one-way car minutes to the hospital of surgery exceed `threshold`."""
    t = problem.minutes
    to_centre_cur, to_centre_new = t[pf.point, pf.src], t[pf.point, pf.dst]
    moved = pf.src != pf.dst
    all_extra = pf.extra
    rows = []
    for level, region, sel in _flow_groups(pf.point, regions):
        w = pf.patients[sel]
        extra = all_extra[sel]
        w65 = w * share65[pf.point[sel]]
        mv = moved[sel]
        rows.append(
            {
                "intervention": pf.name,
                "level": level,
                "region": region,
                "patients": float(w.sum()),
                "visits_per_pathway": pf.visits,
                "extra_min_per_visit_mean": weighted_mean(extra, w) / pf.visits
                if pf.visits
                else 0.0,
                "extra_min_per_pathway_mean": weighted_mean(extra, w),
                "extra_min_per_pathway_p90_moved": weighted_quantile(extra[mv], w[mv], 0.9)
                if mv.any()
                else 0.0,
                "extra_min_per_pathway_max": float(extra[w > 0].max()) if (w > 0).any() else 0.0,
                "extra_min_per_pathway_mean_65plus": weighted_mean(extra, w65),
                "patients_65plus": float(w65.sum()),
                "patients_moved": float(w[mv].sum()),
                "patients_over_threshold_current": float(w[to_centre_cur[sel] > threshold].sum()),
                "patients_over_threshold_new": float(w[to_centre_new[sel] > threshold].sum()),
            }
        )
    return rows


def municipality_rows(pf: PathwayFlows, points: pd.DataFrame) -> pd.DataFrame:
    """Per municipality: expected patients and their mean extra minutes per pathway."""
    muni = points["municipality_code"].to_numpy()[pf.point]
    df = pd.DataFrame({"municipality_code": muni, "w": pf.patients, "wx": pf.patients * pf.extra})
    g = df.groupby("municipality_code").sum()
    g["extra_min_per_pathway_mean"] = np.where(g["w"] > 0, g["wx"] / g["w"].where(g["w"] > 0), 0)
    return (
        g.rename(columns={"w": "patients"})
        .drop(columns="wx")
        .reset_index()
        .assign(intervention=pf.name)
    )
