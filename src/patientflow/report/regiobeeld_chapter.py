"""The regiobeeld chapter (regiobeeld.md) and its map, from the regiobeeld job's frames. English
or Dutch (`report.lang`): templates/regiobeeld.md.j2 or regiobeeld.nl.md.j2 with the same
variables, and the headline, headers and row names from regiobeeld_words.WORDS, one code path
for both."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from patientflow.config.acute import AmbulanceConfig, FleetRule
from patientflow.config.schema import RunConfig
from patientflow.core.files import write_text
from patientflow.report.chapter_words import chapter_words, intervention_name, template_name
from patientflow.report.figures import EMBEDDED_BOUNDARIES, accessibility_map
from patientflow.report.labels import EN, Labels, labels_of
from patientflow.report.markdown import fmt_number, md_table
from patientflow.report.regiobeeld_words import WORDS

TEMPLATES = Path(__file__).parent / "templates"

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


def fleet_words(cfg: RunConfig, say: Callable[..., str], short: bool = False) -> str:
    """The fleet the years were simulated with, as facilities.ambulance configures it (`short`:
    for the headline): the chapter named RIVM's 693 whatever the run staffed."""
    amb, end = cfg.facilities.ambulance, "_short" if short else ""
    if amb.fleet is FleetRule.table:
        words = say(f"fleet_table{end}", path=amb.fleet_file)
    elif amb.fleet is FleetRule.occupancy:
        words = say(f"fleet_occupancy{end}", occupancy=amb.target_occupancy)
    else:
        # "today's" only for RIVM's 693: another fleet_weekday_day is the user's own
        today = AmbulanceConfig().fleet_weekday_day
        rule = "fleet_public" if amb.fleet_weekday_day == today else "fleet_national"
        words = say(f"{rule}{end}", n=fmt_number(amb.fleet_weekday_day), today=fmt_number(today))
    # the scenario's capacity factor scales every fleet rule's vehicles (acute/fleet.py)
    if cfg.scenario.capacity_factor != 1:
        words += say("fleet_capacity", factor=cfg.scenario.capacity_factor)
    return words


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
    largest = say(
        "largest_gap" if worst["relative_gap"] > 0 else "no_gap",
        resource=say(worst["resource"]),
        today=fmt_number(worst["today"]),
        needed=fmt_number(worst[f"needed_{horizon}"]),
        gap=gap,
    )
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
        fleet=fleet_words(cfg, say, short=True),
        largest=largest,
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
        fleet=fleet_words(cfg, say),
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
