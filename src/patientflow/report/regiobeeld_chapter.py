"""The regiobeeld chapter (regiobeeld.md) and its map, from the regiobeeld job's frames. English
or Dutch (`report.lang`): templates/regiobeeld.md.j2 or regiobeeld.nl.md.j2 with the same
variables, and the headline, headers and row names from WORDS, one code path for both."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from patientflow.config.schema import RunConfig
from patientflow.core.files import write_text
from patientflow.report.chapter_words import chapter_words, intervention_name, template_name
from patientflow.report.figures import EMBEDDED_BOUNDARIES, accessibility_map
from patientflow.report.labels import EN, Labels, labels_of
from patientflow.report.markdown import fmt_number, md_table

TEMPLATES = Path(__file__).parent / "templates"

# The chapter's words, key: (English, Nederlands), as in care_words.py. The English chapter
# shows the job's tables with their own column and row names, so those are keyed (and shown in
# English) as the job names them; a name missing here is shown as it is. Numbers keep the decimal
# point and the thousands comma in Dutch too, as md_table writes every table of the report.
WORDS: dict[str, tuple[str, str]] = {
    "headline": (
        "{population_now:,.0f} inhabitants in {municipalities} municipalities in {now}, "
        "{population_then:,.0f} in {horizon} ({growth:+.1%}); 65+ from {share_65_now:.1%} to "
        "{share_65_then:.1%}. A1 ambulances on scene within 15 minutes: {a1_now:.1%} in {now}, "
        "{a1_then:.1%} in {horizon} on today's national fleet. The largest gap at today's "
        "occupancy, relative to today: {resource}, {today} today against {needed} needed "
        "({gap}).",
        "{population_now:,.0f} inwoners in {municipalities} gemeenten in {now}, "
        "{population_then:,.0f} in {horizon} ({growth:+.1%}); het aandeel 65-plussers gaat van "
        "{share_65_now:.1%} naar {share_65_then:.1%}. A1-ritten binnen 15 minuten ter plaatse: "
        "{a1_now:.1%} in {now}, {a1_then:.1%} in {horizon}, met de huidige landelijke "
        "ambulancevloot. Het grootste tekort bij de huidige bezettingsgraad, naar verhouding: "
        "{resource}, nu {today}, nodig {needed} ({gap}).",
    ),
    # the gap of the headline, with its interval over the replications or without one
    "gap_interval": (
        "{relative:+.1%}; 95% interval {low:+.1%} to {high:+.1%} over {n} replications",
        "{relative:+.1%}; 95%-interval {low:+.1%} tot {high:+.1%} over {n} replicaties",
    ),
    "gap_one": (
        "{relative:+.1%}; one replication, no interval",
        "{relative:+.1%}; één replicatie, geen interval",
    ),
    # how the simulated numbers were replicated (acute pressure; capacity)
    "pressure_replications": (
        "the mean of {n} replications, with each year's 95% interval (ambulance utilisation: the "
        "first replication's)",
        "het gemiddelde van {n} replicaties, met het 95%-interval van elk jaar (bezettingsgraad "
        "ambulances: die van de eerste replicatie)",
    ),
    "pressure_one": (
        "one replication: differences of a point or two are within noise, and no interval is "
        "shown (sim.replications=5 gives one)",
        "één replicatie: verschillen van een procentpunt of twee vallen binnen de ruis, en er is "
        "geen interval (sim.replications=5 geeft er een)",
    ),
    "capacity_replications": (
        "The volumes are means over the {n} replications; the need is the mean over them of "
        "today's amount times each replication's growth (the years paired by replication, the "
        "same seeds), with its 95% interval.",
        "De volumes zijn gemiddelden over de {n} replicaties; de benodigde capaciteit is het "
        "gemiddelde daarover van de huidige capaciteit maal de groei in elke replicatie (de jaren "
        "per replicatie gepaard, met dezelfde seeds), met het 95%-interval.",
    ),
    "capacity_one": (
        "One replication: the need moves by several per cent from seed to seed and has no "
        "interval here; run sim.replications=5 for one.",
        "Eén replicatie: de benodigde capaciteit verschuift enkele procenten van seed tot seed en "
        "heeft hier geen interval; draai sim.replications=5 voor een interval.",
    ),
    # where the population of both years comes from (How this was made)
    "population_rule": (
        "from the CBS Kernprognose 2024–2070 applied to each municipality's age structure (the "
        "national rule)",
        "volgens de CBS Kernprognose 2024–2070, toegepast op de leeftijdsopbouw van elke gemeente "
        "(de landelijke regel)",
    ),
    "population_file": (
        "from your prognosis file ({path}) for the municipalities it lists, and for the others "
        "from the CBS Kernprognose 2024–2070 applied to each municipality's age structure",
        "uit uw eigen prognosebestand ({path}) voor de gemeenten die het noemt, en voor de andere "
        "volgens de CBS Kernprognose 2024–2070, toegepast op de leeftijdsopbouw van elke gemeente",
    ),
    # headers
    "quantity": ("quantity", "kengetal"),
    "change": ("change", "verandering"),
    "service": ("service", "voorziening"),
    "mode": ("mode", "vervoer"),
    "mean_min": ("mean_min", "gemiddeld (min)"),
    "p95_min": ("p95_min", "p95 (min)"),
    "max_min": ("max_min", "max (min)"),
    "inhabitants_beyond": ("inhabitants_beyond_{norm}_min", "inwoners buiten {norm} min"),
    "share_beyond": ("share_beyond_{norm}_min", "aandeel buiten {norm} min"),
    "site_id": ("site_id", "locatie"),
    "name": ("name", "naam"),
    "town": ("town", "plaats"),
    "seh_status": ("seh_status", "SEH-status"),
    "seh_bays": ("seh_bays", "SEH-behandelplekken"),
    "beds": ("beds", "bedden"),
    "icu_beds": ("icu_beds", "IC-bedden"),
    "operating_rooms": ("operating_rooms", "operatiekamers"),
    "resource": ("resource", "capaciteit"),
    "today": ("today", "nu"),
    "driver": ("driver", "gevuld door"),
    "volume_year": ("volume_{year}", "volume {year}"),
    "needed_year": ("needed_{year}", "nodig {year}"),
    "patients_year": ("patients_{year}", "patiënten {year}"),
    "gap": ("gap", "tekort"),
    "relative_gap": ("relative_gap", "tekort naar verhouding"),
    "ci95_year": ("95% interval {year}", "95%-interval {year}"),
    "needed_ci95_year": ("needed_{year}, 95% interval", "nodig {year}, 95%-interval"),
    "intervention": ("intervention", "ingreep"),
    "providers_in_region": ("providers_in_region", "aanbieders in de regio"),
    "volume_in_region_today": ("volume_in_region_today", "volume in de regio nu"),
    # people
    "inhabitants": ("inhabitants", "inwoners"),
    "aged 65+": ("aged 65+", "65-plussers"),
    "share 65+": ("share 65+", "aandeel 65-plussers"),
    "aged 80+ (rule)": ("aged 80+ (rule)", "80-plussers (rekenregel)"),
    "share 80+ (rule)": ("share 80+ (rule)", "aandeel 80-plussers (rekenregel)"),
    # access
    "seh_247": ("seh_247", "24/7-SEH"),
    "seh": ("seh", "elke SEH (ook beperkt open)"),
    "hospital": ("hospital", "ziekenhuis"),
    "gp_post": ("gp_post", "huisartsenpost"),
    "ambulance_post": ("ambulance_post", "ambulancepost"),
    "ambulance_min_to_seh": ("ambulance_min_to_seh", "ambulance: melding tot 24/7-SEH"),
    "car": ("car", "auto"),
    "ambulance": ("ambulance", "ambulance"),
    # providers
    "open_247": ("open_247", "24/7 open"),
    "limited_hours": ("limited_hours", "beperkte openingstijden"),
    "closed_in_network": ("closed_in_network", "gesloten in dit netwerk"),
    "none": ("none", "geen SEH"),
    # acute pressure
    "expected call_112 a year": ("expected call_112 a year", "verwachte 112-meldingen per jaar"),
    "expected gp_post_call a year": (
        "expected gp_post_call a year",
        "verwachte telefonische contacten huisartsenpost per jaar",
    ),
    "expected self_referral a year": (
        "expected self_referral a year",
        "verwachte zelfverwijzers SEH per jaar",
    ),
    "expected gp_referral a year": (
        "expected gp_referral a year",
        "verwachte verwijzingen door de huisarts per jaar",
    ),
    "expected other_referral a year": (
        "expected other_referral a year",
        "verwachte overige verwijzingen per jaar",
    ),
    "simulated seh_visits a year": (
        "simulated seh_visits a year",
        "gesimuleerde SEH-bezoeken per jaar",
    ),
    "simulated gp_post_contacts a year": (
        "simulated gp_post_contacts a year",
        "gesimuleerde contacten huisartsenpost per jaar",
    ),
    "simulated ambulance_deployments a year": (
        "simulated ambulance_deployments a year",
        "gesimuleerde ambulance-inzetten per jaar",
    ),
    "simulated admissions a year": ("simulated admissions a year", "gesimuleerde opnames per jaar"),
    "a1_share_on_scene_15min": ("a1_share_on_scene_15min", "A1-ritten binnen 15 min ter plaatse"),
    "a1_response_min_p95": ("a1_response_min_p95", "A1-responstijd in min, p95"),
    "a2_share_on_scene_30min": ("a2_share_on_scene_30min", "A2-ritten binnen 30 min ter plaatse"),
    "a1_a2_share_at_seh_within_norm": (
        "a1_a2_share_at_seh_within_norm",
        "A1/A2 binnen de norm op een SEH",
    ),
    "share_urgent_answered_30s": (
        "share_urgent_answered_30s",
        "spoedoproepen binnen 30 s beantwoord",
    ),
    "share_seh_triage_10min": ("share_seh_triage_10min", "SEH-triage binnen 10 min"),
    "seh_los_min_p90": ("seh_los_min_p90", "verblijfsduur SEH in min, p90"),
    "share_admitted": ("share_admitted", "aandeel opgenomen"),
    "diverted_ambulances": ("diverted_ambulances", "ambulances omgeleid naar een andere SEH"),
    "ambulance utilisation": ("ambulance utilisation", "bezettingsgraad ambulances"),
    "staffed ambulances in the simulation, weekday daytime": (
        "staffed ambulances in the simulation, weekday daytime",
        "bemande ambulances in de simulatie, werkdag overdag",
    ),
    # capacity
    "ambulances, weekday daytime (share of the national fleet)": (
        "ambulances, weekday daytime (share of the national fleet)",
        "ambulances, werkdag overdag (aandeel in de landelijke vloot)",
    ),
    "SEH treatment bays": ("SEH treatment bays", "SEH-behandelplekken"),
    "hospital beds of the open SEH sites (grown with acute admissions)": (
        "hospital beds of the open SEH sites (grown with acute admissions)",
        "ziekenhuisbedden van de locaties met een open SEH (groeien mee met de acute opnames)",
    ),
    "ambulance_deployments": ("ambulance_deployments", "ambulance-inzetten"),
    "seh_visits": ("seh_visits", "SEH-bezoeken"),
    "admissions": ("admissions", "acute opnames"),
}

# the columns whose cells are names to show in the chapter's language
NAMED = ("quantity", "service", "mode", "seh_status", "resource", "driver", "intervention")


def _readable(df: pd.DataFrame, tr: Labels = EN) -> pd.DataFrame:
    """Shares as percentages and changes as signed percentages; the rest as md_table shows it."""
    out = df.copy()
    share_rows = (
        out["quantity"].str.contains("share|utilisation")
        if "quantity" in out.columns
        else pd.Series(False, index=out.index)
    )
    points = tr("pt")
    for col in out.columns:
        if col == "change":
            out[col] = [
                "" if pd.isna(v) else f"{100 * v:+.1f} {points}" if s else f"{v:+.1%}"
                for v, s in zip(out[col], share_rows, strict=True)
            ]
        elif col.startswith("share"):
            out[col] = [f"{v:.1%}" for v in out[col]]
        elif col != "quantity" and share_rows.any():
            out[col] = [f"{v:.1%}" if s else v for v, s in zip(out[col], share_rows, strict=True)]
    return out


def _named(df: pd.DataFrame, tr: Labels, headers: dict[str, str]) -> pd.DataFrame:
    """The frame with its headers and names in the language of `tr` (`headers`: the headers
    that carry a year or the norm, already said)."""
    say = chapter_words(WORDS, tr)

    def term(name: str) -> str:
        return say(intervention_name(name, tr, english=name))

    out = df.copy()
    for col in NAMED:
        if col in out.columns:
            out[col] = out[col].map(term)
    return out.rename(columns=lambda c: headers.get(c) or term(c))


def regiobeeld_map(
    points: pd.DataFrame,
    sites: pd.DataFrame,
    labels: pd.DataFrame,
    cfg: RunConfig,
    out: Path,
    title: str,
) -> Path:
    """The region's ambulance minutes to a 24/7 SEH with municipal boundaries and names."""
    tr = labels_of(cfg.report.lang, cfg.report.norm_min)
    return accessibility_map(
        points,
        sites,
        out / "regiobeeld_map.png",
        title=tr("regiobeeld_map_title", title=title),
        cell_km=min(cfg.report.map_cell_km, 1.5),
        norm_min=cfg.report.norm_min,
        boundary_file=cfg.report.boundary_file or EMBEDDED_BOUNDARIES,
        labels=labels,
        dpi=cfg.report.dpi,
        tr=tr,
    )


