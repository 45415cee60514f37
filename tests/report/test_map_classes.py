"""The accessibility map colours a place as the tables count it: within the norm up to and
including the norm's minute, beyond it after."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.colors import BoundaryNorm

from patientflow.report.figures import BEYOND_COLOURS, map_bins, upper_inclusive


@pytest.mark.parametrize("norm_min", [45.0, 30.0, 60.0])
def test_a_place_at_exactly_the_norm_is_coloured_within_it(norm_min):
    bins, colours = map_bins(norm_min)
    classes = BoundaryNorm(bins, len(colours))
    at, after = upper_inclusive(np.array([norm_min, norm_min + 0.01]))
    assert colours[int(classes(at))] not in BEYOND_COLOURS
    assert colours[int(classes(after))] == BEYOND_COLOURS[0]


def test_zero_minutes_stays_in_the_first_class():
    bins, colours = map_bins(45.0)
    assert int(BoundaryNorm(bins, len(colours))(upper_inclusive(np.array([0.0])))[0]) == 0
