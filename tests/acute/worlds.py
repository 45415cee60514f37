"""Helpers the acute tests share: a quick regional run's overrides and the static world of a
configuration (travel, staffing, fleets, beds), built without running the model."""

from __future__ import annotations

import patientflow
from patientflow.acute.world import World, build_world
from patientflow.config.schema import RunConfig
from patientflow.core.area import study_area
from patientflow.core.network import build_network
from patientflow.data import Dataset
from patientflow.runner import as_run_config, load_run_data, run_travel_model

QUICK = (
    "demand=municipality",
    "report.figures=false",
    "report.accessibility_area=study_area",
    "sim.progress=false",
)


def world_of(*overrides: str) -> tuple[World, RunConfig, Dataset]:
    """The world, typed config and dataset of a configuration at municipality resolution."""
    run, _ = as_run_config(patientflow.compose(["demand=municipality", *overrides]))
    data = load_run_data(run)
    network = build_network(data, run.network)
    area = study_area(data, run)
    return build_world(data, area, network, run_travel_model(run, data), run), run, data
