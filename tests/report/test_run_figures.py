"""The figures of one run draw the numbers of the run's tables."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from matplotlib.collections import PathCollection
from matplotlib.figure import Figure

from patientflow.core.statistics import mean_ci
from patientflow.report import acute_figures


@pytest.fixture
def drawn(monkeypatch):
    """The figures a drawing function saves, kept open instead of written."""
    figures: list[Figure] = []
    monkeypatch.setattr(acute_figures, "save_figure", lambda fig, out, dpi: figures.append(fig))
    return figures


def _dots(ax) -> list[float]:
    """The x of the dots in a panel, drawn as a scatter or as an errorbar's markers."""
    scatters = [c for c in ax.collections if isinstance(c, PathCollection)]
    xs = [float(x) for c in scatters for x, _ in c.get_offsets()]
    xs += [float(x) for line in ax.lines if line.get_marker() == "o" for x in line.get_xdata()]
    return xs


def test_the_norms_figure_of_a_replicated_run_draws_the_mean_with_its_interval(drawn, tmp_path):
    """A run of three replications drew the first replication's share of urgent calls answered
    within 30 s (65.7 %), not their mean (63.5 %) with its interval, which the tables give."""
    urgent = [0.6567, 0.6571, 0.5909]
    per_region = {
        "MIDDEN": {
            "a1_share_on_scene_15min": 0.9811,
            "share_seh_triage_10min": 0.948,
            "share_urgent_answered_30s": urgent[0],
        }
    }
    reps = pd.DataFrame(
        {
            "replication": [0, 1, 2],
            "roaz.MIDDEN.a1_share_on_scene_15min": [0.9811, 0.9799, 0.9852],
            "roaz.MIDDEN.share_seh_triage_10min": [0.948, 0.951, 0.944],
            "roaz.MIDDEN.share_urgent_answered_30s": urgent,
        }
    )
    acute_figures.norms_figure(per_region, tmp_path / "n.png", "t", 60, replications=reps)
    ax = drawn[0].axes[2]
    ci = mean_ci(pd.Series(urgent), within=(0.0, 1.0))
    assert _dots(ax) == pytest.approx([100 * ci["mean"]])
    bar = ax.containers[0].lines[2][0].get_segments()[0]
    assert [bar[0][0], bar[1][0]] == pytest.approx([100 * ci["ci_low"], 100 * ci["ci_high"]])
    assert drawn[0].get_suptitle().endswith("mean of 3 replications with its 95 % interval")


def test_the_norms_figure_of_one_replication_draws_its_value(drawn, tmp_path):
    per_region = {"AZO": {"a1_share_on_scene_15min": 0.9, "share_urgent_answered_30s": None}}
    acute_figures.norms_figure(per_region, tmp_path / "n.png", "t", 60)
    axes = drawn[0].axes
    assert _dots(axes[0]) == pytest.approx([90.0])
    assert np.isnan(_dots(axes[2])).all()
    assert drawn[0].get_suptitle() == "t"


def test_two_hospitals_whose_names_begin_alike_get_two_labels(monkeypatch, tmp_path):
    """The professionals figure cut names at 32 characters: OLVG Oost (-4 surgeons) and OLVG
    West (-1) both read "Onze Lieve Vrouwe Gasthuis locat (oncology)"."""
    from patientflow.report import impact_figures

    drawn: list[Figure] = []
    monkeypatch.setattr(impact_figures, "save_figure", lambda fig, out, dpi: drawn.append(fig))
    prof = pd.DataFrame(
        {
            "name": [f"Onze Lieve Vrouwe Gasthuis locatie {s}" for s in ("Oost", "West")],
            "group": ["oncology", "oncology"],
            "surgeons_needed_current": [10.0, 6.0],
            "surgeons_needed_new": [6.0, 5.0],
        }
    )
    impact_figures.professionals_figure(prof, tmp_path / "p.png", "net")
    labels = [t.get_text() for t in drawn[0].axes[0].get_yticklabels()]
    assert labels == [
        "Onze Lieve Vrouwe Gasthuis locatie Oost (oncology)",
        "Onze Lieve Vrouwe Gasthuis locatie West (oncology)",
    ]


