"""The providers' and professionals' side of the impact analysis: per hospital and
intervention volumes, stage visits, operating sessions, surgeons and production value; per
hospital the regional function; per region their totals."""

from __future__ import annotations

import numpy as np
import pandas as pd

from patientflow.care.choice import Referrals
from patientflow.care.impact_patients import (
    LEVELS,
    PathwayFlows,
    open_in_network,
    shared_care_of,
)
from patientflow.care.study import CareProblem
from patientflow.config.impact import StagePlace
from patientflow.config.schema import RunConfig
from patientflow.core.distributions import Distribution

HUB_INFLOW_SHARE = 0.1
WEEKS_PER_YEAR = 52.0


def stage_visits(pf: PathwayFlows, n_sites: int) -> tuple[np.ndarray, np.ndarray]:
    """Visits a year per candidate hospital, today and in the network (all stages but the
    operation)."""
    cur, new = np.zeros(n_sites), np.zeros(n_sites)
    for stage, (a, b, visits) in pf.stage_sites.items():
        if stage == "operation":
            continue
        cur += np.bincount(a, weights=pf.patients * visits, minlength=n_sites)
        new += np.bincount(b, weights=pf.patients * visits, minlength=n_sites)
    return cur, new


def stage_value(
    pf: PathwayFlows, tariffs: dict[str, float], n_sites: int
) -> tuple[np.ndarray, np.ndarray]:
    """Production value a year per candidate hospital of the stages it hosts (all but the
    operation), each stage's visits at its own tariff per visit, today and in the network."""
    cur, new = np.zeros(n_sites), np.zeros(n_sites)
    for stage, (a, b, visits) in pf.stage_sites.items():
        if stage == "operation":
            continue
        per_patient = visits * tariffs.get(stage, 0.0)
        cur += np.bincount(a, weights=pf.patients * per_patient, minlength=n_sites)
        new += np.bincount(b, weights=pf.patients * per_patient, minlength=n_sites)
    return cur, new


def kept_visits(pf: PathwayFlows, problem: CareProblem, cfg: RunConfig) -> np.ndarray:
    """Shared-stage visits a year each hospital keeps under shared care: those of its patients
    whose operation moves elsewhere, where shared care applies at it and the network keeps it
    open (none without)."""
    shared = shared_care_of(cfg, problem.candidates["network"].to_numpy())
    shared &= open_in_network(problem)
    keep = (pf.src != pf.dst) & shared[pf.src]
    visits = sum(s.visits for s in problem.config.stages.values() if s.place is StagePlace.shared)
    n = len(problem.candidates)
    return np.bincount(pf.src[keep], weights=pf.patients[keep] * visits, minlength=n)


def surgeons(volume: np.ndarray, ops_per_surgeon: float, minimum: int) -> np.ndarray:
    """Surgeons a provider needs for its volume: volume / operations per surgeon, rounded up,
    at least the minimum team; none without volume."""
    need = np.maximum(np.ceil(volume / ops_per_surgeon - 1e-9), minimum)
    return np.where(volume > 1e-9, need, 0.0)


def provider_intervention_rows(
    problem: CareProblem,
    ref: Referrals,
    new: Referrals,
    pf: PathwayFlows,
    cfg: RunConfig,
) -> pd.DataFrame:
    """Per hospital that provides the intervention today or in the network: volume, stage
    visits, operating sessions a week, surgeons, production value, and its role: hub (at least
    `HUB_INFLOW_SHARE` of its new volume comes from providers that stop), provider, spoke (lost
    the operation, keeps its patients' shared stages) or stopped."""
    iv, cand = problem.config, problem.candidates
    n = len(cand)
    mean_or = Distribution.from_config(iv.or_minutes, "or").mean
    sessions = cfg.care.session_minutes
    visits_cur, visits_new = stage_visits(pf, n)
    kept = kept_visits(pf, problem, cfg)
    value_cur, value_new = stage_value(pf, {s: st.tariff_eur for s, st in iv.stages.items()}, n)
    inflow = np.bincount(
        pf.dst[pf.src != pf.dst], weights=pf.patients[pf.src != pf.dst], minlength=n
    )
    used = sorted(set(ref.providers) | set(new.providers))
    rows = []
    for j in used:
        v_cur, v_new = float(ref.volume[j]), float(new.volume[j])
        provider_new = j in new.providers
        if provider_new and inflow[j] >= HUB_INFLOW_SHARE * v_new and inflow[j] > 1e-9:
            role = "hub"
        elif provider_new:
            role = "provider"
        elif j in ref.providers and kept[j] > 1e-9:
            role = "spoke"
        else:
            role = "stopped"
        rows.append(
            {
                "intervention": problem.name,
                "group": iv.group,
                "site_id": cand["id"].iat[j],
                "name": cand["name"].iat[j],
                "network": cand["network"].iat[j],
                "role": role,
                "operations_current": v_cur,
                "operations_new": v_new,
                "stage_visits_current": float(visits_cur[j]),
                "stage_visits_new": float(visits_new[j]),
                "stage_visits_kept_shared_care": float(kept[j]),
                "or_sessions_per_week_current": v_cur * mean_or / sessions / WEEKS_PER_YEAR,
                "or_sessions_per_week_new": v_new * mean_or / sessions / WEEKS_PER_YEAR,
                "surgeons_for_volume_current": float(
                    surgeons(np.array([v_cur]), iv.ops_per_surgeon, iv.min_surgeons)[0]
                ),
                "surgeons_for_volume_new": float(
                    surgeons(np.array([v_new]), iv.ops_per_surgeon, iv.min_surgeons)[0]
                ),
                "round_the_clock": iv.acute_share > 0,
                "value_eur_current": v_cur * iv.tariff_eur + float(value_cur[j]),
                "value_eur_new": v_new * iv.tariff_eur + float(value_new[j]),
            }
        )
    return pd.DataFrame(rows)


