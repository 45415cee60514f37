"""Complex care's problem per intervention (patients, candidate hospitals, travel, today's
providers and the fitted referral model) and the paired comparison of a network
configuration against today on the same patients: volumes per provider, travel and extra
travel, per intervention, per network and nationally. Which providers a configuration
chooses is selection.py's."""

from __future__ import annotations

from dataclasses import dataclass, field, replace

import numpy as np
import pandas as pd

from patientflow.care.choice import Referrals, fit_attraction, flows, today
from patientflow.care.rules import VOLUME_TOLERANCE
from patientflow.config.care import CareRule, InterventionConfig
from patientflow.config.schema import RunConfig
from patientflow.core.area import (
    StudyArea,
    municipality_weights,
    national_share_65plus,
    study_area,
    urban_flags,
)
from patientflow.core.network import ServiceNetwork, build_network, vascular_grouping
from patientflow.core.statistics import groups_of, weighted_mean, weighted_quantile
from patientflow.core.travel import Mode, Points, TravelModel
from patientflow.data import Dataset
from patientflow.errors import ConfigError


@dataclass
class CareProblem:
    """One intervention on the study area: expected patients per demand point (scaled so that
    the country's total equals today's observed volume), the eligible hospitals, travel minutes
    between them, today's providers with their observed volumes, and the referral model fitted
    to them (attractions, beta). Hospitals and patients belong to a network (`candidates`
    column `network`, `point_network`): the cancer network for oncology, the vascular network
    for vascular interventions. For an intervention with acute patients, the ambulance
    minutes of their routes (care/ruptured.py): from each demand point to every open SEH
    (`seh_ambulance`) and from each SEH to every candidate hospital (`seh_to_candidate`), the
    SEHs' site ids and each SEH's index among the candidates (-1: none); empty otherwise.
    Today is the 2025 sites before the network's closures: `current` and the SEHs include a
    site the network closes; `closed` lists the candidates the network closes (they stop
    under every rule, their patients move) and `seh_open_new` which SEHs the network keeps."""

    name: str
    config: InterventionConfig
    weight: np.ndarray
    candidates: pd.DataFrame
    minutes: np.ndarray
    ambulance: np.ndarray
    current: list[int]
    observed: np.ndarray
    attraction: np.ndarray
    beta: float
    fit: dict
    point_network: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))
    seh_ids: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=object))
    seh_ambulance: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    seh_to_candidate: np.ndarray = field(default_factory=lambda: np.zeros((0, 0)))
    seh_candidate: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=int))
    seh_open_new: np.ndarray = field(default_factory=lambda: np.zeros(0, dtype=bool))
    closed: list[int] = field(default_factory=list)

    @property
    def open_current(self) -> list[int]:
        """Today's providers that the network keeps open: the ones its rules start from."""
        shut = set(self.closed)
        return [j for j in self.current if j not in shut]


def expected_patients(
    area: StudyArea, iv: InterventionConfig, reference_share_65plus: float
) -> np.ndarray:
    """Patients per demand point per year: incidence x population x the 65+ age effect
    (against the national 65+ share the incidence is calibrated at)."""
    muni = area.municipalities
    w = municipality_weights(
        muni["share_65plus"].to_numpy(dtype=float), iv.age_beta, reference_share_65plus
    )
    per_person = iv.incidence_per_100k / 1e5 * w
    rate = pd.Series(per_person, index=muni["municipality_code"])
    pts = area.points
    return pts["population"].to_numpy(dtype=float) * pts["municipality_code"].map(rate).to_numpy()


def growth_since_base_year(data: Dataset, iv: InterventionConfig, reference: float) -> float:
    """The country's expected patients in the run's year over those of the base year (1 when
    the run is of the base year): the observed volumes the referral model is fitted to are
    today's, so a later year's demand grows by this."""
    base = data.base_municipalities
    if base is None:
        return 1.0

    def total(m: pd.DataFrame) -> float:
        w = municipality_weights(m["share_65plus"].to_numpy(dtype=float), iv.age_beta, reference)
        return float((m["population"].to_numpy(dtype=float) * w).sum())

    return total(data.municipalities) / total(base)


