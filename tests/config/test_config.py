"""Every config composes; typos fail with Hydra's message; domain errors exit 2 in one line."""

from __future__ import annotations

import subprocess
import sys

import pytest

import patientflow
from patientflow.config.checks import check_config
from patientflow.config.hydra import conf_dir
from patientflow.errors import ConfigError

GROUPS = sorted(p.name for p in conf_dir().iterdir() if p.is_dir())
OPTIONS = [(g, f.stem) for g in GROUPS for f in sorted((conf_dir() / g).glob("*.yaml"))]


def test_the_groups_the_issue_asks_for_exist():
    assert {"region", "network", "demand", "scenario", "sim", "report", "debug"} <= set(GROUPS)


@pytest.mark.slow  # 39 compositions of most of a second each (Hydra's)
@pytest.mark.parametrize("group,option", OPTIONS, ids=[f"{g}={o}" for g, o in OPTIONS])
def test_every_config_option_composes_and_checks(group, option):
    cfg = patientflow.compose([f"{group}={option}"])
    check_config(cfg)


def test_plus_new_key_is_rejected_by_our_check():
    cfg = patientflow.compose(["+network.closed_site=[H100101]"])
    with pytest.raises(ConfigError, match=r"^network.closed_site=.*unknown configuration key"):
        check_config(cfg)


def test_plus_new_key_inside_a_list_item_is_rejected():
    cfg = patientflow.compose(["network=seh_night_closure", "+network.night_closures.0.hours=3"])
    with pytest.raises(ConfigError, match="unknown configuration key"):
        check_config(cfg)


@pytest.mark.parametrize(
    "override,key",
    [
        ("travel.car.motorway_kmh=-100", "travel.car.motorway_kmh"),
        ("travel.detour_factor=0.8", "travel.detour_factor"),
        ("report.norm_min=0", "report.norm_min"),
        ("scenario.population_factor=-1", "scenario.population_factor"),
        ("region=nl region.codes=[MIDDEN]", "region.level"),
        ("facilities.triage.advice=0.5", "facilities.triage"),
        ("scenario=zcc_2025 scenario.zcc.redirect_share=1.2", "scenario.zcc.redirect_share"),
        ("facilities.seh.admit_self=1.5", "facilities.seh.admit_self"),
        ("facilities.seh.los_admitted.cv=0", "facilities.seh.los_admitted.cv"),
        ("scenario.capacity_factor=0", "scenario.capacity_factor"),
        ("scenario.heatwave_factor=-1", "scenario.heatwave_factor"),
        ("scenario.flu_peak.weeks=-2", "scenario.flu_peak.weeks"),
        ("sim.days=1 sim.warmup_days=2", "sim.warmup_days"),
        (
            "demand.channels.call_112.rate_per_1000_per_year=-1",
            "demand.channels.call_112.rate_per_1000_per_year",
        ),
    ],
)
def test_meaningless_values_name_their_key(override, key):
    with pytest.raises(ConfigError) as err:
        check_config(patientflow.compose(override.split()))
    assert str(err.value).startswith(f"{key}=")


def _cli(tmp_path, *args):
    return subprocess.run(
        [sys.executable, "-m", "patientflow.cli", f"hydra.run.dir={tmp_path}/run", *args],
        capture_output=True,
        text=True,
        timeout=300,
    )


@pytest.mark.parametrize(
    "override,needle",
    [
        ("network.closed_sites=[H000000]", "network.closed_sites[0]='H000000'"),
        ("+sim.hours=7", "sim.hours=7: unknown configuration key"),
        ("travel.car.regional_kmh=0", "travel.car.regional_kmh=0.0"),
        ("facilities.ambulance.share_b=0.5", "facilities.ambulance=1.28: shares must sum to 1"),
        ("region.level=roaz", None),
    ],
)
@pytest.mark.slow
def test_cli_domain_errors_exit_2_with_one_line(tmp_path, override, needle):
    args = [override] if needle else [override, "region.codes=[NOWHERE]"]
    needle = needle or "region.codes[0]='NOWHERE'"
    proc = _cli(tmp_path, *args)
    assert proc.returncode == 2, proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and needle in lines[0], proc.stderr
    assert "Traceback" not in proc.stderr


@pytest.mark.parametrize(
    "override", ["network.closed_stes=[H100101]", "region=nowhere", "sim.days=[1"]
)
@pytest.mark.slow
def test_cli_hydras_own_config_errors_exit_2_too(tmp_path, override):
    """A typo in a key, an unknown group option, an unparsable override: configuration errors,
    so exit 2 like every other (1 is kept for failures inside patientflow)."""
    proc = _cli(tmp_path, override)
    assert proc.returncode == 2, proc.stderr
    assert "Traceback" not in proc.stderr


def test_version_and_python_dash_m(tmp_path):
    from patientflow.version import __version__

    for cmd in (["-m", "patientflow", "--version"], ["-m", "patientflow.cli", "--version"]):
        proc = subprocess.run(
            [sys.executable, *cmd], cwd=tmp_path, capture_output=True, text=True, timeout=60
        )
        assert proc.returncode == 0, proc.stderr
        assert proc.stdout.strip() == f"patientflow {__version__}"


