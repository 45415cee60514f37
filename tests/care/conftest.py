"""Runs that more than one file of the care tests reads: made once per test process (a worker
of `make test` makes one when a file it runs needs it)."""

from __future__ import annotations

import pytest

import patientflow


@pytest.fixture(scope="session")
def decide_example(tmp_path_factory):
    """The national care study under networks_decide_example (each cancer network's own choice,
    spread care between two hospitals), no simulated days, no figures."""
    cfg = patientflow.compose(
        [
            "sim=care",
            "region=nl",
            "demand=municipality",
            "network=networks_decide_example",
            "sim.days=0",
            "report.figures=false",
        ]
    )
    return patientflow.run(cfg, tmp_path_factory.mktemp("decide_example") / "run")
