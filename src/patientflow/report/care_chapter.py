"""The impact chapter of a complex-care run (care_impact.md): one section per stakeholder
group (patients, professionals, providers, networks) with its key tables and figure, rendered
from a Jinja2 template, every number taken from the run's tables."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from patientflow.config.schema import RunConfig
from patientflow.core.files import write_text
from patientflow.report.markdown import md_table

TEMPLATES = Path(__file__).with_name("templates")


def _weighted(g: pd.DataFrame, col: str) -> float:
    w = g["patients"]
    return float((g[col] * w).sum() / w.sum()) if w.sum() > 0 else 0.0


def patients_tables(patients: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The national table per intervention and the per-cancer-network table over all
    interventions (means weighted by patients)."""
    nl = patients[patients["level"] == "NL"]
    national = pd.DataFrame(
        {
            "intervention": nl["intervention"].str.replace("_", " "),
            "patients a year": nl["patients"],
            "of whom move": nl["patients_moved"],
            "extra min per visit": nl["extra_min_per_visit_mean"],
            "extra min per pathway": nl["extra_min_per_pathway_mean"],
            "p90 of those who move": nl["extra_min_per_pathway_p90_moved"],
            "max": nl["extra_min_per_pathway_max"],
            "65+ (mean)": nl["extra_min_per_pathway_mean_65plus"],
            "far today": nl["patients_over_threshold_current"],
            "far new": nl["patients_over_threshold_new"],
        }
    )
    net = patients[patients["level"] == "cancer_network"]
    rows = []
    for region, g in net.groupby("region"):
        rows.append(
            {
                "cancer network": region,
                "patients a year": g["patients"].sum(),
                "of whom move": g["patients_moved"].sum(),
                "extra min per pathway": _weighted(g, "extra_min_per_pathway_mean"),
                "max": g["extra_min_per_pathway_max"].max(),
                "far today": g["patients_over_threshold_current"].sum(),
                "far new": g["patients_over_threshold_new"].sum(),
            }
        )
    return national, pd.DataFrame(rows)


def waits_table(care_summary: dict) -> pd.DataFrame:
    """Per intervention: median wait and share within the Treeknorm, today and in the network,
    the mean over replications with its 95 % interval, and the paired difference."""
    rows = []
    for name, s in care_summary.items():
        reps = ((s.get("pathway") or {}).get("replications") or {}).get("national") or {}
        for ind in ("wait_weeks_p50", "share_within_treeknorm"):
            block = reps.get(ind)
            if not block:
                continue
            rows.append(
                {
                    "intervention": name.replace("_", " "),
                    "indicator": ind.replace("_", " "),
                    "today": _ci(block["current"]),
                    "new": _ci(block["new"]),
                    "difference": _ci(block["difference"]),
                }
            )
    return pd.DataFrame(rows)


def _ci(b: dict) -> str:
    mean, low, high = b.get("mean"), b.get("ci_low"), b.get("ci_high")
    if mean is None or (isinstance(mean, float) and np.isnan(mean)):
        return ""
    if low is None or (isinstance(low, float) and np.isnan(low)):
        return f"{mean:.3g}"
    return f"{mean:.3g} [{low:.3g}, {high:.3g}]"


