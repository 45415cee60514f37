"""The accessibility job: its run folder, its tables and the numbers in them."""

from __future__ import annotations

import json
import re
import subprocess
import sys

import numpy as np
import pandas as pd
import pytest

import patientflow
from patientflow.data.prognosis import project


@pytest.mark.slow
def test_run_folder_holds_every_table_and_summary_is_last(nl_run):
    out = nl_run.out_dir
    for name in (
        "accessibility.parquet",
        "accessibility_points.parquet",
        "regions.csv",
        "network_sites.csv",
        "config.yaml",
        "summary.json",
    ):
        assert (out / name).is_file(), name
    summary_mtime = (out / "summary.json").stat().st_mtime_ns
    assert all(p.stat().st_mtime_ns <= summary_mtime for p in out.iterdir())
    assert json.loads((out / "summary.json").read_text()) == nl_run.summary
    assert set(nl_run.tables) >= {"accessibility", "regions"}


@pytest.mark.slow
def test_accessibility_per_municipality(nl_run, dataset):
    acc = pd.read_parquet(nl_run.paths["accessibility"])
    assert len(acc) == 342
    assert acc["population"].sum() == pytest.approx(population_2025(dataset))
    for col in (
        "nearest_seh_247_site_id",
        "ambulance_min_to_seh",
        "share_beyond_norm",
        "car_min_seh_247",
        "car_min_hospital",
        "car_min_gp_post",
        "car_min_pancreas_resection",
    ):
        assert col in acc.columns, col
    assert (acc["ambulance_min_to_seh"] >= 15).all()  # the response allowance is included
    seh_247 = set(dataset.sites.loc[dataset.sites["seh_hours"] == "24/7", "site_id"])
    assert set(acc["nearest_seh_247_site_id"]) <= seh_247


@pytest.mark.slow
def test_national_picture_is_plausible(nl_run):
    ind = nl_run.summary["indicators"]
    # RIVM's analyses put well under 2 % of the population beyond 45 minutes, mostly on the
    # Wadden islands and at the country's edges.
    assert 0 < ind["share_beyond_norm"] < 0.02
    assert ind["providers"]["seh_247"] == 76 and ind["providers"]["seh"] == 79
    assert ind["seh_open_at"] == {"03:00": 76, "12:00": 79}
    assert 10 < ind["travel_minutes"]["car_min_seh_247"]["mean"] < 20


@pytest.mark.slow
def test_islands_are_beyond_the_norm_only_where_they_should_be(nl_run):
    acc = pd.read_parquet(nl_run.paths["accessibility"]).set_index("name")
    assert acc.loc["Schiermonnikoog", "share_beyond_norm"] == 1.0
    assert acc.loc["Utrecht", "share_beyond_norm"] == 0.0


def population_2025(dataset) -> int:
    """The default year's population: CBS 1 January 2024 grown by the national prognosis."""
    return int(project(dataset, 2025).municipalities["population"].sum())


@pytest.mark.slow
def test_regions_csv_covers_each_level_and_adds_up(nl_run, dataset):
    reg = pd.read_csv(nl_run.paths["regions"])
    assert reg.groupby("level").size().to_dict() == {"roaz": 10, "oncology": 7, "zorgkantoor": 31}
    for _, g in reg.groupby("level"):
        assert g["population"].sum() == pytest.approx(population_2025(dataset))
        assert g["population_beyond_norm"].sum() == pytest.approx(
            nl_run.summary["indicators"]["population_beyond_norm"], abs=1
        )
        assert g["sites_seh_247"].sum() == 76
    assert {
        "share_65plus",
        "ambulance_min_to_seh_mean",
        "ambulance_min_to_seh_p95",
        "car_min_hospital_p95",
    } <= set(reg.columns)