def largest_gap(capacity: pd.DataFrame) -> pd.Series:
    """The resource whose need at the horizon exceeds today's amount the most relative to it:
    beds, bays and ambulances are counted in units too unlike to rank by the raw gap."""
    return capacity.loc[capacity["relative_gap"].idxmax()]


def _interval(low: float, high: float, share: bool) -> str:
    """A 95 % interval as 'low – high', shown as its value is (a percentage for a share)."""
    if pd.isna(low) or pd.isna(high):
        return ""
    if share:
        return f"{low:.1%} – {high:.1%}"
    return f"{fmt_number(low)} – {fmt_number(high)}"


def _years_shown(df: pd.DataFrame, tr: Labels, years: list[int], intervals: bool) -> pd.DataFrame:
    """The years table readable, each year's two interval bounds as one column (none for one
    replication, where there is no interval)."""
    bounds = [c for c in df.columns if c.startswith("ci_")]
    out = _readable(df.drop(columns=bounds), tr)
    if intervals:
        share = df["quantity"].str.contains("share|utilisation")
        for year in years:
            out[f"ci95_{year}"] = [
                _interval(lo, hi, s)
                for lo, hi, s in zip(
                    df[f"ci_low_{year}"], df[f"ci_high_{year}"], share, strict=True
                )
            ]
    return out


