"""The calibration report: its arithmetic, its file edit and its numbers from real runs."""

from __future__ import annotations

import json

import pandas as pd
import pytest

import patientflow
from patientflow import calibration
from patientflow.data import public_figures


def test_difference_is_from_the_figure_or_the_nearer_end_of_a_range():
    inside = calibration._row("x", 0.37, 0.35, 0.38, "s", True, "")
    assert inside["difference"] == 0.0 and inside["within_10pct"]
    above = calibration._row("x", 0.44, 0.35, 0.38, "s", True, "")
    assert above["difference"] == pytest.approx(0.44 / 0.38 - 1) and not above["within_10pct"]
    assert above["note"] == "not explained"
    point = calibration._row("x", 1.08e6, 1e6, 1e6, "s", False, "why")
    assert point["within_10pct"] and point["note"] == ""
    miss = calibration._row("x", 1.2e6, 1e6, 1e6, "s", False, "why")
    assert miss["note"] == "why"


def test_the_table_goes_between_the_markers_and_nowhere_else(tmp_path):
    doc = tmp_path / "v.md"
    doc.write_text(f"head\n{calibration.BEGIN}\nold\n{calibration.END}\ntail\n")
    calibration.write_into(doc, "| new |")
    assert doc.read_text() == f"head\n{calibration.BEGIN}\n| new |\n{calibration.END}\ntail\n"
    bare = tmp_path / "bare.md"
    bare.write_text("no markers\n")
    with pytest.raises(SystemExit, match="markers"):
        calibration.write_into(bare, "x")


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("calibration")
    fast = ["debug=fast", "sim.days=3", "sim.warmup_days=1", "report.figures=false"]
    patientflow.run(patientflow.compose(fast), tmp / "acute")
    care = ["sim=care", "region=midden", "report.figures=false"]
    patientflow.run(
        patientflow.compose([*care, "sim.days=120", "sim.warmup_days=28"]), tmp / "care"
    )
    return tmp


@pytest.mark.slow
def test_volumes_agree_with_the_runs_own_summary(runs):
    acute = calibration.acute_volumes(runs / "acute")
    summary = json.loads((runs / "acute" / "summary.json").read_text())["acute"]["national"]
    per_year = summary["volumes_per_year"]
    assert acute["seh_visits"] == pytest.approx(per_year["seh_visits"], abs=1)
    assert acute["gp_post_contacts"] == pytest.approx(per_year["gp_post_contacts"], abs=1)
    assert acute["amb_deployments"] == pytest.approx(per_year["ambulance_deployments"], abs=1)
    assert acute["admitted_share"] == pytest.approx(summary["share_admitted"], abs=1e-4)
    routes = [acute[k] for k in ("route_referred", "route_self", "route_ambulance", "route_other")]
    assert sum(routes) == pytest.approx(1.0)
    care = calibration.care_volumes(runs / "care")
    assert set(care) == set(public_figures.CARE_FACTS)


@pytest.mark.slow
def test_command_writes_csv_and_markdown_and_flags_unexplained_misses(runs, tmp_path, capsys):
    out = tmp_path / "cal"
    given = ["--acute", str(runs / "acute"), "--care", str(runs / "care"), "--out", str(out)]
    # Runs of one region were compared with national figures, and their shares passed.
    with pytest.raises(SystemExit):
        calibration.main(given)
    said = capsys.readouterr().err
    assert "not a run of today's country" in said and "region.name=midden (wants nl)" in said
    code = calibration.main([*given, "--any-run"])
    table = pd.read_csv(out / "calibration.csv")
    assert len(table) == len(public_figures.FACTS) + len(public_figures.CARE_FACTS)
    md = (out / "calibration.md").read_text()
    assert md.startswith("Not today's country (acute run: ")
    assert "\n\n| quantity |" in md
    # A three-day run of one region cannot match national volumes: unexplained misses, exit 1.
    assert code == 1
    with pytest.raises(SystemExit):
        calibration.main(["--acute", str(runs / "acute")])


@pytest.mark.slow
def test_gp_post_contacts_count_the_calls_a_zcc_answers_for_the_post(tmp_path):
    """In a ZCC scenario the GP posts' calls are answered by the ZCC: the calibration counts
    them as the summary does (it counted 0 against the summary's 346,966)."""
    import patientflow

    cfg = patientflow.compose(
        [
            "scenario=zcc_2025",
            "sim.days=2",
            "report.figures=false",
            "report.accessibility_area=study_area",
            "sim.progress=false",
        ]
    )
    run = tmp_path / "zcc"
    summary = patientflow.run(cfg, run).summary["acute"]["national"]["volumes_per_year"]
    acute = calibration.acute_volumes(run)
    assert acute["gp_post_contacts"] == pytest.approx(summary["gp_post_contacts"], abs=1)
    assert acute["gp_post_contacts"] > 0


def test_the_validation_page_names_the_care_runs_measured_days():
    """validation.md said the care row counts "one year of referrals after a 28-day warm-up";
    the care run is 365 days with the warm-up in them, so 337 days are counted and annualised."""
    from omegaconf import OmegaConf

    from tests.conftest import REPO

    sim = OmegaConf.load(REPO / "conf/sim/care.yaml")
    measured, warmup = sim.days - sim.warmup_days, sim.warmup_days
    text = " ".join((REPO / "docs/validation.md").read_text(encoding="utf-8").split())
    said = f"the referrals of the {measured:g} days after a {warmup:g}-day warm-up in a "
    assert f"{said}{sim.days:g}-day run, annualised" in text


@pytest.mark.parametrize(
    ("override", "named"),
    [
        ("network.closed_sites=[H108201]", "network.closed_sites=['H108201'] (wants [])"),
        ("scenario.flu_peak.weeks=4", "scenario.flu_peak.weeks=4.0 (wants 0.0)"),
        ("demand.year=2035", "demand.year=2035 (wants 2025)"),
    ],
)
def test_a_run_changed_under_todays_names_is_not_todays_country(tmp_path, override, named):
    """A run's names alone did not do: `network.closed_sites=[H108201]` keeps the network's
    name baseline_2025, and such a run was tabled against today's national volumes."""
    from omegaconf import OmegaConf

    import patientflow

    def finished(folder, overrides):
        folder.mkdir()
        cfg = patientflow.compose(["region=nl", *overrides])
        (folder / "config.yaml").write_text(OmegaConf.to_yaml(cfg, resolve=True))
        (folder / "summary.json").write_text(json.dumps({"job": "acute"}))
        return folder

    assert calibration.not_today(finished(tmp_path / "today", []), "acute") == []
    changed = calibration.not_today(finished(tmp_path / "changed", [override]), "acute")
    assert changed == [named]


def test_a_figure_of_another_quantity_is_never_read_as_a_match():
    """Head-neck's ~3,000 a year are diagnoses; the model operates every one: 3,054 against
    3,000 read "yes, within 10 %" as if the operations were validated."""
    acute = {f.key: (f.low + f.high) / 2 for f in public_figures.FACTS}
    care = {name: float(fact[0]) for name, fact in public_figures.CARE_FACTS.items()}
    t = calibration.table(acute, care).set_index("quantity")
    row = t.loc["head_neck_surgery patients"]
    assert not row["within_10pct"] and row["note"].startswith("not comparable")
    assert t.loc["pancreas_resection patients", "within_10pct"]
    kinds = t["kind"].to_dict()
    assert kinds["SEH route: self-referral"] == "input" and kinds["SEH visits"] == "outcome"