def test_a_long_hospital_name_is_cut_unless_the_cut_would_merge_two():
    from patientflow.report.impact_figures import short_names

    names = pd.Series(["A" * 50, "B" * 45 + "1", "B" * 45 + "2", "short"])
    assert short_names(names) == ["A" * 39 + "…", "B" * 45 + "1", "B" * 45 + "2", "short"]


def test_the_patients_figure_of_a_regional_care_run_does_not_call_its_total_nl(
    monkeypatch, tmp_path
):
    """A care run of ROAZ Midden (73.6 pancreas patients a year, all of ONCOMID) labelled its
    row of all the run's patients "NL"."""
    from types import SimpleNamespace

    from patientflow.report import impact_figures
    from patientflow.report.labels import Labels
    from patientflow.report.run_figures import total_row

    drawn: list[Figure] = []
    monkeypatch.setattr(impact_figures, "save_figure", lambda fig, out, dpi: drawn.append(fig))
    midden = SimpleNamespace(region=SimpleNamespace(level="roaz", codes=["MIDDEN"]))
    nl = SimpleNamespace(region=SimpleNamespace(level=None, codes=[]))
    assert total_row(nl) == "NL"
    assert total_row(midden) == "study area (MIDDEN)"
    assert total_row(midden, Labels("nl")) == "studiegebied (MIDDEN)"
    patients = pd.DataFrame(
        {
            "level": ["NL", "cancer_network"],
            "region": ["NL", "ONCOMID"],
            "intervention": ["pancreas_resection"] * 2,
            "extra_min_per_pathway_mean": [-5.79, -5.79],
        }
    )
    impact_figures.patients_figure(patients, tmp_path / "p.png", "net", total=total_row(midden))
    rows = [t.get_text() for t in drawn[0].axes[0].get_yticklabels()]
    assert rows == ["ONCOMID", "study area (MIDDEN)"]


def test_a_sweep_panel_of_travel_minutes_speaks_the_reports_language():
    """The Dutch sweep figures titled the ambulance panels "ambulance min to seh (mean)"."""
    from patientflow.report.labels import Labels
    from patientflow.report.sweep_figures import _label

    col = "indicators.travel_minutes.ambulance_min_to_seh"
    assert _label(f"{col}.mean", Labels("nl")) == "ambulance: melding tot 24/7-SEH (gemiddelde)"
    assert _label(f"{col}.p95") == "ambulance: call to 24/7 SEH (p95)"


def test_equal_series_along_a_numeric_parameter_are_drawn_side_by_side(monkeypatch, tmp_path):
    """Along scenario.capacity_factor the baseline network's series lay exactly under the
    night closure's where both were equal, so the figure seemed to miss the baseline."""
    from patientflow.report import sweep_figures

    drawn: list[Figure] = []
    monkeypatch.setattr(sweep_figures, "save_figure", lambda fig, out, dpi: drawn.append(fig))
    table = pd.DataFrame(
        {
            "status": ["complete"] * 4,
            "override.scenario.capacity_factor": [1.0, 0.85, 1.0, 0.85],
            "override.network": ["baseline_2025", "baseline_2025", "night", "night"],
            "acute.national.seh_los_min_p90": [250.0, 260.0, 250.0, 260.0],
        }
    )
    swept = ["override.scenario.capacity_factor", "override.network"]
    sweep_figures.indicator_figures(table, swept, tmp_path)
    series = [tuple(line.get_xdata()) for line in drawn[0].axes[0].lines]
    assert len(series) == 2 and series[0] != series[1]


def test_the_week_figure_of_a_replicated_run_says_it_draws_the_first(drawn, tmp_path):
    """A run of three replications keeps the time series of its first alone; the figure drawn
    from it read as the run's, with no word of the other two."""
    from types import SimpleNamespace

    from patientflow.report.run_figures import acute_figures

    cfg = SimpleNamespace(
        region=SimpleNamespace(name="midden", level=None, codes=[]),
        report=SimpleNamespace(lang="en", norm_min=45.0, dpi=60),
        scenario=SimpleNamespace(name="baseline_2025"),
        sim=SimpleNamespace(warmup_days=0.0),
    )
    pd.DataFrame(
        {
            "time_min": [60.0, 120.0],
            "facility_type": ["ambulance"] * 2,
            "facility_id": ["VR09"] * 2,
            "busy": [1, 2],
            "capacity": [4, 4],
            "queue": [0, 1],
        }
    ).to_parquet(tmp_path / "timeseries.parquet")
    acute = {"study_area_sehs": [], "replications": {"n": 3}}
    acute_figures(acute, cfg, None, tmp_path)
    assert (
        drawn[0]
        .get_suptitle()
        .endswith("the first of 3 replications (the others keep no time series)")
    )
    acute_figures({**acute, "replications": {"n": 1}}, cfg, None, tmp_path)
    assert (
        drawn[1].get_suptitle() == "Facilities by hour of the week\nmidden · scenario baseline_2025"
    )


