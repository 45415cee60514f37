"""The ruptured aortic aneurysm as the acute case it is: the ambulance takes a recognised
rupture straight to the nearest repair centre (a provider of AAA repair in the network), the
others to the nearest open SEH, from which a patient is transferred when that SEH does not
repair aneurysms. Minutes from call to operation per demand point, today and in the network,
per municipality (care_aaa_acute.csv) and nationally (docs/complex-care.md)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from patientflow.care.choice import Referrals
from patientflow.care.study import CareProblem
from patientflow.config.care import CareConfig
from patientflow.config.ruptured import RupturedAaaConfig
from patientflow.core.area import StudyArea
from patientflow.core.files import write_frame
from patientflow.core.statistics import weighted_mean, weighted_quantile

TABLE_COLUMNS = [
    "intervention",
    "municipality_code",
    "municipality",
    "acute_patients",
    "call_to_operation_min_current",
    "call_to_operation_min_new",
    "share_transferred_current",
    "share_transferred_new",
    "share_nearest_centre_changed",
]


def _columns(cfg: RupturedAaaConfig) -> list[str]:
    """The table's columns: the assumed change in deaths only when a relation is configured."""
    return TABLE_COLUMNS + (["deaths_change_assumed"] if cfg.mortality_per_hour > 0 else [])


@dataclass(frozen=True)
class RupturedRoutes:
    """Per demand point, the two routes of an acute patient under one set of repair centres:
    recognised, by ambulance to the nearest centre (`direct`, candidate index, `direct_min`
    ambulance minutes); not recognised, to the nearest SEH (`seh_min`), where it is operated
    when that SEH is a centre, or else `transferred` to the centre nearest to that SEH
    (`via_seh`, `transfer_min` its ambulance minutes, 0 without a transfer)."""

    direct: np.ndarray
    direct_min: np.ndarray
    seh_min: np.ndarray
    via_seh: np.ndarray
    transfer_min: np.ndarray
    transferred: np.ndarray


def ruptured_routes(
    ambulance: np.ndarray,
    seh_ambulance: np.ndarray,
    seh_to_candidate: np.ndarray,
    seh_candidate: np.ndarray,
    centres: list[int],
) -> RupturedRoutes:
    """The routes from ambulance minutes points x candidates, points x SEHs and SEHs x
    candidates, each SEH's candidate index (-1: none) and the repair centres (candidate
    indices)."""
    centres_ = np.asarray(sorted(centres), dtype=int)
    points = np.arange(len(ambulance))
    nearest = np.argmin(ambulance[:, centres_], axis=1)
    seh = np.argmin(seh_ambulance, axis=1)
    repairs = np.isin(seh_candidate, centres_)
    onward = np.argmin(seh_to_candidate[:, centres_], axis=1)
    seh_rows = np.arange(len(seh_to_candidate))
    seh_centre = np.where(repairs, seh_candidate, centres_[onward])
    seh_transfer = np.where(repairs, 0.0, seh_to_candidate[seh_rows, centres_[onward]])
    return RupturedRoutes(
        direct=centres_[nearest],
        direct_min=ambulance[points, centres_[nearest]],
        seh_min=seh_ambulance[points, seh],
        via_seh=seh_centre[seh],
        transfer_min=seh_transfer[seh],
        transferred=~repairs[seh],
    )


def routes_of(problem: CareProblem, centres: list[int], in_network: bool = False) -> RupturedRoutes:
    """The routes of an intervention's acute patients to these repair centres, by today's
    SEHs or (`in_network`) by those the network keeps open."""
    seh = problem.seh_ambulance
    if in_network and len(problem.seh_open_new):
        seh = np.where(problem.seh_open_new[None, :], seh, np.inf)
    return ruptured_routes(
        problem.ambulance,
        seh,
        problem.seh_to_candidate,
        problem.seh_candidate,
        centres,
    )


def arrival_min(routes: RupturedRoutes, cfg: RupturedAaaConfig) -> tuple[np.ndarray, np.ndarray]:
    """Minutes from the call to arrival at the repair centre per demand point, recognised
    (response + ride) and not (response + ride to the SEH, plus door-in-door-out and the
    transfer ride where transferred)."""
    direct = cfg.response_min + routes.direct_min
    transfer = np.where(routes.transferred, cfg.door_in_door_out_min + routes.transfer_min, 0.0)
    return direct, cfg.response_min + routes.seh_min + transfer


