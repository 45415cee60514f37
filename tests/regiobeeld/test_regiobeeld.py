"""The regiobeeld: a region's chapter now and at the horizon, its map, and numbers that add up
to the country's over the 31 zorgkantoor regions."""

from __future__ import annotations

import copy
import shutil

import pandas as pd
import pytest

import patientflow
from patientflow.config.checks import check_config
from patientflow.core.area import study_area
from patientflow.errors import ConfigError, DataError
from patientflow.regiobeeld.horizon import eighty_plus_national, year_profile
from patientflow.report.markdown import fmt_number
from patientflow.runner import as_run_config, load_run_data
from tests.data.prognosis_files import prognosis_file

ZEELAND = ["sim=regiobeeld", "region.level=zorgkantoor", "region.codes=[ZK27]"]


@pytest.fixture(scope="module")
def zeeland(tmp_path_factory):
    cfg = patientflow.compose([*ZEELAND, "sim.days=2", "sim.warmup_days=0.5"])
    return patientflow.run(cfg, tmp_path_factory.mktemp("zeeland"))


@pytest.mark.slow
def test_the_chapter_names_the_region_both_years_and_its_map(zeeland):
    text = zeeland.paths["regiobeeld_chapter"].read_text(encoding="utf-8")
    assert text.startswith("# Regiobeeld Zeeland (ZK27): 2025 and 2035")
    assert "![" in text and "regiobeeld_map.png" in text
    assert zeeland.paths["regiobeeld_map"].stat().st_size > 50_000
    for section in ("## People", "## Access today", "## Providers", "## Acute pressure"):
        assert section in text


@pytest.mark.slow
def test_a_regiobeeld_jobs_chapter_renders_in_the_report(zeeland, tmp_path):
    """The module's Zeeland run, copied into a sweep folder of its own, in patientflow-report."""
    from patientflow.report.cli import build_report

    shutil.copytree(zeeland.paths["regiobeeld_chapter"].parent, tmp_path / "zeeland")
    build_report(tmp_path, tmp_path / "report")
    md = (tmp_path / "report" / "report.md").read_text(encoding="utf-8")
    assert "\n## Regiobeeld\n" in md  # the report's chapter for regiobeeld jobs
    assert "### Regiobeeld Zeeland (ZK27): 2025 and 2035" in md  # demoted under the report's
    assert "(../zeeland/regiobeeld_map.png)" in md
    page = (tmp_path / "report" / "report.html").read_text(encoding="utf-8")
    assert "<h3>Regiobeeld Zeeland (ZK27): 2025 and 2035</h3>" in page
    assert '<img src="data:image/png;base64,' in page and "<table>" in page


@pytest.mark.slow
def test_the_horizon_is_older_and_needs_more_than_today(zeeland):
    years = pd.read_csv(zeeland.paths["regiobeeld_years"]).set_index("quantity")
    assert years.loc["inhabitants", "2035"] > years.loc["inhabitants", "2025"]
    assert years.loc["share 65+", "2035"] > years.loc["share 65+", "2025"]
    assert years.loc["aged 80+ (rule)", "2035"] > years.loc["aged 80+ (rule)", "2025"]
    # ageing: 112 calls grow faster than the population
    assert years.loc["expected call_112 a year", "change"] > years.loc["inhabitants", "change"]
    cap = pd.read_csv(zeeland.paths["regiobeeld_capacity"])
    assert (cap["today"] > 0).all()
    # the beds of Goes (244) and Terneuzen (186), the two SEH sites, not Vlissingen's or Oostburg's
    assert cap.set_index("driver").loc["admissions", "today"] == 430
    assert (cap["needed_2035"] >= cap["today"]).all()


@pytest.mark.slow
def test_the_headline_names_the_largest_gap_relative_to_today(zeeland):
    """Beds, bays and ambulances in their own units: the raw gap would always name the beds."""
    cap = pd.read_csv(zeeland.paths["regiobeeld_capacity"])
    relative = cap["needed_2035"] / cap["today"] - 1
    worst = cap.loc[relative.idxmax()]
    headline = zeeland.paths["regiobeeld_chapter"].read_text(encoding="utf-8").splitlines()[2]
    # as the capacity table shows them: whole numbers would read "17 today against 18 needed"
    # beside a gap of +11.3 % (16.52 and 18.38)
    today, needed = fmt_number(worst["today"]), fmt_number(worst["needed_2035"])
    assert f"{worst['resource']}, {today} today against {needed} needed" in headline
    assert f"({relative.max():+.1%}; 95% interval" in headline


