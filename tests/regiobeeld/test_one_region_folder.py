"""A data folder may hold one region (the data README: any table can be replaced): the region
then has the numbers it has in the whole country, grown from the country of 2024, never the
country's 18 M inhabitants or its whole ambulance fleet."""

from __future__ import annotations

import shutil
from pathlib import Path

import pandas as pd
import pytest

import patientflow
from patientflow.core.area import study_area
from patientflow.data import default_data_dir
from patientflow.regiobeeld.horizon import year_profile
from patientflow.runner import as_run_config, load_run_data

ZEELAND = ["region.level=zorgkantoor", "region.codes=[ZK27]"]


def one_region_folder(folder: Path, zorgkantoor: str) -> Path:
    """The embedded tables of one zorgkantoor region's municipalities in `folder` (the
    reviewer's make_subset.py): its sites, posts, ZCC options and volumes, nothing else."""
    src = default_data_dir()

    def read(name: str) -> pd.DataFrame:
        return pd.read_csv(src / name, dtype=str, keep_default_na=False)

    munis = read("municipalities.csv")
    munis = munis[munis["zorgkantoor_code"] == zorgkantoor]
    codes = set(munis["municipality_code"])
    out = {"municipalities.csv": munis, "interventions.csv": read("interventions.csv")}
    for name in (
        "demand_points.csv",
        "sites.csv",
        "gp_posts.csv",
        "ambulance_posts.csv",
        "zcc_subregions.csv",
        "islands.csv",
    ):
        table = read(name)
        out[name] = table[table["municipality_code"].isin(codes)].copy()
    sites = set(out["sites.csv"]["site_id"])
    posts = out["gp_posts.csv"]
    posts.loc[~posts["site_id"].isin(sites), "site_id"] = ""
    zcc = read("zcc_options.csv")
    zcc = zcc[zcc["region_code"].isin(set(munis["roaz_code"]) | set(munis["vr_code"]))].copy()
    zcc.loc[~zcc["site_id"].isin(sites), "site_id"] = ""
    out["zcc_options.csv"] = zcc
    for name in ("site_interventions.csv", "vascular_networks.csv"):
        table = read(name)
        out[name] = table[table["site_id"].isin(sites)]
    folder.mkdir(parents=True, exist_ok=True)
    for name, table in out.items():
        table.to_csv(folder / name, index=False)
    for name in ("water_zones.csv", "water_crossings.csv"):
        shutil.copy(src / name, folder / name)
    return folder


def _profile(year: int, *overrides: str) -> dict:
    run, _ = as_run_config(patientflow.compose([*ZEELAND, f"demand.year={year}", *overrides]))
    data = load_run_data(run)
    return year_profile(data, study_area(data, run), run, year)


@pytest.mark.parametrize("year", [2025, 2035])
def test_a_folder_of_one_region_gives_it_its_numbers_in_the_country(tmp_path, year):
    folder = one_region_folder(tmp_path / "zeeland", "ZK27")
    country = _profile(year)
    alone = _profile(year, f"data.dir={folder}")
    assert 380_000 < alone["population"] < 430_000  # not the country's 18 M
    for key in ("population", "aged_65plus", "aged_80plus", "share_of_national_112"):
        assert alone[key] == pytest.approx(country[key], rel=1e-9), key
    # the age effect stays measured against the country's 65+ share, not Zeeland's own
    for channel, n in country["acute_expected_per_year"].items():
        assert alone["acute_expected_per_year"][channel] == pytest.approx(n, rel=1e-9), channel
    # today's fleet share: about 16.5 of the 693, not all of them
    fleet = as_run_config(patientflow.compose([]))[0].facilities.ambulance.fleet_weekday_day
    assert 15 < fleet * alone["share_of_national_112"] < 18
