"""The figures of one run, by job: what the runner asks the report layer to draw."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

import numpy as np
import pandas as pd

from patientflow.config.schema import RunConfig
from patientflow.core.area import region_title
from patientflow.core.network import ServiceNetwork
from patientflow.data import Dataset
from patientflow.report.labels import EN, Labels, labels_of

if TYPE_CHECKING:
    from patientflow.care.impact import ImpactOutput


class CareFrames(Protocol):
    """What the report draws of the care job's output (patientflow.care.job.CareOutput,
    which the report does not import: the care job's module knows SimPy and Mesa)."""

    providers: pd.DataFrame
    extra_travel: dict[str, tuple[np.ndarray, np.ndarray]]
    impact: ImpactOutput | None


def acute_figures(acute: dict, run_cfg: RunConfig, data: Dataset, out: Path) -> dict:
    """The acute job's own figures: facilities by hour of the week, norms met per region (over
    the replications where the run has several)."""
    from patientflow.report.acute_figures import norms_figure, week_figure

    tr = labels_of(run_cfg.report.lang, run_cfg.report.norm_min)
    label = f"{region_title(data, run_cfg)} · {tr('scenario', name=run_cfg.scenario.name)}"
    figures = {}
    series = out / "timeseries.parquet"
    if series.is_file():
        figures["acute_week"] = week_figure(
            pd.read_parquet(series),
            run_cfg.sim.warmup_days,
            out / "acute_week.png",
            week_title(label, acute.get("replications", {}).get("n", 1), tr),
            run_cfg.report.dpi,
            tr,
            acute["study_area_sehs"],
        )
    if acute.get("per_roaz"):
        replications = out / "replications.csv"
        figures["acute_norms"] = norms_figure(
            acute["per_roaz"],
            out / "acute_norms.png",
            tr("norms_title", label=label),
            run_cfg.report.dpi,
            tr,
            pd.read_csv(replications) if replications.is_file() else None,
        )
    return figures


def week_title(label: str, replications: int, tr: Labels = EN) -> str:
    """The title of the hour-of-the-week figure, which draws the first replication alone (the
    one whose time series a run keeps): it says so where the run has several."""
    title = tr("week_title", label=label)
    return f"{title}\n{tr('week_first_replication', n=replications)}" if replications > 1 else title


def access_figures(
    points: pd.DataFrame,
    network: ServiceNetwork,
    run_cfg: RunConfig,
    out: Path,
    area_name: str,
    towns: pd.DataFrame,
) -> dict[str, Path]:
    """The accessibility map (municipal boundaries, the largest towns named) and the travel
    time distribution."""
    from patientflow.report.figures import EMBEDDED_BOUNDARIES, accessibility_map, travel_cdf

    rep = run_cfg.report
    tr = labels_of(rep.lang, rep.norm_min)
    area = "NL" if area_name == "nl" else area_name
    label = f"{area} · {tr('network', name=network.name)}"
    return {
        "map": accessibility_map(
            points,
            network.sites,
            out / "map_ambulance_seh.png",
            title=tr("map_title", label=label),
            cell_km=rep.map_cell_km,
            norm_min=rep.norm_min,
            boundary_file=rep.boundary_file or EMBEDDED_BOUNDARIES,
            labels=towns,
            dpi=rep.dpi,
            tr=tr,
        ),
        "cdf": travel_cdf(
            points,
            out / "travel_cdf.png",
            title=tr("cdf_title", label=label),
            norm_min=rep.norm_min,
            dpi=rep.dpi,
            tr=tr,
        ),
    }


def care_figures(
    care: CareFrames, network_name: str, data: Dataset, run_cfg: RunConfig, out: Path
) -> dict[str, Path]:
    """The care job's provider map, volumes, extra travel and, with an impact analysis, one
    figure per stakeholder group; a regional run's titles say they count its patients only
    (a hospital's volume there is its patients from the region)."""
    from patientflow.report.care_figures import extra_travel_figure, provider_map, volume_figure

    dpi = run_cfg.report.dpi
    tr = labels_of(run_cfg.report.lang, run_cfg.report.norm_min)
    if run_cfg.region.level is not None and run_cfg.region.codes:
        codes = ", ".join(run_cfg.region.codes)
        tr = replace(tr, title_suffix=tr("regional_scope", codes=codes))
    return {
        "care_map": provider_map(
            care.providers,
            out / "care_providers_map.png",
            network_name,
            data.demand_points,
            dpi=dpi,
            tr=tr,
            flows=care.impact.flows if care.impact else None,
        ),
        "care_volumes": volume_figure(
            care.providers, out / "care_volumes.png", network_name, dpi=dpi, tr=tr
        ),
        "care_extra_travel": extra_travel_figure(
            care.extra_travel, out / "care_extra_travel.png", network_name, dpi=dpi, tr=tr
        ),
        **(
            impact_figures(care.impact, network_name, out, dpi, tr, total_row(run_cfg, tr))
            if care.impact
            else {}
        ),
    }


def total_row(run_cfg: RunConfig, tr: Labels = EN) -> str:
    """The name of the row of all a care run's patients: NL for the country, else the study
    area's codes, whose patients alone the run counts."""
    region = run_cfg.region
    if region.level is None or not region.codes:
        return "NL"
    return tr("study_area_row", codes=", ".join(region.codes))


def impact_figures(
    impact: ImpactOutput,
    network_name: str,
    out: Path,
    dpi: int,
    tr: Labels = EN,
    total: str = "NL",
) -> dict[str, Path]:
    """One figure per stakeholder group of the impact analysis (`total`: the name of the row of
    all the run's patients)."""
    from patientflow.report.impact_figures import (
        networks_figure,
        patients_figure,
        professionals_figure,
        providers_figure,
    )

    return {
        "impact_patients": patients_figure(
            impact.patients,
            out / "care_impact_patients.png",
            network_name,
            dpi=dpi,
            tr=tr,
            total=total,
        ),
        "impact_professionals": professionals_figure(
            impact.professionals,
            out / "care_impact_professionals.png",
            network_name,
            dpi=dpi,
            tr=tr,
        ),
        "impact_providers": providers_figure(
            impact.hospitals, out / "care_impact_providers.png", network_name, dpi=dpi, tr=tr
        ),
        "impact_networks": networks_figure(
            impact.vascular, out / "care_impact_networks.png", network_name, dpi=dpi, tr=tr
        ),
    }