@pytest.mark.slow
def test_cli_writes_a_timestamped_run_folder_with_figures(tmp_path):
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "patientflow.cli",
            "debug=fast",
            "report.figures=true",
            "report.accessibility_area=nl",
        ],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 0, proc.stderr
    runs = list((tmp_path / "outputs").glob("*/*"))
    assert len(runs) == 1
    assert re.fullmatch(r"\d{2}-\d{2}-\d{2}-\d{6}", runs[0].name)  # sub-second timestamp
    for name in (
        "summary.json",
        "map_ambulance_seh.png",
        "travel_cdf.png",
        "acute_week.png",
        "acute_norms.png",
        ".hydra/config.yaml",
    ):
        assert (runs[0] / name).is_file(), name
    summary = json.loads((runs[0] / "summary.json").read_text())
    assert summary["region"] == "midden" and summary["demand_points"] == "municipality"
    assert re.search(r"nl / baseline_2025: [\d.]+% of 18,0\d\d,\d{3} inhabitants", proc.stdout)
    # the terminal names the region it measured, by its name and code
    assert "ROAZ Midden-Nederland" in proc.stdout
    assert "(MIDDEN) / scenario baseline_2025, 1 day " in proc.stdout
    assert summary["accessibility_area"] == "nl"
    # the command skips the interpreter's teardown: its log and output are flushed before
    assert proc.stdout.rstrip().endswith(f"run folder {runs[0]}")
    assert "summary in" in (runs[0] / "patientflow.log").read_text().splitlines()[-1]


@pytest.mark.slow
def test_api_run_equals_cli_run_for_the_same_config(tmp_path):
    cfg = patientflow.compose(["debug=fast", "report.figures=false"])
    a = patientflow.run(cfg, tmp_path / "a")
    subprocess.run(
        [
            sys.executable,
            "-m",
            "patientflow.cli",
            "debug=fast",
            "report.figures=false",
            f"hydra.run.dir={tmp_path / 'b'}",
        ],
        check=True,
        capture_output=True,
    )
    pd.testing.assert_frame_equal(
        pd.read_parquet(a.paths["accessibility"]),
        pd.read_parquet(tmp_path / "b" / "accessibility.parquet"),
    )


@pytest.mark.slow
def test_closure_network_changes_the_picture(tmp_path, nl_run):
    cfg = patientflow.compose(
        [
            "sim=accessibility",
            "region=nl",
            "demand=municipality",
            "report.figures=false",
            "network=close_regional_seh_example",
        ]
    )
    closed = patientflow.run(cfg, tmp_path)
    base, after = nl_run.summary["indicators"], closed.summary["indicators"]
    assert after["providers"]["seh_247"] == 73
    assert after["population_beyond_norm"] >= base["population_beyond_norm"]
    amb = "ambulance_min_to_seh"
    assert after["travel_minutes"][amb]["mean"] > base["travel_minutes"][amb]["mean"]
    before = pd.read_parquet(nl_run.paths["accessibility"]).set_index("name")
    now = pd.read_parquet(closed.paths["accessibility"]).set_index("name")
    assert now.loc["Winterswijk", amb] > before.loc["Winterswijk", amb] + 10
    assert now.loc["Amsterdam", amb] == before.loc["Amsterdam", amb]
    assert closed.summary["closed_sites"] == ["H105301", "H105404", "H106802"]