def professional_rows(per_iv: pd.DataFrame, cfg: RunConfig) -> pd.DataFrame:
    """Per hospital and specialty group (oncology, vascular): surgeons needed today and in the
    network (the teams for its volumes, at least a full rota of `rota_size` where it offers a
    round-the-clock intervention), FTE, and the FTE it releases or must recruit."""
    imp = cfg.care.impact
    rows = []
    for (site, group), g in per_iv.groupby(["site_id", "group"]):
        out = {"site_id": site, "name": g["name"].iat[0], "group": group}
        for when in ("current", "new"):
            teams = g[f"surgeons_for_volume_{when}"].sum()
            rota = (
                imp.rota_size if (g["round_the_clock"] & (g[f"operations_{when}"] > 0)).any() else 0
            )
            need = max(teams, rota)
            out[f"or_sessions_per_week_{when}"] = g[f"or_sessions_per_week_{when}"].sum()
            out[f"surgeons_for_volume_{when}"] = teams
            out[f"rota_surgeons_{when}"] = rota
            out[f"surgeons_needed_{when}"] = need
            out[f"fte_{when}"] = need * imp.fte_per_surgeon
        out["fte_released"] = max(0.0, out["fte_current"] - out["fte_new"])
        out["fte_to_recruit"] = max(0.0, out["fte_new"] - out["fte_current"])
        rows.append(out)
    return pd.DataFrame(rows)


def hospital_rows(
    per_iv: pd.DataFrame, cfg: RunConfig, seh_247: dict[str, set[str]], site_names: pd.Series
) -> pd.DataFrame:
    """Per hospital, all complex interventions together: operations lost and gained, stage
    visits kept under shared care, less complex care received and given (network.spread),
    production value today and in the network, and whether it keeps its regional function
    for complex care: a 24/7 SEH (`seh_247`: today's, the 2025 sites', and the network's)
    with at least one complex operation, in the network also complex care worth more than
    1 - `regional_function_loss_share` of today's. A
    hospital without complex care that gives or receives spread care gets its own row
    (`site_names`: site id -> name)."""
    diff = per_iv["operations_new"] - per_iv["operations_current"]
    per_iv = per_iv.assign(lost=(-diff).clip(lower=0), gained=diff.clip(lower=0))
    h = per_iv.groupby(["site_id", "name"], as_index=False).agg(
        operations_current=("operations_current", "sum"),
        operations_new=("operations_new", "sum"),
        operations_lost=("lost", "sum"),
        operations_gained=("gained", "sum"),
        interventions_current=("operations_current", lambda x: int((x > 1e-9).sum())),
        interventions_new=("operations_new", lambda x: int((x > 1e-9).sum())),
        stage_visits_current=("stage_visits_current", "sum"),
        stage_visits_new=("stage_visits_new", "sum"),
        stage_visits_kept_shared_care=("stage_visits_kept_shared_care", "sum"),
        value_eur_current=("value_eur_current", "sum"),
        value_eur_new=("value_eur_new", "sum"),
    )
    spread_sites = {x for sp in cfg.network.spread for x in (sp.from_site, sp.to_site)}
    extra = sorted(spread_sites - set(h["site_id"]))
    if extra:
        zeros = {c: 0 for c in h.columns if c not in ("site_id", "name")}
        rows = [{"site_id": x, "name": site_names.get(x, x), **zeros} for x in extra]
        h = pd.concat([h, pd.DataFrame(rows)], ignore_index=True)
    received = {s: 0.0 for s in h["site_id"]}
    given = dict(received)
    value_in = dict(received)
    value_out = dict(received)
    for sp in cfg.network.spread:
        received[sp.to_site] = received.get(sp.to_site, 0.0) + sp.volume
        given[sp.from_site] = given.get(sp.from_site, 0.0) + sp.volume
        value_in[sp.to_site] = value_in.get(sp.to_site, 0.0) + sp.volume * sp.tariff_eur
        value_out[sp.from_site] = value_out.get(sp.from_site, 0.0) + sp.volume * sp.tariff_eur
    h["care_received"] = h["site_id"].map(received).fillna(0.0)
    h["care_given"] = h["site_id"].map(given).fillna(0.0)
    h["value_eur_new"] += h["site_id"].map(value_in).fillna(0.0)
    h["value_eur_new"] -= h["site_id"].map(value_out).fillna(0.0)
    h["value_change_share"] = np.where(
        h["value_eur_current"] > 0,
        h["value_eur_new"] / h["value_eur_current"].where(h["value_eur_current"] > 0) - 1.0,
        0.0,
    )
    h["seh_24_7_current"] = h["site_id"].isin(seh_247["current"])
    h["seh_24_7"] = h["site_id"].isin(seh_247["new"])
    loss = cfg.care.impact.regional_function_loss_share
    h["regional_function_current"] = h["seh_24_7_current"] & (h["interventions_current"] > 0)
    h["regional_function_new"] = (
        h["seh_24_7"] & (h["interventions_new"] > 0) & (h["value_change_share"] > -loss)
    )
    h["loses_regional_function"] = h["regional_function_current"] & ~h["regional_function_new"]
    return h