@pytest.mark.slow
def test_help_describes_todays_jobs_and_exit_codes(tmp_path):
    proc = subprocess.run(
        [sys.executable, "-m", "patientflow", "--help"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 0
    assert "The default job simulates one week of acute care" in proc.stdout
    assert "regiobeeld" in proc.stdout and "2 a configuration or data error" in proc.stdout


@pytest.mark.slow
def test_cli_bad_data_file_exits_2_naming_the_row(tmp_path, dataset):
    bad = dataset.sites.copy()
    bad.loc[4, "lon"] = 12.5
    path = tmp_path / "sites.csv"
    bad.to_csv(path, index=False)
    proc = _cli(tmp_path, f"data.tables.sites={path}")
    assert proc.returncode == 2
    assert f"{path}, row 6, column 'lon'" in proc.stderr


def test_the_travel_defaults_have_one_home():
    """The schema holds the travel defaults; the YAML and the engine take them from there."""
    from dataclasses import asdict

    from omegaconf import OmegaConf

    from patientflow.config.schema import TravelConfig
    from patientflow.core.travel import TravelParams

    assert OmegaConf.to_container(OmegaConf.load(conf_dir() / "travel" / "default.yaml")) == {}
    composed = OmegaConf.to_container(patientflow.compose([]).travel)
    assert composed == asdict(TravelConfig())
    params = TravelParams.from_config()
    assert params.detour_factor == TravelConfig().detour_factor
    assert asdict(params.ambulance) == asdict(TravelConfig().ambulance)


EXPERIMENTS = sorted(p.stem for p in (conf_dir().parent / "experiments").glob("*.yaml"))


@pytest.mark.parametrize("name", EXPERIMENTS)
def test_every_shipped_experiment_composes_and_sweeps_something(name):
    from omegaconf import OmegaConf

    cfg = patientflow.compose([f"+experiment={name}"])
    check_config(cfg)
    raw = OmegaConf.load(conf_dir().parent / "experiments" / f"{name}.yaml")
    assert raw.hydra.sweeper.params, name


def test_the_four_studies_of_issue_5_are_shipped():
    assert set(EXPERIMENTS) >= {
        "acute_stress_2025",
        "zcc_sweep",
        "volume_norm_sweep",
        "seh_sensitivity",
    }


@pytest.mark.parametrize("name", EXPERIMENTS)
@pytest.mark.slow
def test_debug_fast_shrinks_every_experiment(name):
    """An experiment is appended after the debug group, so its horizon and region would win;
    `debug=fast` is applied after composition and shrinks it all the same."""
    from patientflow.config.debug import apply_fast

    full = patientflow.compose([f"+experiment={name}"])
    assert apply_fast(full) == []
    cfg = patientflow.compose([f"+experiment={name}", "debug=fast"])
    changed = apply_fast(cfg)
    run = check_config(cfg)
    care = run.sim.job.value == "care"
    assert run.sim.days <= (28 if care else 1) and run.sim.replications <= 2
    if name == "acute_stress_2025":
        assert "sim.days 14.0 -> 1.0" in changed and "sim.replications 3 -> 2" in changed
        assert run.region.name == "nl", "the stress study keeps the country: breaches per region"


def test_the_command_returns_once_a_parallel_sweeps_workers_are_done(tmp_path):
    """A joblib sweep leaves loky's workers waiting for more work; the command's fast exit
    (os._exit) must first let them shut down, or they hold the caller's pipes open for their
    five-minute idle timeout (a `patientflow -m ... | tee log` that hangs after its sweep)."""
    pytest.importorskip("joblib")
    script = (
        "import time, joblib\n"
        "from patientflow import cli\n"
        "def work():\n"
        "    joblib.Parallel(n_jobs=2)(joblib.delayed(time.sleep)(0.2) for i in range(4))\n"
        "cli.main = work\n"
        "cli.entry()\n"
    )
    proc = subprocess.run(
        [sys.executable, "-c", script], cwd=tmp_path, capture_output=True, text=True, timeout=60
    )
    assert proc.returncode == 0, proc.stderr


def test_an_experiment_edited_between_two_compositions_is_read_again(tmp_path, monkeypatch):
    """The experiments are put in Hydra's store once per process, and again when one changes."""
    monkeypatch.setattr("patientflow.config.hydra.experiments_dir", lambda: tmp_path)
    study = tmp_path / "mine.yaml"
    study.write_text("# @package _global_\nsim:\n  days: 3.0\n", encoding="utf-8")
    assert patientflow.compose(["+experiment=mine"]).sim.days == 3.0
    study.write_text("# @package _global_\nsim:\n  days: 12.0\n", encoding="utf-8")
    assert patientflow.compose(["+experiment=mine"]).sim.days == 12.0
    (tmp_path / "other.yaml").write_text("# @package _global_\nsim:\n  days: 2.0\n")
    assert patientflow.compose(["+experiment=other"]).sim.days == 2.0


def test_a_composition_is_a_copy_and_an_edited_conf_file_is_composed_anew(tmp_path, monkeypatch):
    """Compositions are kept per process: the caller's changes stay its own, and a conf/
    file edited in between (same size, at once) is read again."""
    import shutil

    from patientflow.config import hydra as pf_hydra

    first = patientflow.compose(["region=euregio"])
    first.sim.days = 99.0
    assert patientflow.compose(["region=euregio"]).sim.days == 7.0
    conf = tmp_path / "conf"
    shutil.copytree(pf_hydra.conf_dir(), conf)
    monkeypatch.setattr(pf_hydra, "conf_dir", lambda: conf)
    acute = conf / "sim" / "acute.yaml"
    assert patientflow.compose([]).sim.days == 7.0
    acute.write_text(acute.read_text().replace("days: 7.0", "days: 3.0"))
    assert patientflow.compose([]).sim.days == 3.0