def test_the_largest_gap_is_ranked_relative_to_today():
    from patientflow.report.regiobeeld_chapter import largest_gap

    # Zeeland's default run before this rule: beds +55 (+7.5 %) named, ambulances +1.8 (+10.8 %)
    cap = pd.DataFrame(
        {
            "resource": ["ambulances", "bays", "beds"],
            "today": [16.5, 24.0, 737.0],
            "needed_2035": [18.3, 25.9, 791.9],
        }
    )
    cap["gap"] = cap["needed_2035"] - cap["today"]
    cap["relative_gap"] = cap["needed_2035"] / cap["today"] - 1
    assert largest_gap(cap)["resource"] == "ambulances"


@pytest.mark.slow
def test_the_need_is_a_mean_over_replications_with_its_interval(zeeland):
    """One replication of a few days moved Zeeland's beds needed from 753 to 839 with the seed:
    the default regiobeeld replicates each year and shows the need's 95 % interval."""
    cap = pd.read_csv(zeeland.paths["regiobeeld_capacity"])
    assert (cap["replications"] == 5).all()
    assert (cap["needed_2035_ci_low"] < cap["needed_2035"]).all()
    assert (cap["needed_2035"] < cap["needed_2035_ci_high"]).all()
    years = pd.read_csv(zeeland.paths["regiobeeld_years"]).set_index("quantity")
    row = years.loc["a1_share_on_scene_15min"]
    assert row["ci_low_2025"] < row["2025"] < row["ci_high_2025"]
    text = zeeland.paths["regiobeeld_chapter"].read_text(encoding="utf-8")
    assert "95% interval" in text.splitlines()[2] and "over 5 replications" in text
    assert "the mean of 5 replications" in text


def test_the_need_pairs_the_years_by_replication():
    from patientflow.core.statistics import mean_ci
    from patientflow.regiobeeld.capacity import capacity_table

    def year(y: int, admissions: list[float]) -> dict:
        same = [1000.0] * len(admissions)  # ambulances and bays do not grow here
        volumes = {"admissions": admissions, "ambulance_deployments": same, "seh_visits": same}
        return {"year": y, "replications": len(admissions), "volumes_by_replication": volumes}

    today = {"ambulances": 10.0, "seh_bays": 20.0, "beds": 400.0}
    now, then = [100.0, 120.0, 90.0], [110.0, 126.0, 99.0]
    cap = capacity_table(today, year(2025, now), year(2035, then))
    beds = cap.set_index("driver").loc["admissions"]
    grown = [400 * b / a for a, b in zip(now, then, strict=True)]
    ci = mean_ci(pd.Series(grown))
    assert beds["needed_2035"] == pytest.approx(ci["mean"])
    assert beds["needed_2035_ci_low"] == pytest.approx(ci["ci_low"])
    assert beds["needed_2035_ci_high"] == pytest.approx(ci["ci_high"])
    assert beds["volume_2025"] == pytest.approx(310 / 3)
    assert beds["relative_gap"] == pytest.approx(ci["mean"] / 400 - 1)
    # one replication: the need as before, no interval
    one = capacity_table(today, year(2025, [100.0]), year(2035, [110.0]))
    assert one.loc[2, "needed_2035"] == pytest.approx(440.0)
    assert one[["needed_2035_ci_low", "needed_2035_ci_high"]].isna().all().all()
    assert one.loc[0, "needed_2035"] == pytest.approx(10.0)
    # a replication without the volume today gives no growth, not today's amount
    gap = capacity_table(today, year(2025, [0.0, 100.0]), year(2035, [50.0, 110.0]))
    assert gap.loc[2, "needed_2035"] == pytest.approx(440.0)
    with pytest.raises(KeyError):
        capacity_table({"beds": 400.0}, year(2025, [100.0]), year(2035, [110.0]))


@pytest.mark.slow
def test_providers_are_the_regions_open_hospitals(zeeland):
    sites = pd.read_csv(zeeland.paths["regiobeeld_providers"])
    assert {"Goes", "Terneuzen"} <= set(sites["town"])
    assert set(sites.loc[sites["seh_status"] == "open_247", "town"]) == {"Goes", "Terneuzen"}


