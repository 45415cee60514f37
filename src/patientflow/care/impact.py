"""The regional impact analysis of complex care, for the four groups the Ministry asks about:
patients (travel per visit and per pathway), professionals (operating sessions, surgeons,
rotas), providers (volumes, stages, production value, regional function) and networks (roles,
flows between hospitals, the vascular quality standard). Static: expected patients per year
under the referral model, today against the network configuration."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pandas as pd

from patientflow.care.choice import Referrals, flows
from patientflow.care.study import CareProblem, network_of_points
from patientflow.config.impact import StagePlace
from patientflow.config.schema import RunConfig
from patientflow.core.distributions import Distribution
from patientflow.core.statistics import weighted_mean, weighted_quantile

LEVELS = ("cancer_network", "vascular_network", "roaz", "zorgkantoor")
HUB_INFLOW_SHARE = 0.1
WEEKS_PER_YEAR = 52.0


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


def pathway_flows(problem: CareProblem, ref: Referrals, new: Referrals, cfg: RunConfig):
    """Every flow's stages: `centre` stages at today's and the new provider; `shared` stages at
    today's provider, and in the network at the provider that lost the operation when shared
    care applies there (else at the new centre); `local` stages at the nearest hospital. The
    pathway's one-way car minutes are the visits times the minutes to each stage's hospital."""
    point, src, dst, share = flows(ref, new)
    t = problem.minutes
    nearest = np.argmin(t, axis=1)
    shared = shared_care_of(cfg, problem.candidates["network"].to_numpy())
    moved = src != dst
    stage_sites = {}
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
            a = b = nearest[point]
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


def vascular_of_points(problems: dict[str, CareProblem], vascular: pd.DataFrame) -> np.ndarray:
    """A demand point's vascular network: that of its nearest hospital (by car) in a vascular
    network, as the vascular interventions' problems hold it."""
    for problem in problems.values():
        if problem.config.group == "vascular" and len(problem.point_network):
            return problem.point_network
    anchor = next(iter(problems.values()))
    nets = anchor.candidates["id"].map(vascular.set_index("site_id")["vascular_network"])
    return network_of_points(anchor.minutes, nets.fillna("").to_numpy())


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
    rows = []
    groups = [("NL", "NL", np.ones(len(pf.point), bool))]
    for level in LEVELS:
        lab = regions[level][pf.point]
        for region in sorted({x for x in lab if isinstance(x, str)}):
            groups.append((level, region, lab == region))
    for level, region, sel in groups:
        w = pf.patients[sel]
        extra = pf.extra[sel]
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