def _capacity_shown(capacity: pd.DataFrame, horizon: int, intervals: bool) -> pd.DataFrame:
    """The capacity table with the need's interval as one column (none for one replication)
    and the relative gap as a signed percentage."""
    low, high = f"needed_{horizon}_ci_low", f"needed_{horizon}_ci_high"
    out = capacity.drop(columns=[low, high, "replications"])
    out["relative_gap"] = [f"{v:+.1%}" if pd.notna(v) else "" for v in out["relative_gap"]]
    if intervals:
        shown = [_interval(a, b, False) for a, b in zip(capacity[low], capacity[high], strict=True)]
        out.insert(out.columns.get_loc(f"needed_{horizon}") + 1, f"needed_{horizon}_ci95", shown)
    return out


def write_regiobeeld_chapter(
    frames: dict[str, pd.DataFrame],
    summary: dict,
    cfg: RunConfig,
    out: Path,
    map_path: Path | None,
    overrides: list[str] | None,
) -> Path:
    """regiobeeld.md in the run folder (without its map when figures are off), in
    `report.lang`."""
    tr = labels_of(cfg.report.lang, cfg.report.norm_min)
    say = chapter_words(WORDS, tr)
    now, horizon = summary["years"][0], summary["years"][-1]
    p_now = summary["profiles"][str(now)]
    p_then = summary["profiles"][str(horizon)]
    cap = frames["capacity"]
    worst = largest_gap(cap)
    n = int(p_now["replications"])
    if n > 1:
        gap = say(
            "gap_interval",
            relative=worst["relative_gap"],
            low=worst[f"needed_{horizon}_ci_low"] / worst["today"] - 1,
            high=worst[f"needed_{horizon}_ci_high"] / worst["today"] - 1,
            n=n,
        )
    else:
        gap = say("gap_one", relative=worst["relative_gap"])
    headline = say(
        "headline",
        population_now=p_now["population"],
        municipalities=summary["municipalities"],
        now=now,
        population_then=p_then["population"],
        horizon=horizon,
        growth=p_then["population"] / p_now["population"] - 1,
        share_65_now=p_now["share_65plus"],
        share_65_then=p_then["share_65plus"],
        a1_now=p_now["pressure"]["a1_share_on_scene_15min"],
        a1_then=p_then["pressure"]["a1_share_on_scene_15min"],
        resource=say(worst["resource"]),
        today=fmt_number(worst["today"]),
        needed=fmt_number(worst[f"needed_{horizon}"]),
        gap=gap,
    )
    norm = f"{cfg.report.norm_min:g}"
    headers = {
        f"inhabitants_beyond_{norm}_min": say("inhabitants_beyond", norm=norm),
        f"share_beyond_{norm}_min": say("share_beyond", norm=norm),
        **{
            f"{name}_{year}": say(f"{name}_year", year=year)
            for name in ("volume", "needed", "patients", "ci95")
            for year in (now, horizon)
        },
        f"needed_{horizon}_ci95": say("needed_ci95_year", year=horizon),
    }

    def table(df: pd.DataFrame, readable: bool = True) -> str:
        return md_table(_named(_readable(df, tr) if readable else df, tr, headers))

    years = frames["years"]
    demography = years[years["quantity"].isin(DEMOGRAPHY)]
    pressure = years[~years["quantity"].isin(DEMOGRAPHY)]
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    text = env.get_template(template_name("regiobeeld", tr)).render(
        region=summary["region"],
        now=now,
        horizon=horizon,
        headline=headline,
        map=map_path.name if map_path else "",
        demography=table(_years_shown(demography, tr, [now, horizon], False), readable=False),
        points=f"{summary['demand_points']:,}",
        allowance=f"{cfg.report.response_allowance_min:g}",
        norm=norm,
        access=table(frames["access"]),
        providers=table(frames["providers"], readable=False),
        days=f"{cfg.sim.days:g}",
        warmup=f"{cfg.sim.warmup_days:g}",
        seed=cfg.sim.seed,
        replications=say("pressure_replications", n=n) if n > 1 else say("pressure_one"),
        years=table(_years_shown(pressure, tr, [now, horizon], n > 1), readable=False),
        capacity_note=say("capacity_replications", n=n) if n > 1 else say("capacity_one"),
        capacity=table(_capacity_shown(cap, horizon, n > 1), readable=False),
        care=table(frames["care"]),
        overrides=" ".join(overrides or []),
        population=(
            say("population_file", path=cfg.demand.prognosis_file)
            if cfg.demand.prognosis_file
            else say("population_rule")
        ),
    )
    path = out / "regiobeeld.md"
    write_text(path, text)
    return path


DEMOGRAPHY = ("inhabitants", "aged 65+", "share 65+", "aged 80+ (rule)", "share 80+ (rule)")
