"""The statistics every job reports with: groups of rows by their demand point's region, and
weighted quantiles."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from patientflow.core.statistics import groups_of, mean_ci, weighted_quantile

LABELS = st.sampled_from(["AZNN", "WEST", "MIDDEN", None, float("nan")])


@given(
    labels=st.lists(LABELS, min_size=1, max_size=30),
    rows=st.lists(st.integers(0, 29), max_size=200),
)
def test_groups_are_the_rows_whose_point_has_the_region(labels, rows):
    labels_arr = np.array(labels, dtype=object)
    point = np.array([r % len(labels) for r in rows], dtype=int)
    groups = groups_of(labels_arr, point)
    names = [name for name, _ in groups]
    assert names == sorted({x for x in labels if isinstance(x, str)})
    for name, idx in groups:
        expected = np.flatnonzero(np.array([labels[p] == name for p in point], dtype=bool))
        assert idx.tolist() == expected.tolist()


@given(
    pairs=st.lists(st.tuples(st.integers(0, 5), st.integers(0, 4)), min_size=1, max_size=50),
    q=st.floats(0.01, 1.0),
)
def test_a_weighted_quantile_with_ties_is_the_plain_quantile_of_the_repeated_values(pairs, q):
    """A value of weight k counts as k people at that value (weight 0: none), so the weighted
    quantile is the plain one of the values each repeated as often as its weight says."""
    assume(any(k > 0 for _, k in pairs))
    v = np.array([x for x, _ in pairs], dtype=float)
    w = np.array([k for _, k in pairs], dtype=float)
    got = weighted_quantile(v, w, q)
    s = np.sort(np.repeat(v, w.astype(int)))
    assert got == s[int(np.ceil(q * len(s) - 1e-9)) - 1 if q * len(s) > 1 else 0]


def test_a_weighted_quantile_follows_the_people_not_the_rows():
    """Two places: 1,000 people at 5 minutes, 10 people at 60. Nine in ten people live at 5
    minutes, though half of the rows say 60."""
    v, w = np.array([60.0, 5.0]), np.array([10.0, 1000.0])
    assert weighted_quantile(v, w, 0.9) == 5.0
    assert weighted_quantile(v, w, 0.995) == 60.0


def test_an_interval_is_cut_to_the_range_the_quantity_can_take():
    rare = pd.Series([0.0, 0.0, 0.0, 4.0])
    assert mean_ci(rare)["ci_low"] < 0
    cut = mean_ci(rare, within=(0.0, None))
    assert cut["ci_low"] == 0.0
    assert cut["ci_high"] == mean_ci(rare)["ci_high"]
    near_one = mean_ci(pd.Series([0.97, 1.0, 1.0, 1.0]), within=(0.0, 1.0))
    assert near_one["ci_high"] == 1.0 and near_one["ci_low"] < near_one["mean"]


def test_an_interval_over_few_replications_is_students_t_not_the_normals():
    """Three replications 1, 2, 3: mean 2, sample deviation 1, so the 95 % half-width is
    t(0.975, 2) / sqrt(3) = 4.303 / 1.732 = 2.484. The normal's 1.96 would give 1.132, an
    interval that misses the true mean of three replications about one time in five."""
    ci = mean_ci(pd.Series([1.0, 2.0, 3.0]))
    assert ci["mean"] == 2.0 and ci["n"] == 3
    assert ci["ci_low"] == pytest.approx(2.0 - 2.48414, abs=1e-4)
    assert ci["ci_high"] == pytest.approx(2.0 + 2.48414, abs=1e-4)
    assert mean_ci(pd.Series([5.0]))["ci_low"] is None
