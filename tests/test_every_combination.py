"""Every documented combination runs: each job, each network with the care job, each scenario
with the acute job and each ready experiment (as a single job), shrunk by `debug=fast`; and
empty results are results: a run with no patients completes with finite or empty indicators."""

from __future__ import annotations

import json
import math

import pytest
from omegaconf import OmegaConf

import patientflow
from patientflow.config.hydra import conf_dir, experiments_dir

# Every test here needs seconds of work (a simulation, a build or a command line, itself or
# in its module fixture): `make test-fast` leaves them out (pyproject.toml's slow marker).
pytestmark = pytest.mark.slow

NETWORKS = sorted(p.stem for p in (conf_dir() / "network").glob("*.yaml"))
SCENARIOS = sorted(p.stem for p in (conf_dir() / "scenario").glob("*.yaml"))
EXPERIMENTS = sorted(p.stem for p in experiments_dir().glob("*.yaml"))
FAST = ["debug=fast", "report.figures=false", "report.accessibility_area=study_area"]
# An experiment may set its own region and horizon; these come last and shrink it again.
SHRINK = [
    "region.name=midden",
    "region.level=roaz",
    "region.codes=[MIDDEN]",
    "sim.days=2",
    "sim.warmup_days=0.5",
    "sim.replications=1",
]


def numbers_are_finite(node, path="summary") -> list[str]:
    """Paths of the numbers in a summary that are NaN or infinite."""
    if isinstance(node, dict):
        return [p for k, v in node.items() for p in numbers_are_finite(v, f"{path}.{k}")]
    if isinstance(node, list):
        return [p for i, v in enumerate(node) for p in numbers_are_finite(v, f"{path}[{i}]")]
    if isinstance(node, float) and not math.isfinite(node):
        return [path]
    return []


@pytest.fixture(scope="module")
def run_once(tmp_path_factory):
    """Runs a combination and returns its summary, checking the written summary.json's numbers
    are finite. Combinations that compose to the same configuration (the default scenario or
    network named, an experiment shrunk back to a job's defaults) share one run."""
    done: dict[str, tuple[dict, list[str]]] = {}

    def run(overrides: list[str]) -> dict:
        cfg = patientflow.compose(overrides)
        key = json.dumps(OmegaConf.to_container(cfg), sort_keys=True, default=str)
        if key not in done:
            out = tmp_path_factory.mktemp("combination")
            result = patientflow.run(cfg, out)
            written = json.loads((out / "summary.json").read_text(encoding="utf-8"))
            done[key] = (result.summary, numbers_are_finite(written))
        summary, not_finite = done[key]
        assert not_finite == []
        return summary

    return run


@pytest.mark.parametrize("job", ["accessibility", "acute", "care"])
def test_every_job_runs_under_debug_fast(run_once, job):
    summary = run_once([f"sim={job}", *FAST])
    assert summary["job"] == job


@pytest.mark.parametrize("network", NETWORKS)
def test_the_care_job_runs_with_every_network(run_once, network):
    summary = run_once(
        ["sim=care", f"network={network}", *FAST, "care.national_rules_on_region=true"]
    )
    assert summary["care"], network


@pytest.mark.parametrize("scenario", SCENARIOS)
def test_the_acute_job_runs_with_every_scenario(run_once, scenario):
    summary = run_once([f"scenario={scenario}", *FAST])
    assert summary["acute"]["arrivals"] > 0


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_every_experiment_runs_shrunk(run_once, name):
    run_once([f"+experiment={name}", *FAST, *SHRINK])


def test_a_run_without_patients_is_a_result(run_once):
    zero = [
        f"demand.channels.{c}.rate_per_1000_per_year=0"
        for c in ("call_112", "gp_post_call", "self_referral", "gp_referral", "other_referral")
    ]
    summary = run_once([*FAST, *zero])
    assert summary["acute"]["arrivals"] == 0
    assert summary["acute"]["national"]["journeys"] == 0
    assert summary["acute"]["national"]["share_seh_triage_10min"] is None


def test_a_care_run_without_patients_is_a_result(run_once, tmp_path):
    zero = [
        f"care.interventions.{name}.incidence_per_100k=0"
        for name in patientflow.compose([]).care.interventions
    ]
    run_once(["sim=care", *FAST, *zero])
    drawn = patientflow.run(
        patientflow.compose(["sim=care", "debug=fast", "sim.days=0", *zero]), tmp_path / "fig"
    )
    assert all(path.is_file() for path in drawn.figures.values())