def professionals_tables(prof: pd.DataFrame) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per specialty group nationally, and the ten hospitals whose surgeon need changes most."""
    by_group = (
        prof.groupby("group")[
            [
                "or_sessions_per_week_current",
                "or_sessions_per_week_new",
                "surgeons_needed_current",
                "surgeons_needed_new",
                "fte_released",
                "fte_to_recruit",
            ]
        ]
        .sum()
        .reset_index()
    )
    by_group.columns = [
        "group",
        "OR sessions a week today",
        "OR sessions a week new",
        "surgeons needed today",
        "surgeons needed new",
        "FTE released",
        "FTE to recruit",
    ]
    change = prof.assign(change=prof["surgeons_needed_new"] - prof["surgeons_needed_current"])
    top = change.reindex(change["change"].abs().sort_values(ascending=False).index).head(10)
    top = top[["name", "group", "surgeons_needed_current", "surgeons_needed_new", "change"]]
    top.columns = ["hospital", "group", "surgeons today", "new", "change"]
    return by_group, top


def regions_table(regions: pd.DataFrame) -> pd.DataFrame:
    """Professionals and providers per cancer network."""
    r = regions[regions["level"] == "cancer_network"]
    return pd.DataFrame(
        {
            "cancer network": r["region"],
            "hospitals with complex care today": r["hospitals_with_complex_care_current"],
            "new": r["hospitals_with_complex_care_new"],
            "losing regional function": r["hospitals_losing_regional_function"],
            "operations lost": r["operations_lost"],
            "gained": r["operations_gained"],
            "surgeons today": r["surgeons_needed_current"],
            "surgeons new": r["surgeons_needed_new"],
            "FTE released": r["fte_released"],
            "FTE to recruit": r["fte_to_recruit"],
        }
    )


def providers_table(hosp: pd.DataFrame) -> pd.DataFrame:
    """The hospitals that lose their regional function for complex care, then the largest
    losers of production value."""
    h = hosp.assign(change=hosp["value_eur_new"] - hosp["value_eur_current"])
    order = h.sort_values(["loses_regional_function", "change"], ascending=[False, True])
    top = order[(order["loses_regional_function"]) | (order["change"] < 0)].head(15)
    return pd.DataFrame(
        {
            "hospital": top["name"],
            "operations today": top["operations_current"],
            "new": top["operations_new"],
            "stage visits kept (shared care)": top["stage_visits_kept_shared_care"],
            "care received": top["care_received"],
            "value change": top["value_change_share"].map(lambda v: f"{v:+.0%}"),
            "24/7 SEH": top["seh_24_7"].map({True: "yes", False: "no"}),
            "loses regional function": top["loses_regional_function"].map(
                {True: "yes", False: "no"}
            ),
        }
    )


def roles_table(per_iv: pd.DataFrame) -> pd.DataFrame:
    """Hospitals per role and intervention."""
    t = per_iv.pivot_table(index="intervention", columns="role", values="site_id", aggfunc="count")
    t = t.fillna(0).astype(int).reset_index()
    t["intervention"] = t["intervention"].str.replace("_", " ")
    return t


def vascular_table(vasc: pd.DataFrame) -> pd.DataFrame:
    """Each vascular network: meets the standard today and in the network, what fails."""
    if vasc.empty:
        return pd.DataFrame({"vascular network": ["none with patients in the study area"]})
    cur = vasc[vasc["network_config"] == "current"].set_index("vascular_network")
    new = vasc[vasc["network_config"] == "new"].set_index("vascular_network")
    return pd.DataFrame(
        {
            "vascular network": cur.index,
            "name": cur["name"],
            "volume new": new["network_volume"].reindex(cur.index).to_numpy(),
            "repair centres today": cur["repair_centres"].to_numpy(),
            "new": new["repair_centres"].reindex(cur.index).to_numpy(),
            "meets today": cur["meets_standard"].map({True: "yes", False: "no"}).to_numpy(),
            "meets new": new["meets_standard"]
            .reindex(cur.index)
            .map({True: "yes", False: "no"})
            .to_numpy(),
            "failing (new)": new["failing"].reindex(cur.index).fillna("").to_numpy(),
        }
    )


def assumptions(cfg: RunConfig) -> list[str]:
    """The impact analysis' assumptions as set in this run."""
    imp, care = cfg.care.impact, cfg.care
    lines = [
        f"Far: more than {imp.travel_threshold_min:g} car minutes one way to the hospital of "
        "surgery.",
        f"Round-the-clock services need a rota of {imp.rota_size} surgeons per provider; "
        f"{imp.fte_per_surgeon:g} FTE per surgeon.",
        f"Regional function for complex care lost: a 24/7 SEH hospital that loses every "
        f"complex operation or {imp.regional_function_loss_share:.0%} or more of its "
        "complex-care production value.",
        "Shared care: "
        + ("on" if cfg.network.shared_care else "off")
        + (
            " (per network: "
            + ", ".join(
                f"{k} {'on' if v else 'off'}"
                for k, v in cfg.network.shared_care_per_network.items()
            )
            + ")"
            if cfg.network.shared_care_per_network
            else ""
        )
        + "; spreading: "
        + (
            f"{len(cfg.network.spread)} moves of less complex care"
            if cfg.network.spread
            else "none"
        )
        + ".",
    ]
    for name, iv in care.interventions.items():
        stages = ", ".join(
            f"{s} {st.visits:g}× at {st.place.value}"
            for s, st in iv.stages.items()
            if st.visits > 0
        )
        lines.append(
            f"{name.replace('_', ' ')}: {stages}; €{iv.tariff_eur:,.0f} per operation; "
            f"{iv.ops_per_surgeon:g} operations per surgeon, teams of at least {iv.min_surgeons}."
        )
    v = imp.vascular
    lines.append(
        f"Vascular standard: network volume ≥ {v.min_network_volume:g}, repair centres ≥ "
        f"{v.min_repair_centres}, surgeons supported ≥ {v.min_rota_surgeons}, interventional "
        f"radiology at a centre ({'listed sites' if v.ir_sites else 'assumed at every centre'}), "
        f"≥ {v.max_minutes_share:.0%} of patients within {v.max_minutes:g} ambulance minutes."
    )
    return lines