def stage_visits(pf: PathwayFlows, n_sites: int, moved_only: bool = False):
    """Visits a year per candidate hospital, today and in the network (all stages but the
    operation); with `moved_only`, only those of patients whose operation left the hospital."""
    cur, new = np.zeros(n_sites), np.zeros(n_sites)
    sel = pf.src != pf.dst if moved_only else np.ones(len(pf.point), bool)
    for stage, (a, b, visits) in pf.stage_sites.items():
        if stage == "operation":
            continue
        cur += np.bincount(a[sel], weights=pf.patients[sel] * visits, minlength=n_sites)
        new += np.bincount(b[sel], weights=pf.patients[sel] * visits, minlength=n_sites)
    return cur, new


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
    kept_cur, kept_new = stage_visits(pf, n, moved_only=True)
    tariffs = {s: st.tariff_eur * st.visits for s, st in iv.stages.items() if s != "operation"}
    value_per_visit = sum(tariffs.values()) / max(
        sum(st.visits for s, st in iv.stages.items() if s != "operation"), 1e-9
    )
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
        elif j in ref.providers and kept_new[j] > 1e-9:
            role = "spoke"
        else:
            role = "stopped"
        rows.append(
            {
                "intervention": problem.name,
                "group": iv.group,
                "site_id": cand["id"].iat[j],
                "name": cand["name"].iat[j],
                "cancer_network": cand["network"].iat[j],
                "role": role,
                "operations_current": v_cur,
                "operations_new": v_new,
                "stage_visits_current": float(visits_cur[j]),
                "stage_visits_new": float(visits_new[j]),
                "stage_visits_kept_shared_care": float(kept_new[j]),
                "or_sessions_per_week_current": v_cur * mean_or / sessions / WEEKS_PER_YEAR,
                "or_sessions_per_week_new": v_new * mean_or / sessions / WEEKS_PER_YEAR,
                "surgeons_for_volume_current": float(
                    surgeons(np.array([v_cur]), iv.ops_per_surgeon, iv.min_surgeons)[0]
                ),
                "surgeons_for_volume_new": float(
                    surgeons(np.array([v_new]), iv.ops_per_surgeon, iv.min_surgeons)[0]
                ),
                "round_the_clock": iv.acute_share > 0,
                "value_eur_current": v_cur * iv.tariff_eur + visits_cur[j] * value_per_visit,
                "value_eur_new": v_new * iv.tariff_eur + visits_new[j] * value_per_visit,
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


def hospital_rows(per_iv: pd.DataFrame, cfg: RunConfig, seh_247: set[str]) -> pd.DataFrame:
    """Per hospital, all complex interventions together: operations lost and gained, stage
    visits kept under shared care, less complex care received and given (network.spread),
    production value today and in the network, and whether it keeps its regional function
    for complex care: today a 24/7 SEH with at least one complex operation; in the network
    also complex care worth more than 1 - `regional_function_loss_share` of today's)."""
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
    h["seh_24_7"] = h["site_id"].isin(seh_247)
    loss = cfg.care.impact.regional_function_loss_share
    h["regional_function_current"] = h["seh_24_7"] & (h["interventions_current"] > 0)
    h["regional_function_new"] = (
        h["seh_24_7"] & (h["interventions_new"] > 0) & (h["value_change_share"] > -loss)
    )
    h["loses_regional_function"] = h["regional_function_current"] & ~h["regional_function_new"]
    return h


def flow_rows(pf: PathwayFlows, problem: CareProblem) -> pd.DataFrame:
    """Referrals between hospitals: patients a year from today's provider to the new one."""
    ids = problem.candidates["id"].to_numpy()
    df = pd.DataFrame({"from_site": ids[pf.src], "to_site": ids[pf.dst], "patients": pf.patients})
    out = df.groupby(["from_site", "to_site"], as_index=False)["patients"].sum()
    out.insert(0, "intervention", pf.name)
    out["moved"] = out["from_site"] != out["to_site"]
    return out


def vascular_standard_rows(
    per_iv: pd.DataFrame,
    problems: dict[str, CareProblem],
    refs: dict[str, Referrals],
    news: dict[str, Referrals],
    vascular: pd.DataFrame,
    vascular_of_point: np.ndarray,
    cfg: RunConfig,
) -> pd.DataFrame:
    """Each vascular network against the quality standard, today and in the network: its
    AAA and carotid volume, repair centres, the vascular surgeons its volume supports (for a
    24/7 rota), interventional radiology at a repair centre, and the share of its patients
    within the maximum ambulance minutes of a repair centre."""
    std = cfg.care.impact.vascular
    network_of = vascular.set_index("site_id")["vascular_network"]
    names = vascular.drop_duplicates("vascular_network").set_index("vascular_network")[
        "vascular_network_name"
    ]
    vasc = per_iv[per_iv["group"] == "vascular"].assign(
        vascular_network=lambda d: d["site_id"].map(network_of)
    )
    aaa = problems.get("aaa_repair")
    rows = []
    for net in sorted(names.index):
        mine = vasc[vasc["vascular_network"] == net]
        for when, assign in (("current", refs), ("new", news)):
            aaa_sites = mine[
                (mine["intervention"] == "aaa_repair") & (mine[f"operations_{when}"] > 1e-9)
            ]
            volume = float(mine[f"operations_{when}"].sum())
            supported = float(
                sum(
                    np.floor(
                        r[f"operations_{when}"] / problems[r["intervention"]].config.ops_per_surgeon
                    )
                    for _, r in mine.iterrows()
                )
            )
            centres = list(aaa_sites["site_id"])
            ir = [s for s in centres if not std.ir_sites or s in std.ir_sites]
            within = np.nan
            if aaa is not None and "aaa_repair" in assign:
                cols = [
                    int(np.flatnonzero(aaa.candidates["id"].to_numpy() == s)[0]) for s in centres
                ]
                sel = vascular_of_point == net
                w = aaa.weight[sel]
                if cols and w.sum() > 0:
                    best = aaa.ambulance[np.ix_(sel, cols)].min(axis=1)
                    within = float(w[best <= std.max_minutes].sum() / w.sum())
                elif w.sum() > 0:
                    within = 0.0
            checks = {
                "network_volume": (
                    volume,
                    std.min_network_volume,
                    volume >= std.min_network_volume,
                ),
                "repair_centres": (
                    len(centres),
                    std.min_repair_centres,
                    len(centres) >= std.min_repair_centres,
                ),
                "rota_surgeons_supported": (
                    supported,
                    std.min_rota_surgeons,
                    supported >= std.min_rota_surgeons,
                ),
                "interventional_radiology_centres": (len(ir), 1, len(ir) >= 1),
                "share_within_max_minutes": (
                    within,
                    std.max_minutes_share,
                    bool(within >= std.max_minutes_share) if within == within else True,
                ),
            }
            row = {"vascular_network": net, "name": names[net], "network_config": when}
            for crit, (value, required, met) in checks.items():
                row[crit] = value
                row[f"{crit}_required"] = required
                row[f"{crit}_met"] = bool(met)
            row["meets_standard"] = all(bool(c[2]) for c in checks.values())
            row["failing"] = ", ".join(k for k, c in checks.items() if not c[2])
            rows.append(row)
    return pd.DataFrame(rows)


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
    seh_247: set[str],
    sites: pd.DataFrame,
) -> ImpactOutput:
    """The four groups' tables for every configured intervention, and the national summary."""
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
    hosp = hospital_rows(per_iv_df, cfg, seh_247)
    vasc = vascular_standard_rows(per_iv_df, problems, refs, news, vascular, vascular_of_point, cfg)
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
