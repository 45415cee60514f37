"""The sweep report's aggregate tables read each job by key: a municipality by its code, a swept
override by a name that tells it apart, a sentence only where its numbers say so."""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest

from patientflow.report.aggregate import acute_regions_side_by_side, hardest_hit, load_shift
from patientflow.report.jobs import COMPLETE, Job
from patientflow.report.labels import EN
from patientflow.report.sweep_tables import beyond_per_region


def _access_job(root: Path, name: str, population: float, minutes: float) -> Job:
    folder = root / name
    folder.mkdir()
    pd.DataFrame(
        {
            "municipality_code": ["GM0001", "GM0002"],
            "name": ["Aastad", "Beedorp"],
            "population": [population, 20_000.0],
            "share_65plus": [0.25, 0.20],
            "ambulance_min_to_seh": [minutes, 20.0],
            "car_min_seh_247": [minutes - 5.0, 15.0],
            "population_beyond_norm": [0.0, 0.0],
        }
    ).to_parquet(folder / "accessibility.parquet")
    return Job(folder, COMPLETE, {}, {}, "")


def test_who_is_hit_hardest_keeps_a_job_of_another_year(tmp_path):
    """A closure run for another demand.year has other inhabitants per municipality: it was
    matched on the inhabitants too, so none matched and the job left the table unsaid."""
    base = _access_job(tmp_path, "0", 52_072.0, 19.2)
    same_year = _access_job(tmp_path, "1", 52_072.0, 43.4)
    later = _access_job(tmp_path, "2", 54_913.0, 43.4)
    hit = hardest_hit([base, same_year, later], base).set_index("job")
    assert list(hit.index) == ["1", "2"]
    assert hit.loc["2", "name"] == "Aastad"
    assert round(hit.loc["2", "extra_ambulance_min"], 1) == 24.2
    assert hit.loc["2", "population"] == 54_913.0  # the job's own inhabitants


def test_the_same_inhabitants_beyond_the_norm_do_not_say_that_no_seh_changed():
    """A closure that moves nobody across the norm leaves every region's count the same: the
    report said no scenario of the sweep changes the 24/7 SEHs, beside the closure's own
    hardest-hit table and difference map."""
    regions = pd.DataFrame(
        {
            "region": ["ZUIDWEST"] * 2,
            "name": ["Zuidwest"] * 2,
            "population_beyond_norm": [0.0, 0.0],
            "job": ["0", "1"],
        }
    )
    table = pd.DataFrame(
        {
            "job": ["0", "1"],
            "status": [COMPLETE] * 2,
            "norm_min": [45.0, 45.0],
            "indicators.travel_minutes.ambulance_min_to_seh.mean": [22.15, 22.71],
        }
    )
    closure = beyond_per_region(regions, table, {}, EN, travel_changed=True)
    assert "changes the 24/7" not in closure.text
    assert closure.text.startswith("The same in every scenario: the ambulance minutes")
    year = beyond_per_region(regions, table, {}, EN)  # minutes differ, nobody's grew
    assert year.text == "The same in every scenario."
    acute = table.assign(**{"indicators.travel_minutes.ambulance_min_to_seh.mean": 22.15})
    unchanged = beyond_per_region(regions, acute, {}, EN)
    assert "no scenario of this sweep changes the 24/7" in unchanged.text


def test_two_swept_keys_with_the_same_last_part_are_told_apart():
    """The volume-norm study sweeps lung_resection.norm_proposed and
    pancreas_resection.norm_proposed: both were labelled `norm_proposed=`, so a scenario read
    `norm_proposed=40, norm_proposed=20` without saying which norm was which."""
    from patientflow.report.aggregate import job_labels

    lung = "care.interventions.lung_resection.norm_proposed"
    pancreas = "care.interventions.pancreas_resection.norm_proposed"
    jobs = [
        Job(Path(str(k)), COMPLETE, {"network": "tranche1_2025", lung: lv, pancreas: pv}, {}, "")
        for k, (lv, pv) in enumerate([("40", "20"), ("60", "20"), ("40", "40")])
    ]
    labels = job_labels(jobs)
    assert labels["0"] == "lung_resection.norm_proposed=40, pancreas_resection.norm_proposed=20"
    one = [Job(Path(str(k)), COMPLETE, {"scenario": s}, {}, "") for k, s in enumerate("ab")]
    assert job_labels(one) == {"0": "scenario=a", "1": "scenario=b"}


