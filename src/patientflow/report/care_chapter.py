"""The impact chapter of a complex-care run (care_impact.md): one section per stakeholder
group (patients, professionals, providers, networks) with its key tables and figure, rendered
from a Jinja2 template, every number taken from the run's tables. English or Dutch
(`report.lang`): templates/care_impact.md.j2 or care_impact.nl.md.j2 with the same variables,
and the sentences and headers built here from care_words.WORDS, one code path for both
languages."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from patientflow.config.schema import RunConfig
from patientflow.core.files import write_text
from patientflow.report.care_words import WORDS
from patientflow.report.chapter_words import (
    chapter_words,
    intervention_name,
    template_name,
)
from patientflow.report.labels import EN, Labels, labels_of
from patientflow.report.markdown import md_table

if TYPE_CHECKING:
    from patientflow.care.impact import ImpactOutput

TEMPLATES = Path(__file__).with_name("templates")


def _weighted(g: pd.DataFrame, col: str) -> float:
    w = g["patients"]
    return float((g[col] * w).sum() / w.sum()) if w.sum() > 0 else 0.0


def _regional(cfg: RunConfig) -> bool:
    """Whether the study area is one region: its hospitals' volumes are then part of theirs."""
    return cfg.region.level is not None and bool(cfg.region.codes)


def _headed(df: pd.DataFrame, tr: Labels) -> pd.DataFrame:
    """The frame with its headers in the language of `tr`."""
    return df.rename(columns=chapter_words(WORDS, tr))


def patients_tables(patients: pd.DataFrame, tr: Labels = EN) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The national table per intervention and the per-cancer-network table over all
    interventions (means weighted by patients)."""
    nl = patients[patients["level"] == "NL"]
    national = pd.DataFrame(
        {
            "intervention": nl["intervention"].map(lambda k: intervention_name(k, tr)),
            "patients a year": nl["patients"],
            "of whom move": nl["patients_moved"],
            "extra min per visit": nl["extra_min_per_visit_mean"],
            "extra min per pathway": nl["extra_min_per_pathway_mean"],
            "p90 of those who move": nl["extra_min_per_pathway_p90_moved"],
            "max": nl["extra_min_per_pathway_max"],
            "extra min per pathway, 65+": nl["extra_min_per_pathway_mean_65plus"],
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
    return _headed(national, tr), _headed(pd.DataFrame(rows), tr)


def waits_table(care_summary: dict, tr: Labels = EN) -> pd.DataFrame:
    """Per intervention: median wait and share within the Treeknorm, today and in the network,
    the mean over replications with its 95 % interval, and the paired difference."""
    say = chapter_words(WORDS, tr)
    rows = []
    for name, s in care_summary.items():
        reps = ((s.get("pathway") or {}).get("replications") or {}).get("national") or {}
        for ind in ("wait_weeks_p50", "share_within_treeknorm"):
            block = reps.get(ind)
            if not block:
                continue
            rows.append(
                {
                    "intervention": intervention_name(name, tr),
                    "indicator": say(ind.replace("_", " ")),
                    "today": _ci(block["current"]),
                    "new": _ci(block["new"]),
                    "difference": _ci(block["difference"]),
                }
            )
    return _headed(pd.DataFrame(rows), tr)


def _ci(b: dict) -> str:
    mean, low, high = b.get("mean"), b.get("ci_low"), b.get("ci_high")
    if mean is None or (isinstance(mean, float) and np.isnan(mean)):
        return ""
    if low is None or (isinstance(low, float) and np.isnan(low)):
        return f"{mean:.3g}"
    return f"{mean:.3g} [{low:.3g}, {high:.3g}]"


def professionals_tables(prof: pd.DataFrame, tr: Labels = EN) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Per specialty group nationally, and the ten hospitals whose surgeon need changes most."""
    say = chapter_words(WORDS, tr)
    prof = prof.assign(group=prof["group"].map(say))
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
    return _headed(by_group, tr), _headed(top, tr)