def _origins(area: StudyArea, data: Dataset, max_urb: int) -> Points:
    pts = area.points
    return Points.from_frame(
        pts, "point_id", urban_flags(pts["municipality_code"], data.municipalities, max_urb)
    )


def care_problems(
    data: Dataset, network: ServiceNetwork, area: StudyArea, travel: TravelModel, cfg: RunConfig
) -> dict[str, CareProblem]:
    """The problem of every configured intervention that the data knows. The referral model
    is fitted on the whole country (observed volumes are national), then applied to the study
    area's patients. Today's providers and SEHs are the 2025 sites' (before the network's
    closures), so a closed site's patients are counted today and move in the network."""
    sites = network.sites
    base = today_network(data, cfg)
    onc = data.municipalities.set_index("municipality_code")["oncology_code"]
    eligible = sites["open"] & sites["seh_open_247"] & (sites["icu_beds"] > 0)
    max_urb = cfg.travel.urban_max_urbanity
    origins = _origins(area, data, max_urb)
    country = study_area(data, cfg, whole_country=True)
    national_origins = _origins(country, data, max_urb)
    reference = national_share_65plus(data)
    si = data.site_interventions
    known = set(data.interventions["intervention"])
    beta = cfg.care.distance_decay_per_min
    vascular_of = vascular_grouping(data, cfg).set_index("site_id")["vascular_network"]
    point_onc = area.points["municipality_code"].map(onc).to_numpy()
    seh = base.emergency_departments()
    seh_open_new = seh["site_id"].isin(network.emergency_departments()["site_id"]).to_numpy()
    seh_points = Points.from_frame(
        seh, "site_id", urban_flags(seh["municipality_code"], data.municipalities, max_urb)
    )
    out = {}
    for name, iv in cfg.care.interventions.items():
        if name not in known:
            raise ConfigError(
                f"care.interventions.{name}",
                name,
                "is not an intervention in the interventions table",
            )
        today = set(base.providers[name].frame["id"])
        # a norm group's interventions share their candidates (selection.referrals_of_group)
        partners = [
            n
            for n, other in cfg.care.interventions.items()
            if iv.norm_group and other.norm_group == iv.norm_group and n in known
        ]
        mask = eligible | sites["site_id"].isin(
            today.union(*(base.providers[n].frame["id"] for n in partners))
        )
        cand = sites[mask].reset_index(drop=True).rename(columns={"site_id": "id"})
        vascular = iv.group == "vascular"
        cand["network"] = (
            cand["id"].map(vascular_of).fillna("").to_numpy()
            if vascular
            else cand["municipality_code"].map(onc)
        )
        dest = Points.from_frame(
            cand, "id", urban_flags(cand["municipality_code"], data.municipalities, max_urb)
        )
        minutes = travel.minutes(origins, dest, Mode.car)
        volume_of = si[si["intervention"] == name].groupby("site_id")["annual_volume"].sum()
        observed = cand["id"].map(volume_of).fillna(0.0).to_numpy(dtype=float)
        current = [i for i, s in enumerate(cand["id"]) if s in today]
        if not current:
            raise ConfigError(
                f"care.interventions.{name}",
                name,
                "has no open provider with a volume in the site_interventions table",
            )
        national_minutes = travel.minutes(national_origins, dest, Mode.car)
        attraction, fit = fit_attraction(
            national_minutes, expected_patients(country, iv, reference), observed, current, beta
        )
        attraction[[i for i in range(len(cand)) if i not in current]] = float(
            np.median(attraction[current])
        )
        fit["incidence_per_100k_configured"] = iv.incidence_per_100k
        fit["incidence_per_100k_observed"] = iv.incidence_per_100k * fit["demand_scale"]
        out[name] = CareProblem(
            name=name,
            config=iv,
            weight=expected_patients(area, iv, reference)
            * fit["demand_scale"]
            * growth_since_base_year(data, iv, reference),
            candidates=cand,
            minutes=minutes,
            ambulance=travel.minutes(origins, dest, Mode.ambulance),
            point_network=network_of_points(minutes, cand["network"].to_numpy())
            if vascular
            else point_onc,
            current=current,
            observed=observed,
            attraction=attraction,
            beta=beta,
            fit=fit,
            closed=[j for j in range(len(cand)) if not cand["open"].iat[j]],
            **(
                {**_seh_minutes(travel, origins, seh_points, dest), "seh_open_new": seh_open_new}
                if iv.acute_share > 0
                else {}
            ),
        )
    return out