@pytest.mark.slow
def test_access_agrees_with_the_national_regions_table(zeeland):
    access = pd.read_csv(zeeland.paths["regiobeeld_access"]).set_index("service")
    regions = pd.read_csv(zeeland.paths["regions"])
    row = regions[(regions["level"] == "zorgkantoor") & (regions["region"] == "ZK27")].iloc[0]
    assert access.loc["ambulance_min_to_seh", "inhabitants_beyond_45_min"] == pytest.approx(
        row["population_beyond_norm"], rel=1e-9
    )
    assert access.loc["seh_247", "mean_min"] == pytest.approx(row["car_min_seh_247_mean"])


@pytest.mark.slow
def test_the_31_regions_add_up_to_the_country():
    """Demography, expected acute contacts and complex-care patients of the 31 zorgkantoor
    regions sum to the whole country's, now and at the horizon."""
    for year in (2025, 2035):
        run, _ = as_run_config(patientflow.compose([f"demand.year={year}", "region=nl"]))
        data = load_run_data(run)
        nation = year_profile(data, study_area(data, run, whole_country=True), run, year)
        codes = sorted(data.municipalities["zorgkantoor_code"].unique())
        assert len(codes) == 31
        # One composition per year (Hydra's takes most of a second), each region's codes set on
        # a copy: the same typed config as composing with `region.codes=[code]`, checked again
        # by as_run_config.
        one = patientflow.compose(
            [f"demand.year={year}", "region.level=zorgkantoor", f"region.codes=[{codes[0]}]"]
        )
        parts = []
        for code in codes:
            cfg = copy.deepcopy(one)
            cfg.region.codes = [code]
            regional, _ = as_run_config(cfg)
            assert regional.region.codes == [code]
            parts.append(year_profile(data, study_area(data, regional), regional, year))
        for key in ("population", "aged_65plus", "aged_80plus"):
            assert sum(p[key] for p in parts) == pytest.approx(nation[key], rel=1e-9), key
        for block in ("acute_expected_per_year", "care_patients_per_year"):
            for k, v in nation[block].items():
                assert sum(p[block][k] for p in parts) == pytest.approx(v, rel=1e-9), k
        assert nation["aged_80plus"] == pytest.approx(eighty_plus_national(year), rel=1e-9)
        # the regions' shares of the public fleet make up the whole fleet
        assert sum(p["share_of_national_112"] for p in parts) == pytest.approx(1.0, rel=1e-9)


def test_the_80plus_grows_on_after_2045_to_the_2070_anchor():
    """CBS: 0.9 M aged 80+ at the end of 2024, 1.8 M in 2045, 2.1 M in 2070 (domain-facts);
    a horizon after 2045 is not held at 1.8 M."""
    assert eighty_plus_national(2025) == pytest.approx(0.9e6)
    assert eighty_plus_national(2045) == pytest.approx(1.8e6)
    assert eighty_plus_national(2055) == pytest.approx(1.8e6 + 0.3e6 * 10 / 25)
    assert eighty_plus_national(2070) == pytest.approx(2.1e6)


def test_a_population_factor_scales_the_country_too_so_shares_stay_shares():
    """scenario.population_factor scales everyone: the whole country's share of its own 112
    calls stays 1 (the whole fleet, not 1.1 of it) and its 80+ grows with the factor."""
    profiles = {}
    for factor in (1.0, 1.1):
        run, _ = as_run_config(
            patientflow.compose(["region=nl", f"scenario.population_factor={factor}"])
        )
        data = load_run_data(run)
        area = study_area(data, run, whole_country=True)
        profiles[factor] = year_profile(data, area, run, 2025)
    one, more = profiles[1.0], profiles[1.1]
    assert more["share_of_national_112"] == pytest.approx(1.0, rel=1e-9)
    assert more["population"] == pytest.approx(1.1 * one["population"], rel=1e-12)
    assert more["aged_80plus"] == pytest.approx(1.1 * eighty_plus_national(2025), rel=1e-9)


