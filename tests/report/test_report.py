"""patientflow-report: aggregating a real sweep, failed jobs listed, paired differences."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest

from patientflow.report.cli import build_report, main

SMALL = [
    "region=euregio",
    "demand=municipality",
    "sim.days=1",
    "sim.warmup_days=0.25",
    "report.figures=false",
    "sim.progress=false",
    "report.accessibility_area=study_area",
]


# A sweep of two acute scenarios with two replications each: the module's `sweep` runs it
# serially, the parallel test again with joblib.
REPS = 2
SCENARIOS = ["-m", "scenario=baseline_2025,staff_shortage", f"sim.replications={REPS}", *SMALL]
# The national accessibility picture today and with three regional SEHs closed.
CLOSURE = [
    "-m",
    "sim=accessibility",
    "region=nl",
    "demand=municipality",
    "report.figures=false",
    "network=baseline_2025,close_regional_seh_example",
]


def _cli(*args, cwd):
    return subprocess.run(
        [sys.executable, "-m", "patientflow.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=600,
    )


@pytest.fixture(scope="module")
def sweep(tmp_path_factory):
    """A real two-job sweep (separate processes via Hydra multirun) plus a job that failed."""
    root = tmp_path_factory.mktemp("sweep")
    proc = _cli(*SCENARIOS, f"hydra.sweep.dir={root}", cwd=root)
    assert proc.returncode == 0, proc.stderr
    failed = _cli("network.closed_sites=[H000000]", *SMALL, f"hydra.run.dir={root / '2'}", cwd=root)
    assert failed.returncode == 2
    return root


@pytest.fixture(scope="module")
def report(sweep, tmp_path_factory):
    """The sweep's report in English, built once for the tests that only read it: (what
    build_report returned, its folder)."""
    folder = tmp_path_factory.mktemp("report")
    return build_report(sweep, folder), folder


@pytest.mark.slow
def test_one_row_per_job_with_the_swept_values_and_the_failed_job_listed(report):
    result, folder = report
    table = pd.read_csv(folder / "comparison.csv")
    assert sorted(table["job"].astype(str)) == ["0", "1", "2"]
    assert table.set_index(table["job"].astype(str)).loc["2", "status"] == "failed"
    assert "is not a site id" in table.set_index(table["job"].astype(str)).loc["2", "error"]
    done = table[table["status"] == "complete"]
    assert set(done["override.scenario"]) == {"baseline_2025", "staff_shortage"}
    assert done["acute.national.a1_share_on_scene_15min"].notna().all()
    assert result["failed"] == ["2"]
    html = (folder / "report.html").read_text()
    assert "data:image/png;base64," in html and "staff_shortage" in html
    assert (folder / "report.md").read_text().startswith("# Impact report")


@pytest.mark.slow
def test_paired_differences_use_the_common_replications(report):
    diff = pd.read_csv(report[1] / "paired_differences.csv")
    assert set(diff["job"].astype(str)) == {"1"} and set(diff["baseline"].astype(str)) == {"0"}
    assert (diff["replications"] == REPS).all()
    row = diff[diff["indicator"] == "journeys"].iloc[0]
    assert row["difference"] == 0  # a staff shortage does not change who arrives


@pytest.mark.slow
def test_identical_scenarios_differ_by_exactly_zero(sweep, tmp_path):
    """The sweep's baseline job and a single run of the same configuration."""
    shutil.copytree(sweep / "0", tmp_path / "a")
    proc = _cli(f"sim.replications={REPS}", *SMALL, f"hydra.run.dir={tmp_path / 'b'}", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    build_report(tmp_path, tmp_path / "report", baseline="a")
    diff = pd.read_csv(tmp_path / "report" / "paired_differences.csv")
    assert len(diff) > 10
    assert (diff["difference"] == 0).all() and (diff["ci_high"] == 0).all()


def test_report_command_exit_codes(tmp_path, capsys):
    assert main([str(tmp_path / "missing")]) == 2
    assert main([str(tmp_path)]) == 2
    assert "no job folders" in capsys.readouterr().err


@pytest.fixture(scope="module")
def closure(tmp_path_factory):
    """The national closure sweep (CLOSURE), run once: job 0 today, job 1 with the closures."""
    root = tmp_path_factory.mktemp("closure") / "sw"
    proc = _cli(*CLOSURE, f"hydra.sweep.dir={root}", cwd=root.parent)
    assert proc.returncode == 0, proc.stderr
    return root


@pytest.mark.slow
def test_report_names_who_is_hit_hardest_when_an_seh_closes(closure, tmp_path):
    shutil.copytree(closure / "0", tmp_path / "base")
    shutil.copytree(closure / "1", tmp_path / "closed")
    build_report(tmp_path, tmp_path / "report", baseline="base")
    hit = pd.read_csv(tmp_path / "report" / "hardest_hit.csv")
    assert hit["name"].iloc[0] in {"Winterswijk", "Hardenberg", "Goeree-Overflakkee"}
    assert (hit["extra_ambulance_min"] > 0).all()
    shift = pd.read_csv(tmp_path / "report" / "load_shift.csv")
    assert (shift["extra_inhabitants"] > 0).all()
    closed = {"H106802", "H105301", "H105404"}
    assert closed.isdisjoint(set(shift["site_id"]))  # the load goes to the neighbours
    md = (tmp_path / "report" / "report.md").read_text()
    assert "Who is hit hardest" in md and "STRESS-DES" in md and "Load on neighbours" in md
    # the closure's difference map: one per job that changes the picture, drawn and embedded
    maps = list((tmp_path / "report").glob("difference_map_*.png"))
    assert [m.name for m in maps] == ["difference_map_closed.png"]
    assert maps[0].stat().st_size > 30_000
    assert "difference_map_closed.png" in (tmp_path / "report" / "report.html").read_text()


def _indicators(folder):
    table = pd.read_csv(folder / "comparison.csv").sort_values("job")
    cols = [c for c in table.columns if c.startswith(("acute.", "indicators."))]
    return table[cols].reset_index(drop=True)


@pytest.mark.slow
def test_a_parallel_sweep_gives_the_numbers_of_the_serial_one(sweep, tmp_path):
    """The module's serial sweep (its comparison.csv, written when the multirun ended: jobs 0
    and 1) against the same sweep on two joblib workers."""
    pytest.importorskip("hydra_plugins.hydra_joblib_launcher")
    parallel = _cli(
        *SCENARIOS,
        "hydra/launcher=joblib",
        "hydra.launcher.n_jobs=2",
        f"hydra.sweep.dir={tmp_path / 'parallel'}",
        cwd=tmp_path,
    )
    assert parallel.returncode == 0, parallel.stderr
    pd.testing.assert_frame_equal(_indicators(sweep), _indicators(tmp_path / "parallel"))


@pytest.mark.slow
def test_submitit_local_launcher_runs_a_tiny_sweep(tmp_path):
    pytest.importorskip("hydra_plugins.hydra_submitit_launcher")
    proc = _cli(
        "-m",
        "sim=accessibility",
        "demand=municipality",
        "report.figures=false",
        "report.accessibility_area=study_area",
        "network=baseline_2025,close_regional_seh_example",
        "hydra/launcher=submitit_local",
        "hydra.launcher.timeout_min=5",
        f"hydra.sweep.dir={tmp_path / 'sub'}",
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    table = pd.read_csv(tmp_path / "sub" / "comparison.csv")
    assert (table["status"] == "complete").sum() == 2


@pytest.mark.slow
def test_rerunning_a_sweep_skips_complete_jobs(closure, tmp_path):
    shutil.copytree(closure, tmp_path / "sw")  # the module's finished sweep, rerun in a copy
    before = (tmp_path / "sw" / "0" / "summary.json").stat().st_mtime_ns
    again = _cli(*CLOSURE, f"hydra.sweep.dir={tmp_path / 'sw'}", cwd=tmp_path)
    assert again.returncode == 0 and "complete already, skipped" in again.stdout
    assert (tmp_path / "sw" / "0" / "summary.json").stat().st_mtime_ns == before


@pytest.mark.slow
def test_the_slurm_launcher_config_composes(tmp_path):
    pytest.importorskip("hydra_plugins.hydra_submitit_launcher")
    proc = subprocess.run(
        [sys.executable, "-m", "patientflow.cli", "--cfg", "hydra", "hydra/launcher=slurm"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
    )
    assert proc.returncode == 0, proc.stderr
    assert "SlurmLauncher" in proc.stdout and "mem_gb: 8" in proc.stdout


@pytest.mark.slow
def test_a_failing_job_does_not_stop_the_sweep_but_fails_it(tmp_path):
    proc = _cli(
        "-m",
        "sim=accessibility",
        "demand=municipality",
        "report.figures=false",
        "report.accessibility_area=study_area",
        "network.closed_sites=[H000000],[H100101]",
        f"hydra.sweep.dir={tmp_path / 'sw'}",
        cwd=tmp_path,
    )
    assert proc.returncode == 1, proc.stderr
    assert "1 job(s) of this sweep failed: 0" in proc.stderr
    table = pd.read_csv(tmp_path / "sw" / "comparison.csv").sort_values("job")
    assert list(table["status"]) == ["failed", "complete"]
    assert (tmp_path / "sw" / "0" / ".hydra" / "config.yaml").is_file()
    assert "is not a site id" in (tmp_path / "sw" / "0" / "error.txt").read_text()


def test_norm_breaches_list_each_region_below_its_norm_with_the_baseline():
    from pathlib import Path

    from patientflow.report.breaches import norm_breaches
    from patientflow.report.jobs import Job

    def job(name, a1, urgent):
        per = {"AZNN": {"a1_share_on_scene_15min": a1, "share_urgent_answered_30s": urgent}}
        return Job(Path(name), "complete", {}, {"acute": {"per_roaz": per}}, "")

    base, stressed = job("0", 0.96, 0.91), job("1", 0.90, 0.95)
    table = norm_breaches([base, stressed], base)
    assert len(table) == 1
    row = table.iloc[0]
    assert (row["job"], row["region"], row["indicator"]) == ("1", "AZNN", "a1_share_on_scene_15min")
    assert row["short_of_norm"] == pytest.approx(0.05)
    assert row["baseline_value"] == 0.96 and row["change_vs_baseline"] == pytest.approx(-0.06)


def test_a_norm_that_caps_a_share_is_breached_above_it():
    """The GP post's third norm, at most 2 % of other calls over 10 minutes, was never checked:
    a region at 6.8 % was not listed."""
    from pathlib import Path

    from patientflow.report.breaches import norm_breaches
    from patientflow.report.jobs import Job

    def job(name, over):
        per = {"AZNN": {"share_other_waiting_over_10min": over}, "WEST": {}}
        per["WEST"]["share_other_waiting_over_10min"] = 0.01
        return Job(Path(name), "complete", {}, {"acute": {"per_roaz": per}}, "")

    base, stressed = job("0", 0.015), job("1", 0.068)
    table = norm_breaches([base, stressed], base)
    assert list(zip(table["job"], table["region"], strict=True)) == [("1", "AZNN")]
    row = table.iloc[0]
    assert row["short_of_norm"] == pytest.approx(0.048)
    assert "at most 2 %" in row["norm"]
    assert row["change_vs_baseline"] == pytest.approx(0.053)


def test_norm_breaches_give_each_region_its_mean_interval_and_paired_change(tmp_path):
    """With replications.csv, a breach is judged on the mean over replications, with its 95 %
    interval and the paired change against the baseline in the same region."""
    from patientflow.report.breaches import norm_breaches
    from patientflow.report.jobs import Job

    def job(name, a1_aznn, a1_west):
        folder = tmp_path / name
        folder.mkdir()
        pd.DataFrame(
            {
                "seed": [1, 1, 1],
                "replication": [0, 1, 2],
                "roaz.AZNN.a1_share_on_scene_15min": a1_aznn,
                "roaz.WEST.a1_share_on_scene_15min": a1_west,
            }
        ).to_csv(folder / "replications.csv", index=False)
        return Job(folder, "complete", {}, {"seed": 1, "acute": {"per_roaz": {}}}, "")

    base = job("0", [0.96, 0.97, 0.95], [0.99, 0.98, 0.97])
    stressed = job("1", [0.90, 0.93, 0.90], [0.96, 0.99, 0.96])
    table = norm_breaches([base, stressed], base)
    assert list(table["region"]) == ["AZNN"]  # WEST's mean 0.97 meets the norm
    row = table.iloc[0]
    assert row["replications"] == 3
    assert row["value"] == pytest.approx(0.91, abs=1e-4)
    assert row["ci_low"] < row["value"] < row["ci_high"] <= 1.0
    assert row["baseline_value"] == pytest.approx(0.96, abs=1e-4)
    assert row["change_vs_baseline"] == pytest.approx(-0.05, abs=1e-4)
    assert row["change_ci_low"] < -0.05 < row["change_ci_high"] < 0


def test_the_stress_des_checklist_is_a_table_of_every_item():
    from patientflow.report.method import stress_des_table

    table = stress_des_table()
    assert table["section"].nunique() == 6
    assert {"1.1", "2.4", "3.4", "4.3", "5.4"} <= set(table["item"])
    assert table.loc[table["item"] == "2.4", "text"].iat[0].startswith("Components:")
    assert not table["text"].str.contains(r"\*\*").any()


def test_the_first_page_reads_each_difference_by_its_interval():
    from patientflow.report.first_page import reading

    assert reading(0.01, 0.05, more_is_better=True) == "better"
    assert reading(0.01, 0.05, more_is_better=False) == "worse"
    assert reading(-0.02, 0.05, more_is_better=True) == "no detectable change"
    assert reading(0.0, 0.0, more_is_better=True).startswith("no change")
    assert reading(float("nan"), float("nan"), more_is_better=True).startswith("one replication")


def test_the_first_page_shows_means_with_intervals_and_paired_readings():
    import pandas as pd

    from patientflow.report.first_page import first_page

    rep = "acute.replications.national.a1_share_on_scene_15min"
    table = pd.DataFrame(
        {
            "job": ["0", "1"],
            "label": ["scenario=baseline_2025", "scenario=flu_peak"],
            "status": ["complete", "complete"],
            "acute.national.a1_share_on_scene_15min": [0.99, 0.50],  # replication 0
            f"{rep}.mean": [0.92, 0.88],
            f"{rep}.ci_low": [0.90, 0.86],
            f"{rep}.ci_high": [0.94, 1.02],
        }
    )
    diff = pd.DataFrame(
        {
            "job": ["1"],
            "indicator": ["a1_share_on_scene_15min"],
            "difference": [-0.04],
            "ci_low": [-0.06],
            "ci_high": [-0.02],
            "baseline_label": ["scenario=baseline_2025"],
        }
    )
    page = first_page(table, diff).set_index("scenario")
    assert page.loc["scenario=baseline_2025", "value"] == "92.0 % [90.0 %, 94.0 %]"
    flu = page.loc["scenario=flu_peak"]
    assert flu["value"] == "88.0 % [86.0 %, 100.0 %]"  # the mean, its bound kept at 100 %
    assert flu["against the baseline"] == "-4.0 pt [-6.0 pt, -2.0 pt]"
    assert flu["reading"] == "worse"


def test_the_first_page_of_a_replication_sweep_shows_each_job_without_an_interval():
    """Jobs of one replication each (a sweep over sim.replication) have a mean but no interval
    in their summaries: the page shows the value alone (it raised KeyError, and the whole
    sweep report was lost)."""
    import pandas as pd

    from patientflow.report.first_page import first_page

    rep = "acute.replications.national.a1_share_on_scene_15min"
    table = pd.DataFrame(
        {
            "job": ["0", "1"],
            "label": ["replication=0", "replication=1"],
            "status": ["complete", "complete"],
            "acute.national.a1_share_on_scene_15min": [0.9717, 0.9612],
            f"{rep}.mean": [0.9717, 0.9612],
            f"{rep}.n": [1.0, 1.0],
        }
    )
    page = first_page(table, pd.DataFrame()).set_index("scenario")
    assert page.loc["replication=0", "value"] == "97.2 %"
    assert page.loc["replication=1", "value"] == "96.1 %"


def test_the_first_page_calls_only_the_baseline_the_baseline():
    """A job left out of the paired differences (another seed, no common replication) has no
    difference against the baseline: it was shown as "baseline" itself."""
    import pandas as pd

    from patientflow.report.first_page import first_page

    key = "a1_share_on_scene_15min"
    table = pd.DataFrame(
        {
            "job": ["0", "1", "2"],
            "label": ["scenario=baseline_2025", "scenario=flu_peak", "scenario=staff_shortage"],
            "status": ["complete"] * 3,
            f"acute.national.{key}": [0.92, 0.88, 0.80],
        }
    )
    diff = pd.DataFrame(
        {
            "job": ["1"],
            "label": ["scenario=flu_peak"],
            "baseline": ["0"],
            "baseline_label": ["scenario=baseline_2025"],
            "indicator": [key],
            "difference": [-0.04],
            "ci_low": [-0.06],
            "ci_high": [-0.02],
        }
    )
    against = first_page(table, diff).set_index("scenario")["against the baseline"]
    assert against["scenario=baseline_2025"] == "baseline"
    assert against["scenario=flu_peak"] == "-4.0 pt [-6.0 pt, -2.0 pt]"
    assert against["scenario=staff_shortage"].startswith("no paired difference")


def test_swept_site_ids_read_as_hospital_towns():
    from patientflow.report.sweep_figures import readable_value

    assert readable_value("[H108801]") == "Terneuzen"
    assert readable_value("[H108801,H101804]") == "Terneuzen, Goes"
    assert readable_value("[]") == "none"
    assert readable_value("zcc_2025") == "zcc_2025"


def test_a_scenario_label_names_its_sites_with_their_ids():
    """Difference maps and their captions name the closure (77 maps of one study otherwise
    read "closed_sites=[H100201] against closed_sites=[]"); the id stays, as two hospitals can
    share a town."""
    from patientflow.report.sweep_figures import readable_label

    assert readable_label("closed_sites=[H108801]") == "closed_sites=Terneuzen (H108801)"
    assert readable_label("closed_sites=[H108801,H101804], scenario=zcc_2025") == (
        "closed_sites=Terneuzen (H108801), Goes (H101804), scenario=zcc_2025"
    )
    assert readable_label("closed_sites=[]") == "closed_sites=none"
    assert readable_label("3") == "3"  # a job labelled by its folder
    # the towns of the sites the jobs ran with, a user's table, before the embedded one
    assert readable_label("closed_sites=[H108801]", towns={"H108801": "Sluiskil"}) == (
        "closed_sites=Sluiskil (H108801)"
    )
    assert readable_label("closed_sites=[H108801]", towns={}) == "closed_sites=H108801"


def test_the_report_takes_hospital_towns_from_the_jobs_own_sites(tmp_path):
    from patientflow.report.aggregate import site_towns
    from patientflow.report.jobs import Job

    (tmp_path / "0").mkdir()
    (tmp_path / "0" / "network_sites.csv").write_text("site_id,town\nH108801,Sluiskil\n")
    jobs = [Job(tmp_path / "0", "complete", {}, {}, ""), Job(tmp_path / "1", "failed", {}, {}, "")]
    assert site_towns(jobs) == {"H108801": "Sluiskil"}


@pytest.mark.slow
def test_the_report_speaks_dutch_when_asked_with_the_same_numbers(sweep, report, tmp_path):
    build_report(sweep, tmp_path / "nl", lang="nl")
    en = (report[1] / "report.md").read_text(encoding="utf-8")
    nl = (tmp_path / "nl" / "report.md").read_text(encoding="utf-8")
    assert "## What was compared" in en and "## By region" in en
    assert "## Wat is vergeleken" in nl and "## Per regio" in nl and "What was compared" not in nl
    assert "Acute Zorg Euregio (EUREGIO)" in nl  # the region's own chapter
    numbers = re.compile(r"[-+]?\d+\.\d+")
    assert numbers.findall(en.split("## By region")[0].split("## What was compared")[1]) == (
        numbers.findall(nl.split("## Per regio")[0].split("## Wat is vergeleken")[1])
    )
    assert '<html lang="nl">' in (tmp_path / "nl" / "report.html").read_text(encoding="utf-8")


@pytest.mark.slow
def test_a_region_chapter_gives_each_jobs_mean_with_its_interval(sweep):
    from patientflow.report.jobs import find_jobs
    from patientflow.report.region_sections import region_tables

    jobs = find_jobs(sweep)
    tables = region_tables(jobs, {"0": "baseline", "1": "staff shortage"})
    assert [t.code for t in tables] == ["EUREGIO"]
    table = tables[0].table.set_index("scenario")
    assert list(table.index) == ["baseline", "staff shortage"]  # the failed job has no row
    reps = pd.read_csv(sweep / "0" / "replications.csv")["roaz.EUREGIO.a1_share_on_scene_15min"]
    cell = table.loc["baseline", "A1 ambulance on scene within 15 min"]
    assert cell.startswith(f"{100 * reps.mean():.1f} % [")  # the mean of both, not replication 0


def test_the_report_language_defaults_to_the_jobs_own(tmp_path):
    from patientflow.report.cli import jobs_language
    from patientflow.report.jobs import Job

    def job(name: str, lang: str) -> Job:
        (tmp_path / name).mkdir()
        (tmp_path / name / "config.yaml").write_text(f"report:\n  lang: {lang}\n")
        return Job(tmp_path / name, "complete", {}, {}, "")

    assert jobs_language([job("a", "nl"), job("b", "nl")]) == "nl"
    assert jobs_language([job("c", "nl"), job("d", "en")]) == "en"  # they differ: English


@pytest.mark.slow
def test_every_page_of_the_report_fits_a_1400_pixel_screen_with_its_figures(report, tmp_path):
    """The page as a browser shows it (headless Chromium): nothing wider than the window,
    every embedded figure loaded; one screenshot per screen."""
    sys.path.insert(0, str(Path(__file__).resolve().parents[2] / "scripts"))
    import check_report_pages

    if check_report_pages.browser() is None:
        pytest.skip("no Chromium here (apt-get install chromium): the page check needs it")
    found, screens = check_report_pages.check(report[1] / "report.html", tmp_path / "s")
    assert found["page_width"] <= found["width"] and not found["wide"], found
    assert found["images"] >= 1 and not found["missing"], found
    assert len(screens) >= 2 and all(s.stat().st_size > 10_000 for s in screens)


def test_the_accessibility_chapter_lists_each_region_once_under_its_own_name():
    """One row per region as the jobs' tables have it: no rows pairing one region's code with
    another's name (the pivot's dropna=False made the product of codes and names: 100 rows, 90
    of them empty, for the 10 ROAZ regions)."""
    from patientflow.report.labels import EN
    from patientflow.report.sweep_tables import beyond_per_region

    codes, names = ["A", "B", "C"], ["Aa", "Bb", "Cc"]
    regions = pd.DataFrame(
        {
            "region": codes * 2,
            "name": names * 2,
            "population_beyond_norm": [10.0, 0.0, 3.0] * 2,
            "job": ["0"] * 3 + ["1"] * 3,
        }
    )
    table = pd.DataFrame({"norm_min": [45.0, 45.0]})
    same = beyond_per_region(regions, table, {}, EN)
    assert same.text.startswith("The same in every scenario")
    pairs = [[c, n] for c, n in zip(codes, names, strict=True)]
    assert same.table.iloc[:, :2].values.tolist() == pairs
    assert same.table.iloc[:, 2].tolist() == [10.0, 0.0, 3.0]
    changed = regions.assign(population_beyond_norm=[10.0, 0.0, 3.0, 12.0, 0.0, 3.0])
    differ = beyond_per_region(changed, table, {"0": "base", "1": "closure"}, EN)
    assert differ.text == "" and len(differ.table) == 3
    assert differ.table["closure"].tolist() == [12.0, 0.0, 3.0]
    tenth = changed.assign(job=["10"] * 3 + ["2"] * 3)  # jobs in their order, not as strings
    assert list(beyond_per_region(tenth, table, {}, EN).table.columns[2:]) == ["2", "10"]
    # more scenarios than regions (each SEH closed in turn): a row per scenario
    many = pd.concat([regions.iloc[:3].assign(job=str(k)) for k in range(4)], ignore_index=True)
    many.loc[many["job"] == "3", "population_beyond_norm"] = 99.0
    rows = beyond_per_region(many, table, {"0": "base"}, EN)
    assert rows.text.startswith("A row per scenario")
    assert list(rows.table.columns) == ["scenario", "A", "B", "C"]
    assert rows.table["scenario"].tolist() == ["base", "1", "2", "3"]
    assert rows.table.loc[3, ["A", "B", "C"]].tolist() == [99.0, 99.0, 99.0]


def test_a_region_missing_from_one_job_is_a_difference_not_the_same():
    """The accessibility chapter folds the jobs into one column only when every job has the
    same number in every region; a job without a region's row (NaN) must not pass as equal."""
    from patientflow.report.labels import EN
    from patientflow.report.sweep_tables import beyond_per_region

    regions = pd.DataFrame(
        {
            "region": ["A", "B", "A"],
            "name": ["Aa", "Bb", "Aa"],
            "population_beyond_norm": [10.0, 5.0, 10.0],
            "job": ["0", "0", "1"],  # job 1 has no row for region B
        }
    )
    table = pd.DataFrame({"norm_min": [45.0, 45.0]})
    section = beyond_per_region(regions, table, {"0": "base", "1": "closure"}, EN)
    assert section.text == "" and list(section.table.columns[-2:]) == ["base", "closure"]
    same = beyond_per_region(regions.iloc[[0, 2]], table, {}, EN)
    assert same.text.startswith("The same in every scenario") and same.table.shape[1] == 3


def test_the_closure_tables_name_the_scenario_and_the_hospital():
    """Who is hit hardest and the load on neighbours read in words: the closure and the SEH
    that takes its patients by town and id, not job numbers and bare ids."""
    from patientflow.report.labels import Labels
    from patientflow.report.sweep_tables import readable_hit, readable_shift

    NL = Labels("nl")

    label_of = {"1": "closed_sites=[H108801]"}
    towns = {"H108801": "Terneuzen", "H101804": "Goes"}  # as the jobs' network_sites.csv
    shift = pd.DataFrame(
        {
            "site_id": ["H101804", "H999999"],
            "catchment_base": [100.0, 10.0],
            "catchment": [130.4, 12.0],
            "extra_inhabitants": [30.4, 2.0],
            "job": ["1", "1"],
        }
    )
    rows = readable_shift(shift, label_of, towns, NL).values.tolist()
    assert rows[0] == ["closed_sites=Terneuzen (H108801)", "Goes (H101804)", 100.0, 130.0, 30.0]
    assert rows[1][1] == "H999999"  # a site the jobs do not know stays its id
    hit = pd.DataFrame(
        {
            "job": ["1"],
            "municipality_code": ["GM0715"],
            "name": ["Terneuzen"],
            "population": [54000.0],
            "share_65plus": [0.23],
            "ambulance_min_to_seh_base": [12.04],
            "ambulance_min_to_seh": [31.26],
            "extra_ambulance_min": [19.22],
            "extra_car_min": [21.0],
            "extra_beyond_norm": [0.0],
        }
    )
    table = readable_hit(hit, label_of, towns, NL)
    assert list(table.columns[:3]) == ["scenario", "gemeente", "inwoners"]
    assert table.iloc[0].tolist()[3:8] == ["23.0 %", 12.0, 31.3, "+19.2", "+21.0"]


def test_the_forest_plot_promises_intervals_only_where_there_are():
    from patientflow.report.sweep_figures import forest_title

    diff = pd.DataFrame(
        {"baseline_label": ["base", "base"], "ci_low": [0.1, None], "ci_high": [0.3, None]}
    )
    assert forest_title(diff.iloc[[1]]).endswith(
        "one replication each: no interval, so no reading of better or worse"
    )
    assert forest_title(diff.iloc[[0]]) == (
        "difference to the baseline (base), mean and 95 % interval, paired over common replications"
    )
    assert forest_title(diff).endswith("(a dot without a bar: one replication, no interval)")


def test_the_run_figure_draws_the_norms_the_region_tables_hold():
    """The run's norms figure drew no line for the GP posts' 90 % of urgent calls within 30 s,
    which the breach tables hold: a share of 67 % looked fine beside the A1 panel's line."""
    from patientflow.report.acute_figures import NORMS
    from patientflow.report.breaches import NORMS as REGION_NORMS

    targets = {key: share for key, share, _ in REGION_NORMS}
    assert dict(NORMS)["share_urgent_answered_30s"] == 0.90
    assert all(target == targets.get(key) for key, target in NORMS)


def test_scenarios_of_several_overrides_are_told_apart_in_the_opening_sentence():
    from patientflow.report.impact import _compared

    table = pd.DataFrame(
        {
            "job": ["0", "1"],
            "status": ["complete", "complete"],
            "label": ["occupancy=0.65, compliance=0.1", "occupancy=0.8, compliance=0.1"],
        }
    )
    text = _compared(table, pd.DataFrame())
    assert text.startswith(
        "2 scenarios: (occupancy=0.65, compliance=0.1), (occupancy=0.8, compliance=0.1); "
    )