def today_network(data: Dataset, cfg: RunConfig) -> ServiceNetwork:
    """Today's network: the 2025 sites without the configuration's closures."""
    return build_network(data, replace(cfg.network, closed_sites=[], night_closures=[]))


def _seh_minutes(travel: TravelModel, origins: Points, seh: Points, dest: Points) -> dict:
    """The ambulance minutes of an acute patient's routes: demand points to every open SEH,
    and each SEH to every candidate hospital (a small matrix), with each SEH's candidate index."""
    where = {site: j for j, site in enumerate(dest.ids)}
    return {
        "seh_ids": seh.ids,
        "seh_ambulance": travel.minutes(origins, seh, Mode.ambulance),
        "seh_to_candidate": travel.minutes(seh, dest, Mode.ambulance),
        "seh_candidate": np.array([where.get(site, -1) for site in seh.ids], dtype=int),
    }


def network_of_points(minutes: np.ndarray, hospital_network: np.ndarray) -> np.ndarray:
    """Each demand point's network: that of its nearest hospital (by car) that belongs to
    one."""
    member = np.array([bool(n) and n == n for n in hospital_network])
    if not member.any():
        return np.full(minutes.shape[0], "", dtype=object)
    masked = np.where(member[None, :], minutes, np.inf)
    return hospital_network[np.argmin(masked, axis=1)]


def referrals_today(problem: CareProblem) -> Referrals:
    """Today's referrals of the study area's patients under the fitted model."""
    return today(problem.minutes, problem.weight, problem.attraction, problem.current, problem.beta)


def _travel_stats(minutes: np.ndarray, w: np.ndarray, prefix: str) -> dict:
    return {
        f"{prefix}_mean": weighted_mean(minutes, w),
        f"{prefix}_p90": weighted_quantile(minutes, w, 0.9),
        f"{prefix}_max": float(minutes[w > 0].max()) if (w > 0).any() else float("nan"),
    }


def deaths_change(
    iv: InterventionConfig, volume_ref: np.ndarray, volume_new: np.ndarray
) -> np.ndarray:
    """Change in expected deaths per patient from a volume-outcome relation (an assumption the
    user configures): mortality x (rr_per_doubling ** log2(new volume / old volume) - 1)."""
    ratio = np.divide(volume_new, volume_ref, out=np.ones_like(volume_new), where=volume_ref > 0)
    return iv.mortality * (iv.rr_per_doubling ** np.log2(ratio) - 1.0)


def extra_travel(
    problem: CareProblem, ref: Referrals, new: Referrals
) -> tuple[np.ndarray, np.ndarray]:
    """Extra car minutes per patient flow (new provider minus today's; 0 for those who stay)
    and the flow's expected patients per year."""
    point, src, dst, share = flows(ref, new)
    extra = problem.minutes[point, dst] - problem.minutes[point, src]
    return extra, problem.weight[point] * share