def test_the_opening_sentence_says_how_many_replications_each_job_ran():
    """Jobs of 5, 2 and 1 replications were said to have run "5 replications each"."""
    from patientflow.report.impact import _compared

    n = "acute.replications.national.journeys.n"
    table = pd.DataFrame(
        {"job": ["0", "1", "2"], "label": ["a", "b", "c"], "status": [COMPLETE] * 3}
    )
    mixed = _compared(table.assign(**{n: [5.0, 2.0, 1.0]}), pd.DataFrame())
    assert "5 replications each" not in mixed
    assert "1 to 5 replications per scenario" in mixed
    assert "5 replications each" in _compared(table.assign(**{n: 5.0}), pd.DataFrame())
    assert "one run each" in _compared(table, pd.DataFrame())
    none = table.assign(status="failed", **{n: float("nan")})
    assert "one run each" in _compared(none, pd.DataFrame())


def test_the_sweep_figure_shows_a_negative_indicator(tmp_path, monkeypatch):
    """A care network that shortens the patients' travel has a negative mean extra travel:
    the panel's axis ran from 0 up to 1.15 times the largest value, so it was upside down
    (0 to -1) and the points (-9.2 and -0.8 minutes) were outside it, an empty panel."""
    import patientflow.report.sweep_figures as sweep_figures

    drawn = []
    monkeypatch.setattr(sweep_figures, "save_figure", lambda fig, path, dpi: drawn.append(fig))
    col = "care.pancreas_resection.extra_travel_min_mean"
    table = pd.DataFrame(
        {
            "job": ["0", "1"],
            "status": [COMPLETE] * 2,
            "override.network": ["tranche1_2025", "hub_per_network"],
            col: [-9.24, -0.81],
        }
    )
    sweep_figures.indicator_figures(table, ["override.network"], tmp_path)
    low, high = drawn[0].axes[0].get_ylim()
    assert low <= -9.24 and high >= 0.0


def test_the_regions_side_by_side_are_the_means_over_the_replications(tmp_path):
    """acute_regions_by_job.csv held the first replication's values (summary.json) under the
    indicators' names, without saying so."""
    folder = tmp_path / "0"
    folder.mkdir()
    pd.DataFrame(
        {
            "seed": [1, 1],
            "replication": [0, 1],
            "roaz.MIDDEN.a1_share_on_scene_15min": [0.90, 0.80],
            "roaz.MIDDEN.seh_los_min_p90": [250.0, 270.0],
        }
    ).to_csv(folder / "replications.csv", index=False)
    first = {"acute": {"per_roaz": {"MIDDEN": {"a1_share_on_scene_15min": 0.90}}}}
    table = acute_regions_side_by_side([Job(folder, COMPLETE, {}, first, "")])
    row = table.set_index("region").loc["MIDDEN"]
    assert row["replications"] == 2
    assert row["a1_share_on_scene_15min"] == pytest.approx(0.85)
    assert row["seh_los_min_p90"] == 260.0


def _points_job(root: Path, name: str, population: list[float], sites: list[str]) -> Job:
    folder = root / name
    folder.mkdir()
    pd.DataFrame(
        {"point_id": [0, 1], "ambulance_seh_site_id": sites, "population": population}
    ).to_parquet(folder / "accessibility_points.parquet")
    return Job(folder, COMPLETE, {}, {}, "")


def test_the_load_a_closure_shifts_is_not_the_growth_of_another_year(tmp_path):
    """A closure run for 2035 against a 2025 baseline counted the neighbour's own growth as
    load the closure put on it (and a 2035 run without a closure showed load shifted)."""
    base = _points_job(tmp_path, "0", [100.0, 100.0], ["S1", "S2"])
    closed = _points_job(tmp_path, "1", [110.0, 120.0], ["S2", "S2"])
    grown = _points_job(tmp_path, "2", [110.0, 120.0], ["S1", "S2"])
    shift = load_shift([base, closed, grown], base).set_index("job")
    assert list(shift.index) == ["1"]
    assert shift.loc["1", "site_id"] == "S2"
    assert shift.loc["1", "extra_inhabitants"] == 110.0