@pytest.mark.slow
def test_own_od_matrix_gives_the_same_picture_as_the_model(tmp_path, dataset):
    """Feed the model's own minutes back as a user's OD file: the run is unchanged; drop one
    pair and the run stops naming the matrix."""
    from patientflow.core.area import urban_flags
    from patientflow.core.travel import Mode, Points, TravelModel, islands_from_frame
    from patientflow.core.water import water_network

    base = [
        "sim=accessibility",
        "region=euregio",
        "report.accessibility_area=study_area",
        "demand=municipality",
        "report.figures=false",
    ]
    ref = patientflow.run(patientflow.compose(base), tmp_path / "ref")
    munis = dataset.municipalities
    origins = munis[munis["roaz_code"] == "EUREGIO"].rename(columns={"municipality_code": "id"})
    dests = pd.concat(
        [
            dataset.sites.rename(columns={"site_id": "id"}),
            dataset.gp_posts.rename(columns={"post_id": "id"}),
            dataset.ambulance_posts.rename(columns={"post_id": "id"}),
        ]
    )
    water = water_network(dataset.water_zones, dataset.water_crossings)
    tm = TravelModel(islands=islands_from_frame(dataset.islands), water=water)

    def pts(df, col):
        return Points.from_frame(df, "id", urban_flags(df[col], munis, 2))

    rows = []
    for mode in Mode:
        m = tm.minutes(pts(origins, "id"), pts(dests, "municipality_code"), mode)
        rows.append(
            pd.DataFrame(
                {
                    "origin_id": np.repeat(origins["id"].to_numpy(), len(dests)),
                    "destination_id": np.tile(dests["id"].to_numpy(), len(origins)),
                    "mode": mode.value,
                    "minutes": m.ravel(),
                }
            )
        )
    od = pd.concat(rows, ignore_index=True)
    od.to_csv(tmp_path / "od.csv", index=False)
    own = patientflow.run(
        patientflow.compose([*base, f"travel.od_matrix={tmp_path / 'od.csv'}"]), tmp_path / "own"
    )
    pd.testing.assert_frame_equal(
        pd.read_parquet(ref.paths["accessibility"]),
        pd.read_parquet(own.paths["accessibility"]),
        rtol=1e-9,
    )
    od.iloc[1:].to_csv(tmp_path / "od_gap.csv", index=False)
    proc = subprocess.run(
        [
            sys.executable,
            "-m",
            "patientflow.cli",
            *base,
            f"hydra.run.dir={tmp_path / 'gap'}",
            f"travel.od_matrix={tmp_path / 'od_gap.csv'}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert proc.returncode == 2
    gap = od.iloc[0]
    assert (
        f"travel.od_matrix='{tmp_path / 'od_gap.csv'}': the matrix lacks the car minutes from "
        f"'{gap['origin_id']}' to '{gap['destination_id']}' (1 of the"
    ) in proc.stderr


@pytest.mark.slow
def test_result_tables_are_dataframes_read_on_first_use(nl_run):
    """`run()` returns tables as DataFrames (the README promises it); their files are in
    `paths`, and a file that is not a table says where to look."""
    regions = nl_run.tables["regions"]
    assert isinstance(regions, pd.DataFrame) and len(regions) > 0
    assert nl_run.tables["regions"] is regions  # read once
    pd.testing.assert_frame_equal(regions, pd.read_csv(nl_run.paths["regions"]))
    assert set(nl_run.tables) <= set(nl_run.paths)


@pytest.mark.slow
def test_a_finished_run_is_not_reused_when_a_data_file_changed(tmp_path):
    """skip_complete reuses a finished run only for the same overrides, code and data files:
    an edited table (here the same rows with other line endings) makes the rerun refuse. Every
    table is checksummed whatever the job reads, so the quick accessibility job serves."""
    from patientflow.data import default_data_dir

    posts = tmp_path / "posts.csv"
    posts.write_bytes((default_data_dir() / "ambulance_posts.csv").read_bytes())
    args = [
        sys.executable,
        "-m",
        "patientflow",
        "sim=accessibility",
        "debug=fast",
        "report.figures=false",
        f"data.tables.ambulance_posts={posts}",
        f"hydra.run.dir={tmp_path / 'run'}",
    ]

    def cli() -> subprocess.CompletedProcess:
        return subprocess.run(args, cwd=tmp_path, capture_output=True, text=True, timeout=300)

    assert cli().returncode == 0
    again = cli()
    assert again.returncode == 0 and "complete already, skipped" in again.stdout
    posts.write_bytes(posts.read_bytes().replace(b"\n", b"\r\n"))
    changed = cli()
    assert changed.returncode == 2
    assert "its data files differ from this job's: ambulance_posts" in changed.stderr


def test_a_study_area_picture_is_named_by_the_regions_it_covers(tmp_path):
    """debug=fast picks the region group midden; region.codes then names another area, and the
    picture says which (it said "midden" over Zeeland's inhabitants)."""
    cfg = patientflow.compose(
        [
            "debug=fast",
            "sim=accessibility",
            "region.level=zorgkantoor",
            "region.codes=[ZK27]",
        ]
    )
    summary = patientflow.run(cfg, tmp_path).summary
    assert summary["accessibility_area"] == "Zeeland (ZK27)"
    assert summary["region_title"] == "Zeeland (ZK27)"