def test_a_prognosis_file_must_give_each_of_its_municipalities_both_years(tmp_path):
    """Goes with a row for 2025 only would be the file's 45,000 in 2025 and the national
    rule's 42,016 in 2035 (-6.6 %, where the rule alone gives +5 %): refused before any work,
    naming every municipality that lacks a year."""
    path = prognosis_file(
        tmp_path / "prognosis.csv",
        ("GM0654", 2025, 23_300, 0.23),
        ("GM0654", 2035, 24_500, 0.27),
        ("GM0664", 2025, 45_000, 0.25),
        ("GM0677", 2030, 27_000, 0.3),
    )
    cfg = patientflow.compose(
        [*ZEELAND, f"demand.prognosis_file={path}", "sim.days=1", "sim.warmup_days=0.25"]
    )
    with pytest.raises(DataError) as err:
        patientflow.run(cfg, tmp_path / "run")
    text = "\n".join(err.value.lines())
    assert "row 4" in text and "GM0664 (Goes) has rows for 2025 but none for 2035" in text
    assert "row 5" in text and "GM0677" in text and "none for 2025 and 2035" in text
    assert "GM0654" not in text
    assert not (tmp_path / "run" / "accessibility.parquet").exists()  # before any work


@pytest.mark.slow
def test_the_chapter_says_where_its_population_comes_from(zeeland, tmp_path):
    """With a prognosis file the municipalities it lists take its figures, not the CBS rule's."""
    rule = zeeland.paths["regiobeeld_chapter"].read_text(encoding="utf-8")
    assert "age structure (the national rule)" in rule and "prognosis file" not in rule
    path = prognosis_file(
        tmp_path / "prognosis.csv", ("GM0664", 2025, 40_000, 0.26), ("GM0664", 2035, 42_000, 0.30)
    )
    cfg = patientflow.compose(
        [
            *ZEELAND,
            f"demand.prognosis_file={path}",
            "sim.days=1",
            "sim.warmup_days=0.25",
            "sim.replications=1",
            "report.figures=false",
        ]
    )
    text = patientflow.run(cfg, tmp_path / "run").paths["regiobeeld_chapter"].read_text("utf-8")
    made = text.split("## How this was made")[1]
    assert f"from your prognosis file ({path}) for the municipalities it lists" in made
    assert "(the national rule)" not in made


def test_the_horizon_must_lie_after_the_year_studied():
    with pytest.raises(ConfigError, match="regiobeeld.horizon_year"):
        check_config(patientflow.compose([*ZEELAND, "regiobeeld.horizon_year=2025"]))


def test_an_seh_closed_in_the_network_holds_no_bays_and_no_beds_today():
    """The beds that grow with acute admissions are those of the sites that take them in: a
    hospital without an open SEH (Vlissingen, Oostburg in Zeeland) is not in the row."""
    from patientflow.regiobeeld.capacity import today_capacity

    sites = pd.DataFrame(
        {
            "seh_status": ["open_247", "closed_in_network", "limited_hours", "none"],
            "seh_bays": [16, 8, 4, 0],
            "beds": [244, 186, 100, 61],
        }
    )
    today = today_capacity(sites, 16.5)
    assert today == {"ambulances": 16.5, "seh_bays": 20.0, "beds": 344.0}


def test_the_docs_zeeland_beds_are_the_shipped_tables(dataset):
    """docs/regiobeeld.md names Zeeland's beds with and without an open SEH: the rebuild of
    5375b53 gave Oostburg 62 beds for 61 and the page kept saying 307 for Vlissingen and
    Oostburg."""
    import re

    from tests.conftest import REPO

    text = " ".join((REPO / "docs/regiobeeld.md").read_text(encoding="utf-8").split())
    beds = dataset.sites.set_index("town")["beds"]
    for towns in (("Goes", "Terneuzen"), ("Vlissingen", "Oostburg")):
        found = re.search(rf"{towns[0]}(?:,| and) {towns[1]}: (\d+) beds", text)
        assert found, towns
        assert int(found.group(1)) == int(beds.loc[list(towns)].sum()), towns