def hospital_regions(
    site_ids: pd.Series, sites: pd.DataFrame, municipalities: pd.DataFrame, vascular: pd.DataFrame
) -> pd.DataFrame:
    """Each hospital's region at every level (cancer network, vascular network, ROAZ region,
    zorgkantoor region), by its municipality and the vascular grouping."""
    m = municipalities.set_index("municipality_code")
    muni = site_ids.map(sites.set_index("site_id")["municipality_code"])
    return pd.DataFrame(
        {
            "site_id": site_ids.to_numpy(),
            "cancer_network": muni.map(m["oncology_code"]).to_numpy(),
            "vascular_network": site_ids.map(
                vascular.set_index("site_id")["vascular_network"]
            ).to_numpy(),
            "roaz": muni.map(m["roaz_code"]).to_numpy(),
            "zorgkantoor": muni.map(m["zorgkantoor_code"]).to_numpy(),
        }
    )


def region_rows(prof: pd.DataFrame, hosp: pd.DataFrame, regions: pd.DataFrame) -> pd.DataFrame:
    """Professionals and providers per region of every level and nationally: surgeons needed
    and FTE to move, hospitals with complex care and those losing their regional function,
    operations lost and gained, production value, today and in the network."""
    per_site = prof.groupby("site_id")[
        ["surgeons_needed_current", "surgeons_needed_new", "fte_released", "fte_to_recruit"]
    ].sum()
    h = hosp.set_index("site_id").join(per_site).join(regions.set_index("site_id"))
    h = h.fillna({c: 0.0 for c in per_site.columns})
    rows = []
    groups = [("NL", "NL", h)]
    for level in LEVELS:
        groups += [(level, region, g) for region, g in h.groupby(level)]
    for level, region, g in groups:
        had = g["interventions_current"] > 0
        rows.append(
            {
                "level": level,
                "region": region,
                "hospitals_with_complex_care_current": int(had.sum()),
                "hospitals_with_complex_care_new": int((g["interventions_new"] > 0).sum()),
                "hospitals_losing_regional_function": int(g["loses_regional_function"].sum()),
                "operations_current": float(g["operations_current"].sum()),
                "operations_new": float(g["operations_new"].sum()),
                "operations_lost": float(g["operations_lost"].sum()),
                "operations_gained": float(g["operations_gained"].sum()),
                "stage_visits_kept_shared_care": float(g["stage_visits_kept_shared_care"].sum()),
                "value_eur_current": float(g["value_eur_current"].sum()),
                "value_eur_new": float(g["value_eur_new"].sum()),
                "surgeons_needed_current": float(g["surgeons_needed_current"].sum()),
                "surgeons_needed_new": float(g["surgeons_needed_new"].sum()),
                "fte_released": float(g["fte_released"].sum()),
                "fte_to_recruit": float(g["fte_to_recruit"].sum()),
            }
        )
    return pd.DataFrame(rows)