def paired_rows(
    problem: CareProblem,
    ref: Referrals,
    new: Referrals,
    refuse_min: float,
    region_of_point: np.ndarray,
) -> list[dict]:
    """Indicators of one intervention, national and per cancer network, today vs new. Every
    patient flow counts with its expected patients: travel to today's and to the new provider,
    the extra travel of those who move (0 for those who stay)."""
    rows = []
    point, src, dst, share = flows(ref, new)
    w_flow = problem.weight[point] * share
    t_ref, t_new = problem.minutes[point, src], problem.minutes[point, dst]
    a_ref, a_new = problem.ambulance[point, src], problem.ambulance[point, dst]
    extra = t_new - t_ref
    acute = problem.config.acute_share
    groups = [("NL", np.arange(len(point))), *groups_of(region_of_point, point)]
    for region, sel in groups:
        w = w_flow[sel]
        row = {"intervention": problem.name, "region": region, "patients": float(w.sum())}
        row.update(_travel_stats(t_ref[sel], w, "travel_min_current"))
        row.update(_travel_stats(t_new[sel], w, "travel_min_new"))
        row["extra_travel_min_mean"] = weighted_mean(extra[sel], w)
        tot = w.sum()
        row["share_moved"] = float(w[src[sel] != dst[sel]].sum() / tot) if tot else 0.0
        row["share_extra_over_30"] = float(w[extra[sel] > 30].sum() / tot) if tot else 0.0
        row["share_extra_over_60"] = float(w[extra[sel] > 60].sum() / tot) if tot else 0.0
        row["would_refuse_new"] = float(w[t_new[sel] > refuse_min].sum())
        if problem.config.mortality > 0 and problem.config.rr_per_doubling > 0:
            change = deaths_change(problem.config, ref.volume[src[sel]], new.volume[dst[sel]])
            row["deaths_change_assumed"] = float((w * change).sum())
        if acute > 0:
            row["acute_ambulance_min_p90_current"] = weighted_quantile(a_ref[sel], w * acute, 0.9)
            row["acute_ambulance_min_p90_new"] = weighted_quantile(a_new[sel], w * acute, 0.9)
        rows.append(row)
    return rows


def provider_rows(
    problem: CareProblem,
    ref: Referrals,
    new: Referrals,
    norm: np.ndarray,
    report: dict,
    own_rules: dict[str, CareRule] | None = None,
    tested_new: np.ndarray | None = None,
) -> pd.DataFrame:
    """One row per hospital that provides the intervention in either configuration: today's
    observed volume, the volume the fitted model gives today (equal up to the fit) and in the
    new network, the norm it is held to, the volume that norm is tested on in the network
    (`tested_new`: its norm group's summed, else its own), and its cancer network's own rule
    where it has one (`own_rules`; empty: the national rule)."""
    cand = problem.candidates
    tested = new.volume if tested_new is None else tested_new
    used = sorted(set(ref.providers) | set(new.providers))
    return pd.DataFrame(
        {
            "intervention": problem.name,
            "site_id": cand["id"].to_numpy()[used],
            "name": cand["name"].to_numpy()[used],
            "network": cand["network"].to_numpy()[used],
            "lat": cand["lat"].to_numpy()[used],
            "lon": cand["lon"].to_numpy()[used],
            "provider_current": [u in ref.providers for u in used],
            "provider_new": [u in new.providers for u in used],
            "volume_observed": problem.observed[used],
            "volume_current": ref.volume[used],
            "volume_new": new.volume[used],
            "norm": norm[used],
            "norm_group": problem.config.norm_group,
            "volume_tested_new": tested[used],
            "meets_norm_new": [
                (u in new.providers) and tested[u] >= norm[u] - VOLUME_TOLERANCE for u in used
            ],
            "rule_note": report.get("message", "") or report.get("method", ""),
            "own_network_rule": [
                (own_rules or {})[n].rule.value if n in (own_rules or {}) else ""
                for n in cand["network"].to_numpy()[used]
            ],
        }
    )