def call_to_operation(
    routes: RupturedRoutes, cfg: RupturedAaaConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Minutes from the call to the operation per demand point, recognised and not: the
    arrival at the centre plus the preparation."""
    direct, via = arrival_min(routes, cfg)
    return direct + cfg.prep_min, via + cfg.prep_min


def expected_call_to_operation(
    routes: RupturedRoutes, cfg: RupturedAaaConfig
) -> tuple[np.ndarray, np.ndarray]:
    """Per demand point the expected minutes from call to operation over the recognised share
    and the others, and the share of patients transferred."""
    direct, via = call_to_operation(routes, cfg)
    p = cfg.recognised_share
    return p * direct + (1.0 - p) * via, (1.0 - p) * routes.transferred


def acute_load(problem: CareProblem, routes: RupturedRoutes, cfg: RupturedAaaConfig) -> np.ndarray:
    """Expected acute patients per candidate hospital per year: where the routes take them."""
    w = problem.weight * problem.config.acute_share
    p, n = cfg.recognised_share, len(problem.candidates)
    return np.bincount(routes.direct, w * p, minlength=n) + np.bincount(
        routes.via_seh, w * (1.0 - p), minlength=n
    )


def _national(routes: RupturedRoutes, cfg: RupturedAaaConfig, w: np.ndarray, label: str) -> dict:
    """Mean and p90 minutes from call to operation over the acute patients (both routes with
    their shares) and the share transferred."""
    direct, via = call_to_operation(routes, cfg)
    p = cfg.recognised_share
    minutes = np.concatenate([direct, via])
    weights = np.concatenate([w * p, w * (1.0 - p)])
    _, transferred = expected_call_to_operation(routes, cfg)
    return {
        f"call_to_operation_min_mean_{label}": round(weighted_mean(minutes, weights), 2),
        f"call_to_operation_min_p90_{label}": round(weighted_quantile(minutes, weights, 0.9), 2),
        f"share_transferred_{label}": round(weighted_mean(transferred, w), 4),
    }


def ruptured_rows(
    problem: CareProblem,
    ref: Referrals,
    new: Referrals,
    cfg: RupturedAaaConfig,
    area: StudyArea,
) -> tuple[pd.DataFrame, dict]:
    """One intervention's acute patients today and in the network: per municipality the
    patients, the expected minutes from call to operation, the shares transferred, the share
    whose nearest repair centre changed (and the assumed change in deaths when configured);
    the national block for the summary."""
    w = problem.weight * problem.config.acute_share
    before = routes_of(problem, ref.providers, in_network=False)
    after = routes_of(problem, new.providers, in_network=True)
    t_ref, s_ref = expected_call_to_operation(before, cfg)
    t_new, s_new = expected_call_to_operation(after, cfg)
    deaths = w * cfg.mortality_per_hour * (t_new - t_ref) / 60.0
    per_point = pd.DataFrame(
        {
            "municipality_code": area.points["municipality_code"].to_numpy(),
            "acute_patients": w,
            "call_to_operation_min_current": w * t_ref,
            "call_to_operation_min_new": w * t_new,
            "share_transferred_current": w * s_ref,
            "share_transferred_new": w * s_new,
            "share_nearest_centre_changed": w * (before.direct != after.direct),
            "deaths_change_assumed": deaths,
        }
    )
    per_muni = per_point.groupby("municipality_code", sort=True).sum()
    patients = per_muni["acute_patients"].where(per_muni["acute_patients"] > 0)
    for col in TABLE_COLUMNS[4:]:
        per_muni[col] = per_muni[col] / patients
    names = area.municipalities.set_index("municipality_code")["name"]
    per_muni.insert(0, "municipality", per_muni.index.map(names))
    per_muni.insert(0, "intervention", problem.name)
    columns = _columns(cfg)
    national = {
        "acute_patients": round(float(w.sum()), 1),
        "recognised_share": cfg.recognised_share,
        **_national(before, cfg, w, "current"),
        **_national(after, cfg, w, "new"),
    }
    if cfg.mortality_per_hour > 0:
        national["deaths_change_assumed"] = round(float(deaths.sum()), 2)
    return per_muni.reset_index()[columns], national


def ruptured_aaa(
    problems: dict[str, CareProblem],
    refs: dict[str, Referrals],
    news: dict[str, Referrals],
    care: CareConfig,
    area: StudyArea,
    summary: dict,
    out: Path,
) -> Path:
    """Write care_aaa_acute.csv for every intervention with acute patients (routed by
    `care.ruptured`) and add each one's national block to `summary[name]["ruptured"]`; the
    table's path."""
    cfg, frames = care.ruptured, []
    for name, problem in problems.items():
        if problem.config.acute_share > 0:
            frame, national = ruptured_rows(problem, refs[name], news[name], cfg, area)
            frames.append(frame)
            summary[name]["ruptured"] = national
    columns = _columns(cfg)
    table = pd.concat(frames, ignore_index=True) if frames else pd.DataFrame(columns=columns)
    return write_frame(table, out / "care_aaa_acute.csv")