def write_care_chapter(
    impact,
    care_summary: dict,
    cfg: RunConfig,
    out: Path,
    figures: dict[str, Path] | None = None,
    volumes_note: str = "",
) -> Path:
    """care_impact.md in the run folder: the impact chapter of this run."""
    s = impact.summary
    national, regions = patients_tables(impact.patients)
    groups, top = professionals_tables(impact.professionals)
    waits = waits_table(care_summary)
    p, pr, pv, nw = s["patients"], s["professionals"], s["providers"], s["networks"]
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    text = env.get_template("care_impact.md.j2").render(
        network=cfg.network.name,
        region=cfg.region.name,
        patients_per_year=f"{p['patients_per_year']:,.0f}",
        n_interventions=len(care_summary),
        volumes_note=volumes_note,
        patients_headline=(
            f"{p['patients_moved']:,.0f} patients a year change hospital for their operation; "
            f"over all patients a pathway takes {p['extra_min_per_pathway_mean']:+.1f} minutes "
            f"of travel on average, and for the 10 % of movers hit hardest "
            f"{p['extra_min_per_pathway_p90_moved']:+.0f} or more. Patients more than "
            f"{cfg.care.impact.travel_threshold_min:g} minutes from their hospital of surgery: "
            f"{p['patients_over_threshold_current']:,.0f} today, "
            f"{p['patients_over_threshold_new']:,.0f} in the network."
        ),
        patients_table=md_table(national),
        patients_regions=md_table(regions),
        waits_table=md_table(waits) if len(waits) else "",
        replications=cfg.sim.replications,
        professionals_headline=(
            f"Surgeons needed: {pr['surgeons_needed_current']:,.0f} today, "
            f"{pr['surgeons_needed_new']:,.0f} in the network; {pr['fte_released']:,.0f} FTE "
            f"released at hospitals that lose work, {pr['fte_to_recruit']:,.0f} FTE to recruit "
            "or share at the hospitals that gain it. Operating sessions a week: "
            f"{pr['or_sessions_per_week_current']:,.1f} today, "
            f"{pr['or_sessions_per_week_new']:,.1f} in the network."
        ),
        professionals_table=md_table(groups),
        professionals_hospitals=md_table(top),
        providers_headline=(
            f"{pv['hospitals_with_complex_care_current']} hospitals provide complex care today, "
            f"{pv['hospitals_with_complex_care_new']} in the network; "
            f"{pv['hospitals_losing_every_complex_operation']} lose every complex operation and "
            f"{pv['hospitals_losing_regional_function']} lose their regional function for "
            f"complex care. Under shared care {pv['stage_visits_kept_shared_care']:,.0f} visits a "
            "year of work-up and follow-up stay at the hospitals that lose the operation."
        ),
        providers_table=md_table(providers_table(impact.hospitals)),
        regions_table=md_table(regions_table(impact.regions)),
        networks_headline=(
            f"{nw['patients_referred_between_hospitals']:,.0f} patients a year are referred "
            f"from today's hospital to another for their operation. Of "
            f"{nw['vascular_networks']} vascular networks, "
            f"{nw['vascular_networks_meeting_standard_current']} meet the quality standard "
            f"today and {nw['vascular_networks_meeting_standard_new']} in the network."
        ),
        roles_table=md_table(roles_table(impact.per_intervention)),
        vascular_table=md_table(vascular_table(impact.vascular)),
        figures={
            key: (figures or {}).get(key).name if (figures or {}).get(key) else ""
            for key in ("patients", "professionals", "providers", "networks")
        },
        assumptions=assumptions(cfg),
    )
    path = out / "care_impact.md"
    write_text(path, text)
    return path