def regions_table(regions: pd.DataFrame, tr: Labels = EN) -> pd.DataFrame:
    """Professionals and providers per cancer network."""
    r = regions[regions["level"] == "cancer_network"]
    table = pd.DataFrame(
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
    return _headed(table, tr)


def _yes_no(tr: Labels) -> dict[bool, str]:
    say = chapter_words(WORDS, tr)
    return {True: say("yes"), False: say("no")}


def providers_table(hosp: pd.DataFrame, tr: Labels = EN) -> pd.DataFrame:
    """The hospitals that lose their regional function for complex care, then the largest
    losers of production value."""
    h = hosp.assign(change=hosp["value_eur_new"] - hosp["value_eur_current"])
    order = h.sort_values(["loses_regional_function", "change"], ascending=[False, True])
    top = order[(order["loses_regional_function"]) | (order["change"] < 0)].head(15)
    table = pd.DataFrame(
        {
            "hospital": top["name"],
            "operations today": top["operations_current"],
            "new": top["operations_new"],
            "stage visits kept (shared care)": top["stage_visits_kept_shared_care"],
            "care received": top["care_received"],
            "value change": top["value_change_share"].map(lambda v: f"{v:+.0%}"),
            "24/7 SEH": top["seh_24_7"].map(_yes_no(tr)),
            "loses regional function": top["loses_regional_function"].map(_yes_no(tr)),
        }
    )
    return _headed(table, tr)


def roles_table(per_iv: pd.DataFrame, tr: Labels = EN) -> pd.DataFrame:
    """Hospitals per role and intervention."""
    t = per_iv.pivot_table(index="intervention", columns="role", values="site_id", aggfunc="count")
    t = t.fillna(0).astype(int).reset_index()
    t["intervention"] = t["intervention"].map(lambda k: intervention_name(k, tr))
    return _headed(t, tr)


def vascular_table(vasc: pd.DataFrame, tr: Labels = EN) -> pd.DataFrame:
    """Each vascular network: meets the standard today and in the network, what fails."""
    say = chapter_words(WORDS, tr)
    if vasc.empty:
        table = pd.DataFrame({"vascular network": [say("none with patients in the study area")]})
        return _headed(table, tr)
    cur = vasc[vasc["network_config"] == "current"].set_index("vascular_network")
    new = vasc[vasc["network_config"] == "new"].set_index("vascular_network")
    failing = new["failing"].reindex(cur.index).fillna("")
    table = pd.DataFrame(
        {
            "vascular network": cur.index,
            "name": cur["name"],
            "volume new": new["network_volume"].reindex(cur.index).to_numpy(),
            "repair centres today": cur["repair_centres"].to_numpy(),
            "new": new["repair_centres"].reindex(cur.index).to_numpy(),
            "meets today": cur["meets_standard"].map(_yes_no(tr)).to_numpy(),
            "meets new": new["meets_standard"].reindex(cur.index).map(_yes_no(tr)).to_numpy(),
            "failing (new)": [
                ", ".join(say(k) for k in f.split(", ") if k) for f in failing.to_numpy()
            ],
        }
    )
    return _headed(table, tr)


def assumptions(cfg: RunConfig, tr: Labels = EN) -> list[str]:
    """The impact analysis' assumptions as set in this run."""
    say = chapter_words(WORDS, tr)
    imp, care, network = cfg.care.impact, cfg.care, cfg.network
    per_network = ""
    if network.shared_care_per_network:
        per_network = say(
            "per_network",
            networks=", ".join(
                f"{k} {say('on' if v else 'off')}"
                for k, v in network.shared_care_per_network.items()
            ),
        )
    lines = [
        say("far", threshold=imp.travel_threshold_min),
        say("rota", rota=imp.rota_size, fte=imp.fte_per_surgeon),
        say("session", minutes=care.session_minutes),
        say("regional_function", share=imp.regional_function_loss_share),
        say(
            "shared_care",
            on=say("on" if network.shared_care else "off"),
            per_network=per_network,
            spreading=say("moves", n=len(network.spread)) if network.spread else say("none"),
        ),
    ]
    for name, iv in care.interventions.items():
        stages = ", ".join(
            say("stage", stage=say(s), visits=st.visits, place=say(st.place.value))
            for s, st in iv.stages.items()
            if st.visits > 0
        )
        lines.append(
            say(
                "intervention_line",
                name=intervention_name(name, tr),
                stages=stages,
                tariff=iv.tariff_eur,
                ops=iv.ops_per_surgeon,
                team=iv.min_surgeons,
            )
        )
    v = imp.vascular
    lines.append(
        say(
            "vascular_standard",
            volume=v.min_network_volume,
            centres=v.min_repair_centres,
            rota=v.min_rota_surgeons,
            ir=say("listed sites" if v.ir_sites else "assumed at every centre"),
            share=v.max_minutes_share,
            minutes=v.max_minutes,
        )
    )
    return lines


def write_care_chapter(
    impact: ImpactOutput,
    care_summary: dict,
    cfg: RunConfig,
    out: Path,
    figures: dict[str, Path] | None = None,
    volumes_note: str = "",
) -> Path:
    """care_impact.md in the run folder: the impact chapter of this run, in `report.lang`."""
    tr = labels_of(cfg.report.lang, cfg.report.norm_min)
    say = chapter_words(WORDS, tr)
    s = impact.summary
    national, regions = patients_tables(impact.patients, tr)
    groups, top = professionals_tables(impact.professionals, tr)
    waits = waits_table(care_summary, tr)
    p, pr, pv, nw = s["patients"], s["professionals"], s["providers"], s["networks"]
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    text = env.get_template(template_name("care_impact", tr)).render(
        network=cfg.network.name,
        region=cfg.region.name,
        patients_per_year=f"{p['patients_per_year']:,.0f}",
        n_interventions=len(care_summary),
        volumes_note=say(volumes_note) if volumes_note else "",
        regional_note=say("regional_note") if _regional(cfg) else "",
        patients_headline=say(
            "patients_headline",
            moved=p["patients_moved"],
            extra=p["extra_min_per_pathway_mean"],
            p90=p["extra_min_per_pathway_p90_moved"],
            threshold=cfg.care.impact.travel_threshold_min,
            far_now=p["patients_over_threshold_current"],
            far_new=p["patients_over_threshold_new"],
        ),
        patients_table=md_table(national),
        patients_regions=md_table(regions),
        waits_table=md_table(waits) if len(waits) else "",
        replications=cfg.sim.replications,
        professionals_headline=say(
            "professionals_headline",
            now=pr["surgeons_needed_current"],
            new=pr["surgeons_needed_new"],
            released=pr["fte_released"],
            recruit=pr["fte_to_recruit"],
            or_now=pr["or_sessions_per_week_current"],
            or_new=pr["or_sessions_per_week_new"],
        ),
        professionals_table=md_table(groups),
        professionals_hospitals=md_table(top),
        providers_headline=say(
            "providers_headline",
            now=pv["hospitals_with_complex_care_current"],
            new=pv["hospitals_with_complex_care_new"],
            lose_all=pv["hospitals_losing_every_complex_operation"],
            lose_function=pv["hospitals_losing_regional_function"],
            kept=pv["stage_visits_kept_shared_care"],
        ),
        providers_table=md_table(providers_table(impact.hospitals, tr)),
        regions_table=md_table(regions_table(impact.regions, tr)),
        networks_headline=say(
            "networks_headline",
            referred=nw["patients_referred_between_hospitals"],
            networks=nw["vascular_networks"],
            meet_now=nw["vascular_networks_meeting_standard_current"],
            meet_new=nw["vascular_networks_meeting_standard_new"],
        ),
        roles_table=md_table(roles_table(impact.per_intervention, tr)),
        vascular_table=md_table(vascular_table(impact.vascular, tr)),
        figures={
            key: figures[key].name if figures and figures.get(key) else ""
            for key in ("patients", "professionals", "providers", "networks")
        },
        assumptions=assumptions(cfg, tr),
    )
    path = out / "care_impact.md"
    write_text(path, text)
    return path