@pytest.mark.slow
def test_a_region_that_needs_less_is_not_told_of_a_gap(tmp_path):
    """Zeeland shrinking by a fifth (a user's prognosis): every resource needs less in 2035,
    and the headline said "The largest gap ...: ambulances, 16.52 today against 13.39 needed
    (-19.0 %)", in Dutch "Het grootste tekort", of a surplus."""
    from patientflow.report.regiobeeld_chapter import write_regiobeeld_chapter

    run, _ = as_run_config(patientflow.compose([*ZEELAND]))
    munis = load_run_data(run).municipalities
    rows = [
        (m.municipality_code, year, int(m.population * shrink), round(m.share_65plus, 4))
        for m in munis[munis["zorgkantoor_code"] == "ZK27"].itertuples()
        for year, shrink in ((2025, 1.0), (2035, 0.8))
    ]
    path = prognosis_file(tmp_path / "prognosis.csv", *rows)
    fast = ["sim.days=1", "sim.warmup_days=0.25", "sim.replications=2", "report.figures=false"]
    cfg = patientflow.compose([*ZEELAND, f"demand.prognosis_file={path}", *fast])
    result = patientflow.run(cfg, tmp_path / "run")
    cap = pd.read_csv(result.paths["regiobeeld_capacity"])
    assert (cap["relative_gap"] < 0).all()
    worst = cap.loc[cap["relative_gap"].idxmax()]
    said = f"{fmt_number(worst['today'])} today against {fmt_number(worst['needed_2035'])} needed"
    headline = result.paths["regiobeeld_chapter"].read_text(encoding="utf-8").splitlines()[2]
    assert "gap" not in headline
    assert "No resource needs more than today at today's occupancy; the nearest" in headline
    assert f"{worst['resource']}, {said} ({worst['relative_gap']:+.1%}" in headline
    frames = {
        name: pd.read_csv(result.paths[f"regiobeeld_{name}"])
        for name in ("years", "access", "providers", "capacity", "care")
    }
    nl, _ = as_run_config(patientflow.compose([*ZEELAND, *fast, "report.lang=nl"]))
    out = tmp_path / "nl"
    out.mkdir()
    summary = result.summary["regiobeeld"]
    dutch = write_regiobeeld_chapter(frames, summary, nl, out, None, None).read_text("utf-8")
    assert "tekort" not in dutch.splitlines()[2]
    assert "Geen capaciteit hoeft te groeien" in dutch.splitlines()[2]


def test_the_chapter_names_the_fleet_the_run_staffed():
    """The chapter said "today's national ambulance fleet (693 staffed ...)" whatever
    facilities.ambulance configured: with fleet_weekday_day=800 the capacity table's today was
    800's share (19.07 in Zeeland) beside the words 693."""
    from patientflow.report.chapter_words import chapter_words, template_name
    from patientflow.report.labels import labels_of
    from patientflow.report.regiobeeld_chapter import TEMPLATES, fleet_words
    from patientflow.report.regiobeeld_words import WORDS

    cases = {
        ("facilities.ambulance.fleet_weekday_day=800",): ("(800 staffed", "(800 bemande"),
        ("facilities.ambulance.fleet=occupancy", "facilities.ambulance.target_occupancy=0.4"): (
            "expected occupancy at 40%",
            "bezettingsgraad van 40%",
        ),
        ("facilities.ambulance.fleet=table", "facilities.ambulance.fleet_file=my.csv"): (
            "fleet file (my.csv)",
            "vlootbestand (my.csv)",
        ),
    }
    for overrides, said in cases.items():
        run, _ = as_run_config(patientflow.compose([*ZEELAND, *overrides]))
        for lang, words in zip(("en", "nl"), said, strict=True):
            tr = labels_of(lang, 45.0)
            say = chapter_words(WORDS, tr)
            assert words in fleet_words(run, say), (overrides, lang)
            # the headline's short form: it said "today's national fleet" whatever the run
            short = fleet_words(run, say, short=True)
            assert ("national" in short or "landelijke" in short) == (len(overrides) == 1)
            # only RIVM's 693 is today's fleet (it said "today's national fleet" for 800 too)
            assert "today" not in short and "huidige" not in short, (overrides, lang)
            template = (TEMPLATES / template_name("regiobeeld", tr)).read_text(encoding="utf-8")
            assert "693" not in template and "{{ fleet }}" in template
    run, _ = as_run_config(patientflow.compose([*ZEELAND, "scenario=staff_shortage"]))
    for lang, words in (("en", "staffed at 85%"), ("nl", "bemand voor 85%")):
        say = chapter_words(WORDS, labels_of(lang, 45.0))
        assert words in fleet_words(run, say, short=True), lang
        assert words in fleet_words(run, say), lang
