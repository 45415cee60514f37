"""One population, one picture: every region table of every level is computed from the same
demand points, so the same area gives the same numbers at every level, and a region's numbers
add up from its municipalities."""

from __future__ import annotations

import pandas as pd
import pytest

import patientflow
from patientflow.access.points import point_accessibility
from patientflow.access.tables import region_table
from patientflow.config.checks import check_config
from patientflow.config.schema import REGION_COLUMNS, RegionLevel
from patientflow.core.area import study_area
from patientflow.core.network import build_network
from patientflow.runner import run_travel_model

LEVELS = list(RegionLevel)


def _regions(dataset, *overrides) -> pd.DataFrame:
    cfg = check_config(patientflow.compose(["demand=municipality", *overrides]))
    net = build_network(dataset, cfg.network)
    pts = point_accessibility(
        study_area(dataset, cfg), net, run_travel_model(cfg, dataset), cfg, dataset.municipalities
    )
    return region_table(pts, dataset.municipalities, net, LEVELS)


def test_zeeland_is_one_picture_at_every_level(dataset):
    """Zeeland is a safety region, a zorgkantoor region, a GGD region and a province, and a
    part of ROAZ Zuidwest and of its cancer network: every level must give its 391,634
    inhabitants the same 65+ share, the same travel and the same count beyond the norm."""
    table = _regions(dataset, "region.level=zorgkantoor", "region.codes=[ZK27]")
    assert sorted(table["level"]) == sorted(level.value for level in LEVELS)
    cols = [c for c in table.columns if c.endswith(("_mean", "_p95"))]
    cols += ["population", "share_65plus", "population_beyond_norm", "sites_seh_247"]
    first = table.iloc[0]
    for _, row in table.iterrows():
        for col in cols:
            assert row[col] == pytest.approx(first[col], rel=1e-12), (row["level"], col)
    part = table.set_index("level")["share_of_region_population"]
    assert part["zorgkantoor"] == 1.0 and 0 < part["roaz"] < 1


@pytest.mark.slow
def test_every_region_adds_up_from_its_municipalities(dataset):
    table = _regions(dataset, "region=nl")
    munis = dataset.municipalities.assign(
        p65=dataset.municipalities["population"] * dataset.municipalities["share_65plus"]
    )
    for level in LEVELS:
        code_col, _ = REGION_COLUMNS[level]
        sums = munis.groupby(code_col)[["population", "p65"]].sum()
        rows = table[table["level"] == level.value].set_index("region")
        assert set(rows.index) == set(sums.index), level
        pd.testing.assert_series_equal(
            rows["population"],
            sums.loc[rows.index, "population"].astype(float),
            check_names=False,
            rtol=1e-9,
        )
        pd.testing.assert_series_equal(
            rows["share_65plus"],
            sums.loc[rows.index, "p65"] / sums.loc[rows.index, "population"],
            check_names=False,
            rtol=1e-9,
        )
        assert (rows["share_of_region_population"] == 1.0).all(), level


def test_a_population_factor_leaves_each_region_whole(dataset, tmp_path):
    """scenario.population_factor=1.1 scales the points and the regions they are a part of
    alike: every region of the whole country is all of itself (share 1, not 1.1)."""
    from patientflow.access.job import run_access

    cfg = check_config(
        patientflow.compose(["demand=municipality", "region=nl", "scenario.population_factor=1.1"])
    )
    net = build_network(dataset, cfg.network)
    area = study_area(dataset, cfg)
    out = run_access(cfg, dataset, net, area, run_travel_model(cfg, dataset), tmp_path)
    regions = pd.read_csv(out.tables["regions"])
    assert (regions["share_of_region_population"] == 1.0).all()
    whole = dataset.municipalities["population"].sum()
    for level, rows in regions.groupby("level"):
        assert rows["population"].sum() == pytest.approx(1.1 * whole, rel=1e-9), level
