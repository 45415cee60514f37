"""The sweep callback (a sweep whose report cannot be built says so and exits 1) and how the
report reads its job folders."""

from __future__ import annotations

import pytest
from omegaconf import OmegaConf

from patientflow.report import callback, cli


def test_a_sweep_whose_report_fails_exits_1_and_says_how_to_build_it_again(
    tmp_path, monkeypatch, capsys
):
    def broken(root):
        raise KeyError("acute.replications.national.a1_share_on_scene_15min.ci_low")

    monkeypatch.setattr(cli, "build_report", broken)
    config = OmegaConf.create({"hydra": {"sweep": {"dir": str(tmp_path)}}})
    with pytest.raises(SystemExit) as stop:
        callback.SweepReport().on_multirun_end(config)
    assert stop.value.code == 1
    err = capsys.readouterr().err
    assert "report could not be built" in err and "ci_low" in err
    assert f"patientflow-report {tmp_path}" in err


def test_job_yaml_reads_as_safe_load_reads_it_and_runs_no_python_tags():
    import yaml

    from patientflow.report.jobs import load_yaml

    text = "report:\n  lang: nl\nsim:\n  days: 7.0\n  codes: [ZK27, '01']\n  off: null\n"
    assert load_yaml(text) == yaml.safe_load(text)
    with pytest.raises(yaml.YAMLError):
        load_yaml("!!python/object/apply:os.system ['echo unsafe']")


def test_a_key_pinned_on_the_command_line_counts_as_the_sweeper_runs_it():
    """`-m +experiment=seh_sensitivity network.closed_sites=[H100101]` runs one job (the
    command line replaces the experiment's 77 values), but the sweep counted 77 and the report
    listed 76 jobs as never started."""
    config = OmegaConf.create(
        {
            "hydra": {
                "sweeper": {"params": {"network.closed_sites": "[],[H100101],[H100201]"}},
                "overrides": {"task": ["+experiment=seh_sensitivity", "network.closed_sites=[]"]},
            }
        }
    )
    assert callback.sweep_size(config) == 1
    config.hydra.overrides.task = ["scenario=a,b", "network.closed_sites=[],[H100101]"]
    assert callback.sweep_size(config) == 4
    config.hydra.overrides.task = ["scenario=a,b"]
    assert callback.sweep_size(config) == 6
