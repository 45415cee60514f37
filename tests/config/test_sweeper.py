"""patientflow's sweeper: Hydra's basic sweeper whose check of a batch shares the composition
of jobs that differ in values alone, and still stops a bad job with Hydra's error."""

from __future__ import annotations

import subprocess
import sys

import pytest

import patientflow


class Loader:
    """Hydra's config loader as the check calls it: a composition per call, counted; a job
    with `sim.days=abc` refused as Hydra refuses it."""

    def __init__(self) -> None:
        self.calls: list[list[str]] = []

    def load_sweep_config(self, master_config, sweep_overrides):
        self.calls.append(list(sweep_overrides))
        if "sim.days=abc" in sweep_overrides:
            raise ValueError("Error merging override sim.days=abc")
        return patientflow.compose(list(sweep_overrides))


def sweeper(loader: Loader):
    """The sweeper as Hydra makes it: imported after Hydra's plugin scan, which executes
    Hydra's basic sweeper module again (a class imported before would not be its subclass)."""
    from hydra.core.plugins import Plugins

    Plugins.instance()
    from hydra_plugins.patientflow_sweeper.sweeper import PatientflowSweeper

    s = PatientflowSweeper(max_batch_size=None)
    s.hydra_context, s.config_loader, s.config = None, loader, patientflow.compose([])
    return s


def test_jobs_that_differ_in_values_alone_are_composed_once():
    loader = Loader()
    sweeper(loader).validate_batch_is_legal(
        [["region=midden", f"sim.replication={i}"] for i in range(16)]
    )
    assert loader.calls == [["region=midden"]]


def test_a_job_whose_value_does_not_fit_gets_hydras_own_error():
    loader = Loader()
    batch = [["region=midden", "sim.days=1"], ["region=midden", "sim.days=abc"]]
    with pytest.raises(ValueError, match="sim.days=abc"):
        sweeper(loader).validate_batch_is_legal(batch)
    assert loader.calls == [["region=midden"], ["region=midden", "sim.days=abc"]]


def test_jobs_of_other_groups_are_composed_each():
    loader = Loader()
    sweeper(loader).validate_batch_is_legal([["region=midden"], ["region=euregio"]])
    assert loader.calls == [["region=midden"], ["region=euregio"]]


@pytest.mark.slow
def test_a_sweep_with_a_bad_value_stops_before_any_job_runs(tmp_path):
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "patientflow.cli",
            "-m",
            "sim.days=1,abc",
            f"hydra.sweep.dir={tmp_path}",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode != 0
    assert "sim.days=abc" in done.stderr and "could not be converted to Float" in done.stderr
    assert not any(p.is_dir() for p in tmp_path.iterdir())  # no job folder: nothing ran
    assert "PatientflowSweeper" in (tmp_path / "multirun.yaml").read_text(encoding="utf-8")
