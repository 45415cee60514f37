"""The long version of tests/validation/test_staffing.py: a year of time-varying staffing
(StaffedResource + HourlyClock) on several seeds, with the same conservation and shift checks."""

from __future__ import annotations

import pytest

from tests.validation.staffing import assert_conserved, run_weeks


@pytest.mark.parametrize("seed", range(20250300, 20250305))
def test_a_year_of_shifts_conserves_customers(seed):
    result = run_weeks(seed, weeks=52)
    assert len(result[1]) > 75_000
    assert_conserved(*result)
