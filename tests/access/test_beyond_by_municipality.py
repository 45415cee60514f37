"""Inhabitants beyond the norm at the level the population data supports: a municipality's
inhabitants are known, their split over its postcodes is a rule, so the whole municipality
counts by its population-weighted mean minutes."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from patientflow.access.points import beyond_by_municipality


def test_a_municipality_counts_whole_by_its_weighted_mean():
    pts = pd.DataFrame(
        {
            "municipality_code": ["A", "A", "B", "B", "C"],
            "population": [100.0, 100.0, 300.0, 100.0, 0.0],
            "ambulance_min_to_seh": [44.0, 48.0, 40.0, 50.0, 60.0],
        }
    )
    flags = beyond_by_municipality(pts, 45.0)
    # A: mean 46 -> both points; B: mean 42.5 -> neither, though one postcode is at 50;
    # C has no inhabitants: no mean, not counted
    np.testing.assert_array_equal(flags, [True, True, False, False, False])


@pytest.mark.slow
def test_the_national_run_reports_both_counts(nl_run):
    ind = nl_run.summary["indicators"]
    assert 0 < ind["population_beyond_norm_municipal"] <= ind["population"]
    acc = pd.read_parquet(nl_run.paths["accessibility"]).set_index("name")
    # the Wadden islands lie wholly beyond the norm either way
    for island in ("Vlieland", "Terschelling", "Ameland", "Schiermonnikoog"):
        row = acc.loc[island]
        assert row["population_beyond_norm_municipal"] == row["population"]
        assert row["population_beyond_norm"] == row["population"]