def test_the_provider_map_draws_where_a_stopping_providers_patients_go(monkeypatch, tmp_path):
    """The map drew each stopping provider's whole volume to the nearest remaining provider:
    in tranche1_2025 that is where 36 % of the moved patients go (partial nephrectomy at
    H100201: the line to H107304, 8.0 patients, where 14.9 go to H107501)."""
    from patientflow.report import care_figures

    drawn: list[Figure] = []
    monkeypatch.setattr(care_figures, "save_figure", lambda fig, out, dpi: drawn.append(fig))
    prov = pd.DataFrame(
        {
            "intervention": ["x"] * 4,
            "site_id": ["A", "B", "C", "D"],
            "lat": [52.0, 52.1, 53.0, 51.0],
            "lon": [5.0, 5.0, 6.0, 4.0],
            "provider_current": [True, True, True, True],
            "provider_new": [False, True, True, True],
            "volume_current": [11.0, 50.0, 50.0, 50.0],
            "volume_new": [0.0, 51.5, 59.0, 50.5],
        }
    )
    flows = pd.DataFrame(
        {
            "intervention": ["x"] * 4,
            "from_site": ["A", "A", "A", "B"],
            "to_site": ["C", "B", "D", "B"],
            "patients": [9.0, 1.5, 0.5, 50.0],
            "moved": [True, True, True, False],
        }
    )
    backdrop = pd.DataFrame({"lat": [52.0], "lon": [5.0]})
    care_figures.provider_map(prov, tmp_path / "m.png", "net", backdrop, flows=flows)
    xs = dict(zip(prov["site_id"], care_figures.to_km(prov["lat"], prov["lon"])[0], strict=True))
    lines = {
        round(float(line.get_xdata()[1]), 6): line.get_linewidth()
        for line in drawn[0].axes[0].lines
    }
    assert set(lines) == {round(float(xs["C"]), 6), round(float(xs["B"]), 6)}
    assert lines[round(float(xs["C"]), 6)] > lines[round(float(xs["B"]), 6)]


def test_a_network_criterion_is_never_shown_rounded_up_past_its_standard():
    """A share of 94.96 % read "95%" on the red cell of the 95 % requirement, a volume of 49.96
    read "50" beside a standard of 50."""
    from patientflow.report.impact_figures import cell_text

    assert cell_text("share_within_max_minutes", 0.9496) == "94.9%"
    assert cell_text("share_within_max_minutes", 0.95) == "95.0%"
    assert cell_text("network_volume", 49.96) == "49.9"
    assert cell_text("repair_centres", 3.0) == "3"


@pytest.mark.slow
def test_a_regional_care_runs_figures_say_they_count_its_patients_only(monkeypatch, tmp_path):
    """A Midden care run's provider map read "pancreas resection 15 -> 1 providers" and its
    volumes compared Midden's patients alone with the norm, under titles of the network alone."""
    import patientflow
    from patientflow.report import care_figures, impact_figures

    titles: list[str] = []

    def keep(fig, out, dpi):
        titles.append(fig._suptitle.get_text() if fig._suptitle else fig.axes[0].get_title())

    monkeypatch.setattr(care_figures, "save_figure", keep)
    monkeypatch.setattr(impact_figures, "save_figure", keep)
    cfg = ["sim=care", "region=midden", "demand=municipality", "sim.days=0"]
    cfg += ["network=tranche1_2025", "care.national_rules_on_region=true"]
    patientflow.run(patientflow.compose([*cfg, "report.accessibility_area=study_area"]), tmp_path)
    assert len(titles) >= 7
    assert all(t.endswith("(patients of MIDDEN only)") for t in titles), titles
