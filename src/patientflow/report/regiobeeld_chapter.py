"""The regiobeeld chapter (regiobeeld.md) and its map, from the regiobeeld job's frames."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
from jinja2 import Environment, FileSystemLoader, StrictUndefined

from patientflow.config.schema import RunConfig
from patientflow.core.files import write_text
from patientflow.report.figures import EMBEDDED_BOUNDARIES, accessibility_map
from patientflow.report.markdown import md_table

TEMPLATES = Path(__file__).parent / "templates"


def _readable(df: pd.DataFrame) -> pd.DataFrame:
    """Shares as percentages and changes as signed percentages; the rest as md_table shows it."""
    out = df.copy()
    share_rows = (
        out["quantity"].str.contains("share|utilisation")
        if "quantity" in out.columns
        else pd.Series(False, index=out.index)
    )
    for col in out.columns:
        if col == "change":
            out[col] = [
                "" if pd.isna(v) else f"{100 * v:+.1f} pt" if s else f"{v:+.1%}"
                for v, s in zip(out[col], share_rows, strict=True)
            ]
        elif col.startswith("share"):
            out[col] = [f"{v:.1%}" for v in out[col]]
        elif col != "quantity" and share_rows.any():
            out[col] = [f"{v:.1%}" if s else v for v, s in zip(out[col], share_rows, strict=True)]
    return out


def regiobeeld_map(
    points: pd.DataFrame,
    sites: pd.DataFrame,
    labels: pd.DataFrame,
    cfg: RunConfig,
    out: Path,
    title: str,
) -> Path:
    """The region's ambulance minutes to a 24/7 SEH with municipal boundaries and names."""
    return accessibility_map(
        points,
        sites,
        out / "regiobeeld_map.png",
        title=f"{title}: minutes from call to the nearest 24/7 SEH",
        cell_km=min(cfg.report.map_cell_km, 1.5),
        norm_min=cfg.report.norm_min,
        boundary_file=cfg.report.boundary_file or EMBEDDED_BOUNDARIES,
        labels=labels,
        dpi=cfg.report.dpi,
    )


def write_regiobeeld_chapter(
    frames: dict[str, pd.DataFrame],
    summary: dict,
    cfg: RunConfig,
    out: Path,
    map_path: Path | None,
    overrides: list[str] | None,
) -> Path:
    """regiobeeld.md in the run folder (without its map when figures are off)."""
    now, horizon = summary["years"][0], summary["years"][-1]
    p_now = summary["profiles"][str(now)]
    p_then = summary["profiles"][str(horizon)]
    cap = frames["capacity"]
    worst = cap.loc[cap["gap"].idxmax()]
    headline = (
        f"{p_now['population']:,.0f} inhabitants in {summary['municipalities']} municipalities "
        f"in {now}, {p_then['population']:,.0f} in {horizon} "
        f"({p_then['population'] / p_now['population'] - 1:+.1%}); 65+ from "
        f"{p_now['share_65plus']:.1%} to {p_then['share_65plus']:.1%}. A1 ambulances on scene "
        f"within 15 minutes: {p_now['pressure']['a1_share_on_scene_15min']:.1%} in {now}, "
        f"{p_then['pressure']['a1_share_on_scene_15min']:.1%} in {horizon} on today's national "
        "fleet. "
        f"The largest gap at today's occupancy: {worst['resource']}, "
        f"{worst['today']:,.0f} today against {worst[f'needed_{horizon}']:,.0f} needed."
    )
    demography = frames["years"][frames["years"]["quantity"].isin(DEMOGRAPHY)]
    pressure = frames["years"][~frames["years"]["quantity"].isin(DEMOGRAPHY)]
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        autoescape=False,
    )
    text = env.get_template("regiobeeld.md.j2").render(
        region=summary["region"],
        now=now,
        horizon=horizon,
        headline=headline,
        map=map_path.name if map_path else "",
        demography=md_table(_readable(demography)),
        points=f"{summary['demand_points']:,}",
        allowance=f"{cfg.report.response_allowance_min:g}",
        norm=f"{cfg.report.norm_min:g}",
        access=md_table(_readable(frames["access"])),
        providers=md_table(frames["providers"]),
        days=f"{cfg.sim.days:g}",
        warmup=f"{cfg.sim.warmup_days:g}",
        seed=cfg.sim.seed,
        years=md_table(_readable(pressure)),
        capacity=md_table(frames["capacity"]),
        care=md_table(_readable(frames["care"])),
        overrides=" ".join(overrides or []),
        prognosis=cfg.demand.prognosis_file or "the national rule",
    )
    path = out / "regiobeeld.md"
    write_text(path, text)
    return path


DEMOGRAPHY = ("inhabitants", "aged 65+", "share 65+", "aged 80+ (rule)", "share 80+ (rule)")
