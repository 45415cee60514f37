"""The static accessibility job: travel minutes from every demand point of the accessibility
area to each service, and its tables per municipality, per region and nationally. Every run
writes it (the acute and care jobs beside it)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from patientflow.access.points import point_accessibility
from patientflow.access.tables import municipality_table, national_summary, region_table
from patientflow.config.schema import AccessibilityArea, RunConfig
from patientflow.core.area import StudyArea, region_title, study_area
from patientflow.core.files import write_frame
from patientflow.core.network import ServiceNetwork
from patientflow.core.travel import TravelModel
from patientflow.data import Dataset


@dataclass
class AccessOutput:
    """The accessibility picture: where it was drawn, its per-point frame, its tables and the
    summary block."""

    area_name: str
    points: pd.DataFrame
    tables: dict[str, Path]
    summary: dict


def run_access(
    cfg: RunConfig,
    data: Dataset,
    network: ServiceNetwork,
    area: StudyArea,
    travel: TravelModel,
    out: Path,
) -> AccessOutput:
    """The picture for the whole country (report.accessibility_area=nl) or the study area."""
    national = cfg.report.accessibility_area is AccessibilityArea.nl
    # the country at the scenario's population (population_factor), as the points are: a
    # region's share of its whole population stays a share
    country = study_area(data, cfg, whole_country=True)
    acc_area = country if national else area
    points = point_accessibility(acc_area, network, travel, cfg, data.municipalities)
    munis = municipality_table(points, acc_area.municipalities)
    regions = region_table(points, country.municipalities, network, cfg.report.region_levels)
    tables = {
        "accessibility": write_frame(munis, out / "accessibility.parquet"),
        "accessibility_points": write_frame(points, out / "accessibility_points.parquet"),
        "regions": write_frame(regions, out / "regions.csv"),
        "network_sites": write_frame(network.sites, out / "network_sites.csv"),
    }
    summary = national_summary(points, network)
    summary["seh_open_at"] = {
        "03:00": int(network.seh_open_at(180).sum()),
        "12:00": int(network.seh_open_at(720).sum()),
    }
    # the study area by its regions' names and codes: region.codes may name other regions than
    # the region group's name (debug=fast's midden with region.codes=[ZK27] is Zeeland)
    return AccessOutput("nl" if national else region_title(data, cfg), points, tables, summary)
